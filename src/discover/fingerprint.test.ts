/**
 * The item fingerprint, field by field (issue 18.3): what the source says about an item decides
 * whether a known article is looked at again. Each row changes one field of a known item and
 * says whether discovery must report an update.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeedItem } from '../types.js';
import { type DiscoverContext, discoverItems, itemFingerprint } from './index.js';

const base: FeedItem = {
  url: 'https://news.example/2026/11/20/n100.html',
  title: 'Ferry timetable changes',
  published: '2026-11-20T10:00:00.000Z',
  updated: '2026-11-20T11:00:00.000Z',
  author: 'Harbour desk',
  summary: 'Ferries leave every twenty minutes.',
  content: '<p>Ferries leave every twenty minutes from Monday.</p>',
  image: 'https://news.example/img/ferry.jpg',
};

const rows: { field: string; change: Partial<FeedItem>; update: boolean }[] = [
  { field: 'title', change: { title: 'Ferry timetable changes again' }, update: true },
  { field: 'published', change: { published: '2026-11-21T10:00:00.000Z' }, update: true },
  { field: 'updated', change: { updated: '2026-11-22T08:30:00.000Z' }, update: true },
  { field: 'updated (dropped)', change: { updated: undefined }, update: true },
  { field: 'summary', change: { summary: 'Ferries leave every thirty minutes.' }, update: true },
  { field: 'content', change: { content: '<p>Ferries leave every thirty minutes from Monday.</p>' }, update: true },
  // Two fields' words moved from one to the other: still a change (no concatenation collisions).
  { field: 'summary → title', change: { title: `${base.title}${base.summary}`, summary: '' }, update: true },
  // A tracking parameter or fragment is not a change: the canonical URL is the article's identity.
  { field: 'url (tracking)', change: { url: `${base.url}?utm_source=feed#top` }, update: false },
  { field: 'nothing', change: {}, update: false },
];

function ctx(fingerprint: string): DiscoverContext {
  return {
    outlet: 'Harbour Post',
    channel: 'local',
    titleExclude: [],
    known: {
      byUrl: (u) => (u === base.url ? { id: 'n100', fingerprint, channel: 'local' } : undefined),
      idTaken: (id) => id === 'n100',
    },
    claimed: new Set(),
  };
}

for (const row of rows) {
  test(`fingerprint: ${row.field} changed → ${row.update ? 'update' : 'unchanged'}`, () => {
    const known = itemFingerprint(base);
    const r = discoverItems([{ ...base, ...row.change }], ctx(known));
    if (row.update) {
      assert.equal(r.items.length, 1, `${row.field}: looked at again`);
      assert.equal(r.items[0]?.status, 'updated');
      assert.equal(r.items[0]?.id, 'n100', 'the same article, not a new one');
      assert.notEqual(r.items[0]?.fingerprint, known, 'the new fingerprint is remembered');
      assert.equal(r.unchanged, 0);
    } else {
      assert.deepEqual(r.items, []);
      assert.equal(r.unchanged, 1);
    }
  });
}

test('fingerprint: stable for the same words, a fixed-length hex string', () => {
  const a = itemFingerprint(base);
  assert.equal(a, itemFingerprint({ ...base }));
  assert.match(a, /^[0-9a-f]{32}$/);
});
