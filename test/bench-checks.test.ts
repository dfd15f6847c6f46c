/**
 * `npm run bench` can fail (issue 18.4): the checks it runs on its figures flag a missed target
 * and a figure that was not produced or is not sane.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insaneFigures, missedTargets } from '../bench/checks.js';

test('a row below its target is missed; rows without a target never are', () => {
  const rows = [
    { metric: 'rule pages', value: '18.7×', target: '≥ 5×', ok: true },
    { metric: 'fallback pages', value: '4.1×', target: '≥ 5×', ok: false },
    { metric: 'build', value: '31 s' },
  ];
  assert.deepEqual(missedTargets(rows), ['fallback pages: 4.1× (target ≥ 5×)']);
  assert.deepEqual(missedTargets(rows.slice(0, 1)), []);
});

test('figures that are missing, not finite, negative or zero where they must be positive are not sane', () => {
  const good = {
    processing: { ratioVsBaseline: 12.5, fallbackPages: { ratioVsBaseline: 6.8 } },
    noop: { ms: 2600, pagesWritten: 0 },
    memory: { rssRatio10kTo1k: null },
  };
  const positive = ['processing.ratioVsBaseline', 'processing.fallbackPages.ratioVsBaseline', 'noop.ms'];
  assert.deepEqual(insaneFigures(good, positive, ['memory.rssRatio10kTo1k']), []);
  assert.deepEqual(insaneFigures(good, positive), ['memory.rssRatio10kTo1k: missing']);

  const broken = {
    processing: { ratioVsBaseline: Number.NaN, fallbackPages: { ratioVsBaseline: 0 } },
    noop: { ms: Number.POSITIVE_INFINITY, pagesWritten: -1 },
    memory: { rssRatio10kTo1k: null },
  };
  assert.deepEqual(insaneFigures(broken, positive, ['memory.rssRatio10kTo1k']), [
    'processing.ratioVsBaseline = NaN',
    'noop.ms = Infinity',
    'noop.pagesWritten = -1 < 0',
    'processing.fallbackPages.ratioVsBaseline = 0, not > 0',
  ]);
  assert.deepEqual(insaneFigures({ processing: {} }, ['processing.ratioVsBaseline']), [
    'processing.ratioVsBaseline = undefined, not > 0',
  ]);
});
