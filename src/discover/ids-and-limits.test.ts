/**
 * What discovery decides for URLs and feeds that origins really publish: the id (and so the page
 * file name) of awkward URLs, which query parameters are tracking, which items of a long feed are
 * looked at, and how the counts a run reports add up.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SiteRule } from '../config/schema.js';
import type { FeedItem } from '../types.js';
import { articleId, canonicalUrl, type DiscoverContext, discoverItems, stripUpdatedMarker } from './index.js';

const rule = (extra: Partial<SiteRule>): SiteRule => ({
  name: 'r',
  hosts: ['news.example'],
  example: 'https://news.example/a/n1.htm',
  ...extra,
});

describe('article ids', () => {
  for (const [url, id] of [
    // The last segment wins, its page extension gone, whatever its case.
    ['https://x.example/world/harbor-opens.SHTML', 'harbor-opens'],
    ['https://x.example/a/b/story-123.php', 'story-123'],
    ['https://x.example/a/b/story-123.aspx', 'story-123'],
    ['https://x.example/a/b/story-123.cms', 'story-123'],
    // A generic last segment (any case) gives way to the one before it.
    ['https://x.example/2026/harbor-opens/Default.aspx', 'harbor-opens'],
    ['https://x.example/2026/harbor-opens/detail', 'harbor-opens'],
    // A segment shorter than 3 characters is no id: the one before it is.
    ['https://x.example/2026/harbor-opens/p2', 'harbor-opens'],
    // Percent-encoded words are decoded, then what is not [A-Za-z0-9_-] becomes a dash, trimmed at the ends.
    ['https://x.example/news/%E6%B8%AF%E5%8F%A3-2026-ferry', '2026-ferry'],
    ['https://x.example/news/--ferry--', 'ferry'],
    // Full-width letters and digits are folded (NFKC) to ASCII.
    ['https://x.example/news/ｆｅｒｒｙ１２', 'ferry12'],
    // Windows device names cannot be files: they get an underscore.
    ['https://x.example/news/aux.html', 'aux_'],
    ['https://x.example/news/LPT1', 'LPT1_'],
    ['https://x.example/news/com7.htm', 'com7_'],
    // A name that only starts like one is left alone.
    ['https://x.example/news/console', 'console'],
  ] as const) {
    test(`${url} → ${id}`, () => assert.equal(articleId(url), id));
  }

  test('only the last two segments are looked at, then a hash of the URL', () => {
    assert.match(articleId('https://x.example/harbor-opens/index/view.html'), /^u[0-9a-f]{10}$/);
    assert.match(articleId('https://x.example/'), /^u[0-9a-f]{10}$/);
  });

  test('a segment with a query keeps a hash of the query, so ?id=1 and ?id=2 differ', () => {
    const one = articleId('https://x.example/article/show.php?id=1');
    const two = articleId('https://x.example/article/show.php?id=2');
    assert.match(one, /^show-[0-9a-f]{10}$/);
    assert.notEqual(one, two);
  });

  test('a percent sign that decodes to nothing keeps the raw segment', () => {
    assert.equal(articleId('https://x.example/news/ferry%zz'), 'ferry-zz');
  });

  test('ids are at most 80 characters', () => {
    const id = articleId(`https://x.example/news/${'a'.repeat(200)}`);
    assert.equal(id, 'a'.repeat(80));
  });

  test('a URL that does not parse gets a hash, stable for the same text', () => {
    assert.match(articleId('not a url'), /^u[0-9a-f]{10}$/);
    assert.equal(articleId('not a url'), articleId('not a url'));
  });

  test("a rule's idPattern wins; when it does not match, or captures nothing usable, the URL's segment does", () => {
    const r = rule({ idPattern: '/n(\\d+)\\.htm' });
    assert.equal(articleId('https://news.example/a/n42.htm', r), '42');
    assert.equal(articleId('https://news.example/a/story-9.html', r), 'story-9');
    const symbols = rule({ idPattern: '/(@@)/' });
    assert.equal(articleId('https://news.example/@@/ferry-news', symbols), 'ferry-news');
  });
});

describe('tracking parameters', () => {
  test('utm_*, spm, from, share*, fbclid and gclid go, in any case; look-alikes and the rest stay', () => {
    assert.equal(
      canonicalUrl(
        'https://x.example/a.html?UTM_Medium=m&spm=1&from=app&shareid=4&share=5&fbclid=f&gclid=g&id=3&fromage=1&spmx=2#c',
      ),
      'https://x.example/a.html?id=3&fromage=1&spmx=2',
    );
  });

  test('a URL that does not parse is kept as it is', () => {
    assert.equal(canonicalUrl('news/a.html#top'), 'news/a.html#top');
  });
});

describe('the updated marker', () => {
  const marker = rule({ updatedMarker: '\\[(更新|Update)\\]' });
  test('is cut out and the spacing closed up; a full-width space stays', () => {
    assert.deepEqual(stripUpdatedMarker('Ferry  [Update]  times', marker), { title: 'Ferry times', marked: true });
    assert.deepEqual(stripUpdatedMarker('[更新]港口\u3000新闻', marker), { title: '港口\u3000新闻', marked: true });
  });
  test('a title without it, or a rule without one, is unchanged and not marked', () => {
    assert.deepEqual(stripUpdatedMarker('Ferry times', marker), { title: 'Ferry times', marked: false });
    assert.deepEqual(stripUpdatedMarker('Ferry [Update]', rule({})), { title: 'Ferry [Update]', marked: false });
  });
  test('a title that is nothing but the marker keeps it (a page needs a title)', () => {
    assert.equal(stripUpdatedMarker('[Update]', marker).title, '[Update]');
  });
});

function ctx(over: Partial<DiscoverContext> = {}): DiscoverContext {
  return {
    outlet: 'Harbor',
    channel: 'news',
    titleExclude: [],
    known: { byUrl: () => undefined, idTaken: () => false },
    claimed: new Set(),
    ...over,
  };
}

const item = (n: number, published?: string): FeedItem => ({
  url: `https://x.example/news/story-${n}.html`,
  title: `Story ${n}`,
  ...(published ? { published } : {}),
});

describe('a feed longer than the limit', () => {
  test('the newest items by date are looked at, in feed order, the undated after the dated; the rest count as filtered', () => {
    const feed = [
      item(1, '2026-01-01T00:00:00Z'),
      item(2),
      item(3, '2026-03-01T00:00:00Z'),
      item(4, 'not a date'),
      item(5, '2026-02-01T00:00:00Z'),
      item(6),
    ];
    const r = discoverItems(feed, ctx({ limit: 4 }));
    assert.deepEqual(
      r.items.map((i) => i.id),
      ['story-1', 'story-2', 'story-3', 'story-5'],
    );
    assert.equal(r.filtered, 2);
  });

  test('undated items that tie keep their feed order', () => {
    const r = discoverItems([item(1), item(2), item(3)], ctx({ limit: 2 }));
    assert.deepEqual(
      r.items.map((i) => i.id),
      ['story-1', 'story-2'],
    );
  });

  test('a feed of exactly the limit, or without one, is looked at whole', () => {
    const feed = [item(1), item(2)];
    assert.equal(discoverItems(feed, ctx({ limit: 2 })).items.length, 2);
    assert.equal(discoverItems(feed, ctx()).filtered, 0);
  });
});

describe('what a run reports', () => {
  test('a title filter counts as filtered; the same URL twice in one feed counts once, then as a duplicate', () => {
    const feed = [item(1), { ...item(1), url: `${item(1).url}?utm_source=rss` }, { ...item(2), title: 'Ad: buy' }];
    const r = discoverItems(feed, ctx({ titleExclude: [/^Ad:/] }));
    assert.deepEqual([r.items.length, r.duplicates, r.filtered, r.unchanged], [1, 1, 1, 0]);
  });

  test('a known article without a fingerprint (restored from pages) is adopted, not fetched again', () => {
    const known = { id: 'story-1', fingerprint: '', channel: 'news' };
    const r = discoverItems([item(1)], ctx({ known: { byUrl: () => known, idTaken: () => true } }));
    assert.equal(r.items.length, 0);
    assert.equal(r.unchanged, 1);
    assert.equal(r.adopted.length, 1);
    assert.equal(r.adopted[0]?.id, 'story-1');
    assert.match(r.adopted[0]?.fingerprint ?? '', /^[0-9a-f]{32}$/);
  });

  test('an id another channel claimed earlier in this run, or an earlier item of this feed, is not reused', () => {
    const r = discoverItems([item(1)], ctx({ claimed: new Set(['id:story-1']) }));
    assert.match(r.items[0]?.id ?? '', /^story-1-[0-9a-f]{6}$/);
    const twoUrls = discoverItems([item(1), { ...item(1), url: 'https://y.example/news/story-1.html' }], ctx());
    const ids = twoUrls.items.map((i) => i.id);
    assert.equal(ids[0], 'story-1');
    assert.match(ids[1] ?? '', /^story-1-[0-9a-f]{6}$/);
  });

  test('a new item carries its outlet, channel, canonical URL and status', () => {
    const [one] = discoverItems([{ ...item(1), url: `${item(1).url}#comments` }], ctx()).items;
    assert.equal(one?.outlet, 'Harbor');
    assert.equal(one?.channel, 'news');
    assert.equal(one?.url, item(1).url);
    assert.equal(one?.status, 'new');
  });
});
