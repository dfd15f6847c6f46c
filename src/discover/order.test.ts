import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedOrder } from './order.js';

const H = 3_600_000;

test('an undated item sits just above the nearest dated item below it', () => {
  // Newest first: 10:00, (undated), (undated), 08:00.
  const t = feedOrder([10 * H, undefined, undefined, 8 * H], 99 * H);
  assert.deepEqual(t, [10 * H, 8 * H + 2, 8 * H + 1, 8 * H]);
  assert.ok((t[0] ?? 0) > (t[1] ?? 0) && (t[1] ?? 0) > (t[2] ?? 0) && (t[2] ?? 0) > (t[3] ?? 0), 'feed order kept');
});

test('with nothing dated below, just under the nearest dated item above; with nothing dated, below the read time', () => {
  assert.deepEqual(feedOrder([10 * H, undefined, undefined], 99 * H), [10 * H, 10 * H - 1, 10 * H - 2]);
  assert.deepEqual(feedOrder([undefined, undefined, undefined], 99 * H), [99 * H, 99 * H - 1, 99 * H - 2]);
  assert.deepEqual(feedOrder([], 99 * H), []);
});
