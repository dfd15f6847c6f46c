/**
 * Golden fixtures for the Markdown layout: a fixed state renders to the files under
 * test/fixtures/golden/render/. A change of layout changes these files, and their
 * diff is reviewed like code. Regenerate with `npm run golden`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { type MirrorView, renderMirror } from '../src/render/index.js';
import { readMetaComment } from '../src/render/markdown.js';
import type { Article, Page, SafeHtml } from '../src/types.js';
import { repoRoot } from './helpers.js';

const GOLDEN = path.join(repoRoot, 'test/fixtures/golden/render');
const update = process.env.UPDATE_GOLDEN === '1';

const config = parseConfig(`
site: { publicUrl: "https://github.com/example/mirror/blob/main" }
outlets:
  - name: 晨星日报
    prefix: D
    channels:
      - { id: dworld, name: 国际新闻, feed: "http://127.0.0.1:9/w.xml" }
  - name: Harbor Light Gazette
    prefix: G
    timezone: UTC
    language: en
    channels:
      - { id: glocal, name: Local, feed: "http://127.0.0.1:9/l.json" }
picks: { file: /dev/null, name: 编辑精选 }
layout:
  homeTitle: 示例新闻镜像
  menu: [{ label: { zh: 关于本站, en: About }, url: "https://example.org/about" }]
  hotList: { name: 热点推荐, size: 10 }
  promo:
    fixed: [{ label: "📮 订阅更新", url: "https://example.org/subscribe" }]
    pool:
      - { label: 天气专题, url: "https://example.org/weather" }
      - { label: 科学专题, url: "https://example.org/science" }
      - { label: 城市专题, url: "https://example.org/city" }
    pick: 1
  beaconUrl: "https://counter.example.org/b.png?p={path}"
retention: { pagesPerChannel: 10, qrPerChannel: 1 }
`);

const base = {
  outlet: '晨星日报',
  channel: 'dworld',
  extractor: 'rule' as const,
  firstSeen: '2026-11-20T02:00:00.000Z',
  updatedAt: '2026-11-20T02:00:00.000Z',
  version: 1,
};
const a1: Article = {
  ...base,
  id: 'n1001',
  url: 'https://daily.example/gb/26/11/20/n1001.htm',
  title: '北方港口开通夜间渡轮',
  byline: '本报记者 林晓',
  published: '2026-11-20T02:00:00.000Z',
  leadImage: { src: 'https://img.daily.example/ferry.jpg', caption: '夜间渡轮首航。（示例图片）' },
  html: '<p>港口管理处宣布，<strong>夜间渡轮</strong>自下周一起开通。</p><h4>新航线</h4><p>详见<a href="https://daily.example/gb/26/11/19/n1000.htm">昨日报道</a>与<a href="https://elsewhere.example/x">外部网站</a>。</p><figure><img src="https://img.daily.example/map.png" alt="航线图"><figcaption>新航线示意图</figcaption></figure>' as SafeHtml,
  hash: 'h1',
};
const a0: Article = {
  ...base,
  id: 'n1000',
  url: 'https://daily.example/gb/26/11/19/n1000.htm',
  // Markdown and HTML syntax in a title must not break the page or the index.
  title: '标题里有 ](javascript:x) | `代码` <script>alert(1)</script>\n第二行',
  published: '2026-11-19T01:30:00.000Z',
  html: '<p>昨日报道正文。</p>' as SafeHtml,
  hash: 'h0',
};
const g1: Article = {
  ...base,
  outlet: 'Harbor Light Gazette',
  channel: 'glocal',
  id: 'harbor-ferry-schedule-changes',
  url: 'https://gazette.example/news/2026/11/20/harbor-ferry-schedule-changes',
  title: 'Harbor ferry schedule changes',
  published: '2026-11-20T09:15:00.000Z',
  html: '<p>The ferry will run <em>every twenty minutes</em>.</p><table><tr><th>Pier</th><th>First boat</th></tr><tr><td>North</td><td>06:10</td></tr></table>' as SafeHtml,
  hash: 'g1',
};

// Issue 16.5 and 16.6: a date that names only a day, a later edition, an article no source dates.
const a2: Article = {
  ...base,
  id: 'n999',
  url: 'https://daily.example/gb/26/11/19/n999.htm',
  title: '旧城区公交线路调整',
  published: '2026-11-18T16:00:00.000Z',
  datePrecision: 'day',
  updatedAt: '2026-11-20T03:30:00.000Z',
  version: 2,
  html: '<p>公交线路调整的第二版说明。</p>' as SafeHtml,
  hash: 'h999',
};
const g0: Article = {
  ...base,
  outlet: 'Harbor Light Gazette',
  channel: 'glocal',
  id: 'library-hours',
  url: 'https://gazette.example/news/library-hours',
  title: 'Library hours for the holidays',
  datePrecision: 'none',
  firstSeen: '2026-11-20T08:00:00.000Z',
  sortAt: '2026-11-19T12:00:00.001Z',
  updatedAt: '2026-11-20T08:00:00.000Z',
  html: '<p>The library opens late on the first day of the holidays.</p>' as SafeHtml,
  hash: 'g0',
};

const view: MirrorView = {
  outlets: [
    {
      name: '晨星日报',
      prefix: 'D',
      channels: [
        {
          id: 'dworld',
          name: '国际新闻',
          indexName: 'D国际新闻',
          title: '晨星日报 · 国际新闻',
          timezone: 'Asia/Shanghai',
          imagePolicy: 'mirror',
          articles: [a1, a0, a2],
        },
      ],
    },
    {
      name: 'Harbor Light Gazette',
      prefix: 'G',
      channels: [
        {
          id: 'glocal',
          name: 'Local',
          indexName: 'GLocal',
          title: 'Harbor Light Gazette · Local',
          timezone: 'UTC',
          imagePolicy: 'hotlink',
          language: 'en',
          articles: [g1, g0],
        },
      ],
    },
  ],
  picks: [g1],
  hot: [a1, g1],
  // The lead image was mirrored; the map in the body could not be (it becomes a placeholder).
  images: new Map([
    [
      'https://img.daily.example/ferry.jpg',
      {
        url: 'https://img.daily.example/ferry.jpg',
        status: 'ok',
        hash: 'ab12'.repeat(16),
        format: 'jpeg',
        bytes: 1234,
        width: 320,
        height: 180,
        attempts: 1,
      },
    ],
    [
      'https://img.daily.example/map.png',
      { url: 'https://img.daily.example/map.png', status: 'failed', error: 'HttpStatus: 404', attempts: 1 },
    ],
  ]),
  imageCacheDir: '/var/cache/newsmirror/assets',
};

function bodyOf(pages: Page[], p: string): string {
  const page = pages.find((x) => x.path === p);
  assert.ok(page && 'body' in page && typeof page.body === 'string', `${p} rendered as text`);
  return page.body as string;
}

function listGolden(dir: string, rel = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(path.join(dir, rel)).flatMap((n) => {
    const r = rel ? `${rel}/${n}` : n;
    return statSync(path.join(dir, r)).isDirectory() ? listGolden(dir, r) : [r];
  });
}

test('the Markdown mirror matches the golden files', () => {
  const pages = renderMirror(view, config);
  const text = pages.filter((p): p is Extract<Page, { body: string }> => 'body' in p && typeof p.body === 'string');
  if (update) {
    for (const p of text) {
      const file = path.join(GOLDEN, p.path);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, p.body);
    }
  }
  assert.deepEqual(listGolden(GOLDEN).sort(), text.map((p) => p.path).sort(), 'the same set of files');
  for (const p of text) assert.equal(p.body, readFileSync(path.join(GOLDEN, p.path), 'utf8'), p.path);
  // The mirrored image is published once, from the cache; the failed one is not.
  assert.deepEqual(
    pages.filter((p) => p.kind === 'asset'),
    [
      {
        kind: 'asset',
        path: `assets/ab/${'ab12'.repeat(8)}.jpg`,
        source: `/var/cache/newsmirror/assets/assets/ab/${'ab12'.repeat(8)}.jpg`,
      },
    ],
  );
  // QR codes only for the newest retention.qrPerChannel pages of each channel.
  assert.deepEqual(
    pages
      .filter((p) => p.kind === 'qr')
      .map((p) => p.path)
      .sort(),
    ['pages/dworld/n1001.md.png', 'pages/glocal/harbor-ferry-schedule-changes.md.png'],
  );
});

test('rendering is deterministic', () => {
  const a = renderMirror(view, config);
  const b = renderMirror(view, config);
  assert.deepEqual(a, b);
});

test('hostile titles stay inside their line and their link label', () => {
  const pages = renderMirror(view, config);
  const page = bodyOf(pages, 'pages/dworld/n1000.md');
  const index = bodyOf(pages, 'indexes/D国际新闻.md');
  const firstLine = page.split('\n')[0] ?? '';
  assert.ok(firstLine.startsWith('### 标题里有'));
  assert.ok(firstLine.includes('第二行'), 'the newline in the title was folded into the heading');
  assert.doesNotMatch(page, /<script>/);
  assert.doesNotMatch(index, /<script>/);
  // The hostile title is one list item whose link goes to its page.
  const item = index.split('\n').find((l) => l.includes('标题里有')) ?? '';
  assert.match(item, /^2\. \[.*\]\(\.\.\/pages\/dworld\/n1000\.md\?n1000\) <sub>2026-11-19 09:30<\/sub>$/);
  assert.doesNotMatch(item, /\]\(javascript:/);
  assert.deepEqual((readMetaComment(page, 'article') as { title: string }).title, a0.title);
});

test('link policy: mirror points at the mirror copy, neutralize and keep do what they say', () => {
  const page = (links: 'mirror' | 'neutralize' | 'keep') =>
    bodyOf(renderMirror(view, { ...config, links }), 'pages/dworld/n1001.md');
  const mirror = page('mirror');
  assert.match(mirror, /\[昨日报道\]\(\.\.\/\.\.\/pages\/dworld\/n1000\.md\?n1000\)/);
  assert.doesNotMatch(mirror, /elsewhere\.example/);
  assert.match(mirror, /外部网站/);
  const neutral = page('neutralize');
  assert.doesNotMatch(neutral, /\]\(https?:\/\/(daily|elsewhere)\.example/);
  assert.match(neutral, /昨日报道/);
  const keep = page('keep');
  assert.match(keep, /\[外部网站\]\(https:\/\/elsewhere\.example\/x\)/);
});

// Issue 16.5 and 16.6: the page and the index say how much is known of an article's date.
test('a day is shown as a day, an undated article by its first-seen time marked, a later edition as updated', () => {
  const pages = renderMirror(view, config);
  const sub = (p: string) =>
    bodyOf(pages, p)
      .split('\n')
      .find((l) => l.startsWith('<sub>'));
  assert.equal(sub('pages/dworld/n999.md'), '<sub>2026-11-19 · 更新 2026-11-20 11:30</sub>');
  assert.equal(sub('pages/glocal/library-hours.md'), '<sub>first seen 2026-11-20 08:00</sub>');
  assert.equal(sub('pages/dworld/n1001.md'), '<sub>本报记者 林晓 · 2026-11-20 10:00</sub>');
  const index = bodyOf(pages, 'indexes/D国际新闻.md');
  assert.match(index, /^3\. \[旧城区公交线路调整\]\([^)]+\) <sub>2026-11-19 · 更新 2026-11-20 11:30<\/sub>$/m);
  assert.match(
    bodyOf(pages, 'indexes/GLocal.md'),
    /^2\. \[Library hours for the holidays\]\([^)]+\) <sub>first seen 2026-11-20 08:00<\/sub>$/m,
  );
});

// Issue 16.13: an English outlet in a Chinese mirror had the Chinese menu and labels.
test('labels follow the outlet’s language; labels the config sets win in every language', () => {
  const pages = renderMirror(view, config);
  const en = bodyOf(pages, 'pages/glocal/harbor-ferry-schedule-changes.md');
  const menu = en.split('\n')[3] ?? '';
  assert.match(menu, /^#### \[Home\]\(\.\.\/\.\.\/README\.md\?/);
  // The hot list's name is set in the config (one text for every language); its file stays one.
  assert.match(menu, /\[热点推荐\]\(\.\.\/\.\.\/indexes\/热点推荐\.md\?/);
  assert.match(menu, /\[编辑精选\]\(\.\.\/\.\.\/indexes\/编辑精选\.md\?/);
  assert.match(menu, /\[About\]\(https:\/\/example\.org\/about\?/);
  assert.ok(en.includes('Long-press to copy this link or the QR code'));
  assert.ok(en.includes('Original address'));
  assert.doesNotMatch(en, /首页|关于本站|原文地址/);
  assert.match(bodyOf(pages, 'indexes/GLocal.md'), /^#### \[Home\]\(\.\.\/README\.md\?/m);

  const zh = bodyOf(pages, 'pages/dworld/n1001.md');
  assert.match(zh.split('\n')[3] ?? '', /^#### \[首页\]\(\.\.\/\.\.\/README\.md\?.*\[关于本站\]/);
  assert.ok(zh.includes('[图片暂时无法显示: 航线图]'), 'the placeholder in the page’s language');
  assert.ok(zh.includes('长按复制本页链接或二维码') && zh.includes('原文地址'));
  assert.doesNotMatch(zh, /\[Home\]|Long-press|image not available/);
  assert.match(bodyOf(pages, 'README.md'), /^#### \[首页\]\(README\.md\?/m);
});
