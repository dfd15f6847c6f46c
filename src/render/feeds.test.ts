/**
 * The mirror's feeds read back by a parser that is not ours (@rowanmanning/feed-parser, for RSS
 * and Atom), checked for well-formed XML by a strict XML parser (jsdom's), and the JSON Feed
 * checked against the fields its spec requires, with article text that tries to break out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { JSDOM } from 'jsdom';
import { parseConfig } from '../config/load.js';
import type { Article, Page, SafeHtml } from '../types.js';
import { renderSite } from './html/index.js';
import type { MirrorView } from './index.js';

const NASTY_TITLE = 'A]]><x> & "q" \u0001\u0008 <![CDATA[ 标题 ]]> \uFFFE </title></item></channel>';
const NASTY_BODY = '<p>x ]]&gt; <b>粗</b> &amp; &lt;script&gt;alert(1)&lt;/script&gt; \u0002 end</p>';

function article(id: string, title: string, html: string, day: number): Article {
  const at = `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;
  return {
    id,
    outlet: 'D',
    channel: 'dnews',
    url: `https://daily.example/${id}.htm?a=1&b=2`,
    title,
    byline: 'Reporter <one> & "two"',
    published: at,
    html: html as SafeHtml,
    extractor: 'rule',
    hash: id,
    firstSeen: at,
    updatedAt: at,
    version: 1,
  };
}

const articles = [
  article('n1', NASTY_TITLE, NASTY_BODY, 20),
  article(
    'n2',
    '渡轮时刻表调整',
    '<p>渡轮每二十分钟一班。<a href="https://daily.example/n1.htm?a=1&amp;b=2">前文</a></p><p>Night service ends at ten.</p>',
    19,
  ),
];

const view: MirrorView = {
  outlets: [
    {
      name: 'D & <Daily>',
      prefix: 'D',
      channels: [
        {
          id: 'dnews',
          name: '国内',
          indexName: 'D国内',
          title: 'D & <Daily> · 国内',
          timezone: 'Asia/Shanghai',
          imagePolicy: 'mirror',
          articles,
        },
      ],
    },
  ],
  picks: [],
  hot: [],
};

function feeds(extra = ''): Map<string, string> {
  const config = parseConfig(`
site: { publicUrl: "https://git.example/o/r/blob/main" }
outlets: [{ name: D, prefix: D, channels: [{ id: dnews, name: 国内, feed: "http://127.0.0.1:9/f" }] }]
html: { url: "https://o.pages.example/r/" }
layout: { homeTitle: "Mirror <&> \\"news\\"" }
${extra}`);
  const out = new Map<string, string>();
  for (const p of renderSite(view, config) as Iterable<Page>) if (p.kind === 'feed') out.set(p.path, p.body);
  return out;
}

function wellFormed(xml: string, name: string): Document {
  const doc = new JSDOM().window.DOMParser;
  const parsed = new doc().parseFromString(xml, 'application/xml');
  assert.equal(parsed.getElementsByTagName('parsererror').length, 0, `${name} is well-formed XML`);
  return parsed;
}

test('the whole mirror and each channel have RSS, Atom and JSON feeds', () => {
  assert.deepEqual([...feeds().keys()].sort(), [
    'feeds/all.atom',
    'feeds/all.json',
    'feeds/all.xml',
    'feeds/channels/dnews.atom',
    'feeds/channels/dnews.json',
    'feeds/channels/dnews.xml',
  ]);
});

test('RSS and Atom are well-formed and read back by an independent parser, whatever the articles say', () => {
  for (const [file, body] of feeds()) {
    if (file.endsWith('.json')) continue;
    const xml = wellFormed(body, file);
    const feed = parseFeed(body);
    assert.equal(feed.title, file.includes('channels') ? 'D & <Daily> · 国内' : 'Mirror <&> "news"');
    assert.equal(feed.items.length, 2, `${file}: every item`);
    const [first, second] = feed.items;
    // The characters XML cannot hold are dropped; everything else round-trips.
    assert.equal(first?.title, NASTY_TITLE.replace(/[\u0001\u0008\uFFFE]/g, ''));
    assert.equal(first?.url, 'https://o.pages.example/r/pages/dnews/n1.html');
    assert.equal(second?.title, '渡轮时刻表调整');
    assert.equal(first?.published?.toISOString(), '2026-11-20T02:00:00.000Z');
    // The body is the sanitised HTML as text: its escaped script stays escaped (a second decoding is the reader's).
    const content = xml.getElementsByTagName(file.endsWith('.xml') ? 'content:encoded' : 'content')[0]?.textContent;
    assert.match(content ?? '', /<b>粗<\/b> &amp; &lt;script&gt;alert\(1\)&lt;\/script&gt;/, `${file}: the body`);
    assert.match(first?.content ?? '', /<b>粗<\/b>/);
    // A link to a mirrored article points at its page in the mirror, absolutely.
    assert.match(second?.content ?? '', /href="https:\/\/o\.pages\.example\/r\/pages\/dnews\/n1\.html"/);
    assert.equal(first?.authors[0]?.name, 'Reporter <one> & "two"');
  }
});

test('the JSON Feed has the fields JSON Feed 1.1 requires, with the same text', () => {
  const body = feeds().get('feeds/all.json') ?? '';
  assert.doesNotMatch(body, /<\//, 'no raw </ in the file');
  const feed = JSON.parse(body) as Record<string, unknown> & { items: Record<string, unknown>[] };
  assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(typeof feed.title, 'string');
  assert.equal(feed.feed_url, 'https://o.pages.example/r/feeds/all.json');
  assert.equal(feed.home_page_url, 'https://o.pages.example/r/index.html');
  assert.ok(Array.isArray(feed.items) && feed.items.length === 2);
  for (const item of feed.items) {
    assert.equal(typeof item.id, 'string', 'every item has a string id');
    assert.ok(typeof item.content_html === 'string' || typeof item.content_text === 'string', 'and content');
    assert.ok(!Number.isNaN(Date.parse(String(item.date_published))), 'RFC 3339 dates');
  }
  assert.equal(feed.items[0]?.title, NASTY_TITLE.replace(/[\u0001\u0008\uFFFE]/g, ''));
});

test('summaries instead of full content when the config says so; links to the git host without a site address', () => {
  const config = `feeds: { content: summary }`;
  const rss = feeds(config).get('feeds/all.xml') ?? '';
  wellFormed(rss, 'summary RSS');
  assert.doesNotMatch(rss, /content:encoded/);
  const json = JSON.parse(feeds(config).get('feeds/all.json') ?? '') as { items: { content_text?: string }[] };
  assert.match(
    json.items[1]?.content_text ?? '',
    /^渡轮每二十分钟一班。前文 Night service ends at ten\.$/,
    'paragraphs apart',
  );

  const plain = parseConfig(`
site: { publicUrl: "https://git.example/o/r/blob/main" }
outlets: [{ name: D, prefix: D, channels: [{ id: dnews, name: 国内, feed: "http://127.0.0.1:9/f" }] }]
`);
  const pages = [...renderSite(view, plain)];
  const atom = pages.find((p) => p.path === 'feeds/all.atom');
  const parsed = parseFeed(atom?.kind === 'feed' ? atom.body : '');
  assert.equal(parsed.items[0]?.url, 'https://git.example/o/r/blob/main/pages/dnews/n1.md');
});

test('with remotes: the primary host in feeds/, a variant per other host under feeds/remotes/<name>/', () => {
  const config = parseConfig(`
site: { publicUrl: "https://git.example/o/r/blob/main" }
outlets: [{ name: D, prefix: D, channels: [{ id: dnews, name: 国内, feed: "http://127.0.0.1:9/f" }] }]
remotes:
  - { name: github, url: "https://github.com/alice/news.git" }
  - { name: codeberg, url: "https://codeberg.org/alice/news.git" }
`);
  const out = new Map<string, string>();
  for (const p of renderSite(view, config)) if (p.kind === 'feed') out.set(p.path, p.body);
  const primary = parseFeed(out.get('feeds/all.xml') ?? '');
  assert.equal(primary.items[0]?.url, 'https://github.com/alice/news/blob/main/pages/dnews/n1.md');
  const other = out.get('feeds/remotes/codeberg/channels/dnews.atom') ?? '';
  wellFormed(other, 'the codeberg variant');
  assert.equal(parseFeed(other).items[0]?.url, 'https://codeberg.org/alice/news/src/branch/main/pages/dnews/n1.md');
  assert.ok(!out.has('feeds/remotes/github/all.xml'), 'the primary has no variant of its own');
});

test('the Traditional edition’s feeds give converted titles and the Traditional pages', () => {
  const pages = [
    ...renderSite(
      view,
      parseConfig(`
site: { publicUrl: "https://git.example/o/r/blob/main" }
outlets: [{ name: D, prefix: D, channels: [{ id: dnews, name: 国内, feed: "http://127.0.0.1:9/f" }] }]
html: { url: "https://o.pages.example/r/" }
editions: { enabled: true }
`),
    ),
  ];
  const rss = pages.find((p) => p.path === 'hant/feeds/all.xml');
  const feed = parseFeed(rss?.kind === 'feed' ? rss.body : '');
  const ferry = feed.items.find((i) => i.url?.endsWith('/n2.html'));
  assert.equal(ferry?.title, '渡輪時刻表調整');
  assert.equal(ferry?.url, 'https://o.pages.example/r/hant/pages/dnews/n2.html');
});
