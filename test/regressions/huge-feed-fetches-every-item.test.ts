/**
 * Bug: a feed of 100,000 items (within the size cap) queued 100,000 article fetches,
 * although retention keeps `pagesPerChannel` pages per channel and drops the rest at once.
 * Found by the fault suite (test/faults/network, `huge-feed`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discoverItems } from '../../src/discover/index.js';
import type { FeedItem } from '../../src/types.js';

test('discovery looks at no more than the newest `limit` items of a feed', () => {
  const t0 = Date.UTC(2026, 10, 1);
  // Oldest first, as some feeds list them.
  const items: FeedItem[] = Array.from({ length: 1000 }, (_, i) => ({
    url: `https://example.com/a/${i}.html`,
    title: `Item ${i}`,
    published: new Date(t0 + i * 60_000).toISOString(),
  }));
  const r = discoverItems(items, {
    outlet: 'X',
    channel: 'x',
    titleExclude: [],
    known: { byUrl: () => undefined, idTaken: () => false },
    claimed: new Set(),
    limit: 20,
  });
  assert.equal(r.items.length, 20);
  assert.deepEqual(
    r.items.map((i) => i.id),
    Array.from({ length: 20 }, (_, k) => String(980 + k)),
  );
  assert.equal(r.filtered, 980);
});
