/**
 * Where each item of a feed sits in time, from its place in the feed: what an article sorts by
 * when neither the feed nor its page gives it a date. Sorted by the time it was first seen, such
 * an article would go to the top of its index as the newest, however old it is.
 *
 * Feeds and listing pages list their items newest first. `known[i]` is the time (ms) of the
 * i-th item when something gives one (its date in the feed, or the time the mirror already
 * sorts its article by). An item without one is put just above the nearest item below it that
 * has one, a millisecond per place between them, so that it sorts right above that item and
 * below the one listed above it; with none below, just under the nearest one above it; with
 * none at all, `readAt` minus a millisecond per place, so that the whole feed keeps its order
 * and sorts above what earlier reads of it found.
 */
export function feedOrder(known: readonly (number | undefined)[], readAt: number): number[] {
  const n = known.length;
  const out = new Array<number>(n);
  // The nearest known time below each place, found in one pass from the end.
  let below: number | undefined;
  let belowAt = n;
  const fromBelow = new Array<number | undefined>(n);
  for (let i = n - 1; i >= 0; i--) {
    const t = known[i];
    if (t !== undefined) {
      below = t;
      belowAt = i;
      fromBelow[i] = t;
    } else {
      fromBelow[i] = below === undefined ? undefined : below + (belowAt - i);
    }
  }
  let above: number | undefined;
  let aboveAt = -1;
  for (let i = 0; i < n; i++) {
    const t = known[i];
    if (t !== undefined) {
      above = t;
      aboveAt = i;
      out[i] = t;
    } else {
      out[i] = fromBelow[i] ?? (above === undefined ? readAt - i : above - (i - aboveAt));
    }
  }
  return out;
}
