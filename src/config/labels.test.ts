import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MirrorError } from '../errors.js';
import { LABELS } from './defaults.js';
import { parseConfig } from './load.js';
import { starterConfig } from './starter.js';

const BASE = `site: { publicUrl: "https://github.com/o/r/blob/main" }
outlets:
  - name: 示例日报
    prefix: D
    channels: [{ id: dnews, name: 要闻, feed: "http://127.0.0.1:9/d.xml" }]
  - name: Example Gazette
    prefix: G
    language: en
    channels: [{ id: gnews, name: News, feed: "http://127.0.0.1:9/g.xml" }]
`;

// Issue 16.13: the built-in labels were English only, for a mirror whose readers are mostly Chinese-speaking.
test('the labels are Chinese by default, with an English set for outlets and configs that ask for it', () => {
  const c = parseConfig(`${BASE}picks: { file: p.csv }\n`);
  assert.equal(c.layout.language, 'zh');
  assert.deepEqual(c.layout.labels, LABELS);
  assert.equal(c.layout.labels.zh.homeLabel, '首页');
  assert.equal(c.layout.labels.en.homeLabel, 'Home');
  assert.equal(c.outlets[1]?.language, 'en');
  // The hot list and the picks are files: named in the config's language.
  assert.equal(c.layout.hotList.name, LABELS.zh.hotListName);
  assert.equal(c.picks?.name, LABELS.zh.picksName);
  const en = parseConfig(`${BASE}layout: { language: en }\npicks: { file: p.csv }\n`);
  assert.equal(en.layout.hotList.name, 'Most read');
  assert.equal(en.picks?.name, 'Picks');
});

test('a label the config sets wins in every language, or in its own when given per language', () => {
  const c = parseConfig(`${BASE}layout:
  homeLabel: 主页
  shareLabel: { en: "Share this page:" }
  hotList: { name: { zh: 热点, en: Trending } }
  menu: [{ label: { zh: 关于, en: About }, url: "https://example.org/about" }, { label: 帮助, url: "https://example.org/help" }]
  promo: { fixed: [{ label: { en: Subscribe }, url: "https://example.org/s" }] }
`);
  assert.equal(c.layout.labels.zh.homeLabel, '主页');
  assert.equal(c.layout.labels.en.homeLabel, '主页');
  assert.equal(c.layout.labels.zh.shareLabel, LABELS.zh.shareLabel);
  assert.equal(c.layout.labels.en.shareLabel, 'Share this page:');
  assert.equal(c.layout.hotList.name, '热点');
  assert.equal(c.layout.labels.en.hotListName, 'Trending');
  assert.deepEqual(
    c.layout.menu.map((l) => l.label),
    [
      { zh: '关于', en: 'About' },
      { zh: '帮助', en: '帮助' },
    ],
  );
  // A link label missing in a language is the one it has.
  assert.deepEqual(c.layout.promo.fixed[0]?.label, { zh: 'Subscribe', en: 'Subscribe' });
});

test('a language or a label of the wrong shape is refused with its line', () => {
  const refused = (text: string): string => {
    try {
      parseConfig(text, { file: 'c.yaml' });
    } catch (err) {
      assert.ok(err instanceof MirrorError);
      return err.message;
    }
    assert.fail('accepted');
  };
  assert.match(refused(`${BASE}layout: { language: fr }\n`), /line 10: layout\.language: must be one of "zh", "en"/);
  assert.match(refused(BASE.replace('language: en', 'language: de')), /outlets\[1\]\.language/);
  assert.match(
    refused(`${BASE}layout: { homeLabel: { zh: 首页, fr: Accueil } }\n`),
    /layout\.homeLabel\.fr: not a language of the labels: zh, en/,
  );
  assert.match(refused(`${BASE}layout: { homeLabel: 7 }\n`), /layout\.homeLabel: a text, or one text per language/);
  assert.match(
    refused(`${BASE}layout: { hotList: { name: "a/b" } }\n`),
    /layout\.hotList\.name: .*becomes the file name/,
  );
});

test('the starter config documents both label sets and loads with the Chinese one', () => {
  const text = starterConfig();
  for (const lang of ['zh', 'en'] as const) {
    for (const label of Object.values(LABELS[lang])) assert.ok(text.includes(JSON.stringify(label)), label);
  }
  const c = parseConfig(text);
  assert.equal(c.layout.language, 'zh');
  assert.equal(c.layout.labels.zh.homeLabel, LABELS.zh.homeLabel);
});
