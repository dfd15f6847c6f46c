import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MirrorError } from '../errors.js';
import { formatDuration, parseDuration, parseSchedule } from './schedule.js';

test('durations: 90s, 15m, 1h, 1h30m, 1d2h', () => {
  assert.equal(parseDuration('90s', '--every'), 90_000);
  assert.equal(parseDuration('15m', '--every'), 900_000);
  assert.equal(parseDuration('1h', '--every'), 3_600_000);
  assert.equal(parseDuration('1h30m', '--every'), 5_400_000);
  assert.equal(parseDuration('1d2h', '--every'), 93_600_000);
  assert.equal(parseDuration(' 2m5s ', '--every'), 125_000);
  assert.equal(parseDuration('0s', '--jitter'), 0);
});

test('durations: refused with the option named and a hint', () => {
  for (const bad of ['', '60', '1.5h', '30m1h', '1h1h', '5 m', '-1m', '500ms', '8d', 'h']) {
    assert.throws(
      () => parseDuration(bad, '--every'),
      (e: unknown) =>
        e instanceof MirrorError && e.code === 'UsageInvalid' && e.message.includes('--every') && !!e.hint,
      bad,
    );
  }
});

test('schedule: --every at least 1s, --jitter at most --every', () => {
  assert.deepEqual(parseSchedule('1h', '5m'), { everyMs: 3_600_000, jitterMs: 300_000 });
  assert.deepEqual(parseSchedule('2s', undefined), { everyMs: 2000, jitterMs: 0 });
  assert.throws(() => parseSchedule('0s', undefined), /shorter than one second/);
  assert.throws(() => parseSchedule('10m', '11m'), /longer than --every/);
});

test('formatDuration writes what parseDuration reads', () => {
  for (const ms of [1000, 90_000, 3_600_000, 5_400_000, 93_600_000, 3_661_000]) {
    assert.equal(parseDuration(formatDuration(ms), 'x'), ms);
  }
  assert.equal(formatDuration(5_400_000), '1h30m');
});
