import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SiteRule } from '../config/schema.js';
import type { FeedItem } from '../types.js';
import { articleId, canonicalUrl, type DiscoverContext, discoverItems, itemFingerprint } from './index.js';

const rule: SiteRule = {
  name: 'demo',
  hosts: ['news.example'],
  example: 'https://news.example/gb/26/11/20/n1234567.htm',
  idPattern: '/(n\\d+)\\.htm',
  updatedMarker: '（更新）',
};

test('article id from the URL: rule pattern, last segment, or a hash', () => {
  assert.equal(articleId('https://news.example/gb/26/11/20/n1234567.htm', rule), 'n1234567');
  assert.equal(articleId('https://www.epochtimes.com/gb/23/1/6/n13900968.htm'), 'n13900968');
  assert.equal(
    articleId('https://x.example/news/2026/11/20/harbor-ferry-schedule-changes'),
    'harbor-ferry-schedule-changes',
  );
  assert.equal(articleId('https://x.example/b5/2026/11/20/a100023.html'), 'a100023');
  // A generic last segment falls back to the one before it.
  assert.equal(articleId('https://x.example/story/987654/index.html'), '987654');
  // Nothing usable: a short hash, stable for the same URL.
  const h = articleId('https://x.example/index.php?id=5');
  assert.match(h, /^u[0-9a-f]{10}$/);
  assert.equal(h, articleId('https://x.example/index.php?id=5'));
  assert.notEqual(h, articleId('https://x.example/index.php?id=6'));
  // Never a path: traversal and odd characters are flattened.
  for (const evil of [
    'https://x.example/..%2F..%2Fetc%2Fpasswd',
    'https://x.example/a/%00nul',
    'https://x.example/CON',
  ]) {
    const id = articleId(evil);
    assert.match(id, /^[A-Za-z0-9_-]+$/, `${evil} → ${id}`);
  }
});

test('canonical URLs lose fragments and tracking parameters', () => {
  assert.equal(canonicalUrl('https://x.example/a.html?utm_source=x&id=3#top'), 'https://x.example/a.html?id=3');
});

function ctx(
  known: Map<string, { id: string; fingerprint: string; channel: string }> = new Map(),
  claimed = new Set<string>(),
): DiscoverContext {
  return {
    outlet: 'Demo',
    channel: 'dnews',
    rule,
    titleExclude: [/^【视频】/u],
    known: { byUrl: (u) => known.get(u), idTaken: (id) => [...known.values()].some((k) => k.id === id) },
    claimed,
  };
}

const items: FeedItem[] = [
  { url: 'https://news.example/gb/26/11/20/n1.htm', title: '新闻一', published: '2026-11-20T02:00:00.000Z' },
  { url: 'https://news.example/gb/26/11/20/n2.htm', title: '【视频】不要这条' },
  { url: 'https://news.example/gb/26/11/20/n3.htm', title: '新闻三' },
  { url: 'https://news.example/gb/26/11/20/n3.htm#again', title: '新闻三' },
];

test('new items get ids; filtered and repeated ones are dropped', () => {
  const r = discoverItems(items, ctx());
  assert.deepEqual(
    r.items.map((i) => [i.id, i.status]),
    [
      ['n1', 'new'],
      ['n3', 'new'],
    ],
  );
  assert.equal(r.filtered, 1);
  assert.equal(r.duplicates, 1);
  assert.equal(r.items[0]?.channel, 'dnews');
});

test('known items are unchanged until the source says otherwise; a title marker makes an update', () => {
  const first = discoverItems(items, ctx()).items;
  const known = new Map(first.map((i) => [i.url, { id: i.id, fingerprint: i.fingerprint, channel: 'dnews' }]));
  const again = discoverItems(items, ctx(known));
  assert.equal(again.items.length, 0);
  assert.equal(again.unchanged, 2);

  const marked = items.map((i) => (i.url.endsWith('n3.htm') ? { ...i, title: '新闻三（更新）' } : i));
  const updated = discoverItems(marked, ctx(known));
  assert.equal(updated.items.length, 1);
  assert.equal(updated.items[0]?.status, 'updated');
  assert.equal(updated.items[0]?.id, 'n3');
  assert.equal(updated.items[0]?.title, '新闻三', 'the marker is not part of the mirrored title');
});

test('an article claimed by another channel is not mirrored twice', () => {
  const claimed = new Set(['https://news.example/gb/26/11/20/n1.htm']);
  const r = discoverItems(items, ctx(new Map(), claimed));
  assert.deepEqual(
    r.items.map((i) => i.id),
    ['n3'],
  );
  const inOther = new Map([
    ['https://news.example/gb/26/11/20/n3.htm', { id: 'n3', fingerprint: 'x', channel: 'dworld' }],
  ]);
  assert.deepEqual(
    discoverItems(items, ctx(inOther)).items.map((i) => i.id),
    ['n1'],
  );
});

test('two different URLs with the same id get distinct ids', () => {
  const known = new Map([['https://other.example/n1.htm', { id: 'n1', fingerprint: 'x', channel: 'dnews' }]]);
  const r = discoverItems([items[0] as FeedItem], ctx(known));
  assert.match(r.items[0]?.id ?? '', /^n1-[0-9a-f]{6}$/);
});

test('the fingerprint follows what the source says', () => {
  const a = itemFingerprint({ url: 'u', title: 't', summary: 's' });
  assert.equal(a, itemFingerprint({ url: 'u2', title: 't', summary: 's' }));
  assert.notEqual(a, itemFingerprint({ url: 'u', title: 't', summary: 's2' }));
});
