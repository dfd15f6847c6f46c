import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MirrorError } from '../errors.js';
import { createDateParser, parseFeedDate } from './dates.js';

const SH = 'Asia/Shanghai';
const TEN_AM_BEIJING = '2026-11-23T02:00:00.000Z';

describe('parseFeedDate', () => {
  test('RFC 822 with a numeric offset', () => {
    assert.equal(parseFeedDate('Mon, 23 Nov 2026 10:00:00 +0800', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('Thu, 16 Jul 2020 15:13:57 +0000', SH), '2020-07-16T15:13:57.000Z');
    assert.equal(parseFeedDate('23 Nov 2026 10:00 +08:00', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('Sun, 10 Dec 17 13:01:36 -0800', SH), '2017-12-10T21:01:36.000Z');
  });

  test('CST is China Standard Time for Chinese-speaking zones, US Central elsewhere', () => {
    assert.equal(parseFeedDate('Mon, 23 Nov 2026 10:00:00 CST', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('Mon, 23 Nov 2026 10:00:00 CST', 'Asia/Taipei'), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('Mon, 23 Nov 2026 10:00:00 CST', 'Asia/Hong_Kong'), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('Mon, 23 Nov 2026 10:00:00 CST', 'America/Chicago'), '2026-11-23T16:00:00.000Z');
    assert.equal(parseFeedDate('2026-11-23 10:00:00 CST', SH), TEN_AM_BEIJING);
  });

  test('GMT, UTC and Z', () => {
    assert.equal(parseFeedDate('Mon, 23 Nov 2026 02:00:00 GMT', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('Mon, 23 Nov 2026 02:00:00 UTC', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('2026-11-23T02:00:00Z', SH), TEN_AM_BEIJING);
  });

  test('ISO 8601 with and without offset', () => {
    assert.equal(parseFeedDate('2026-11-23T10:00:00+08:00', 'UTC'), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('2026-11-23T10:00:00.250+0800', 'UTC'), '2026-11-23T02:00:00.250Z');
    assert.equal(parseFeedDate('2026-11-23T10:00:00', SH), TEN_AM_BEIJING);
  });

  test('naive dates are read in the outlet zone, not the machine zone', () => {
    assert.equal(parseFeedDate('2026-11-23 10:00:00', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('2026-11-23 10:00', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('2026/11/23 10:00', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('2026/11/23 10:00:00', 'Asia/Taipei'), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('2026-11-23', SH), '2026-11-22T16:00:00.000Z');
    // A zone with daylight saving: summer and winter offsets differ.
    assert.equal(parseFeedDate('2026-07-01 12:00', 'Europe/London'), '2026-07-01T11:00:00.000Z');
    assert.equal(parseFeedDate('2026-12-01 12:00', 'Europe/London'), '2026-12-01T12:00:00.000Z');
    assert.equal(parseFeedDate('2026-07-01 12:00', 'America/New_York'), '2026-07-01T16:00:00.000Z');
  });

  test('年月日 forms', () => {
    assert.equal(parseFeedDate('2026年11月23日 10:00', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('2026年11月23日10:00:00', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('2026年11月23日 10时00分', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('２０２６年１１月２３日　１０：００', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('2026年11月23日 星期一 下午2:30', SH), '2026-11-23T06:30:00.000Z');
    assert.equal(parseFeedDate('更新时间：2026年11月23日', SH), '2026-11-22T16:00:00.000Z');
  });

  test('other forms go to Date.parse, placed in the outlet zone when they have none', () => {
    assert.equal(parseFeedDate('November 23, 2026 10:00', SH), TEN_AM_BEIJING);
    assert.equal(parseFeedDate('Mon Nov 23 2026 02:00:00 GMT+0000', SH), TEN_AM_BEIJING);
  });

  test('undefined when unparseable or impossible', () => {
    assert.equal(parseFeedDate(undefined, SH), undefined);
    assert.equal(parseFeedDate('', SH), undefined);
    assert.equal(parseFeedDate('yesterday', SH), undefined);
    assert.equal(parseFeedDate('2026-02-31 10:00', SH), undefined);
    assert.equal(parseFeedDate('2026-13-01', SH), undefined);
    assert.equal(parseFeedDate('Mon, 23 Foo 2026 10:00:00 +0800', SH), undefined);
  });

  test('an unknown zone is a config error, raised only when a zone is needed', () => {
    const parse = createDateParser('Mars/Olympus_Mons');
    assert.equal(parse('2026-11-23T02:00:00Z'), TEN_AM_BEIJING);
    assert.throws(
      () => parse('2026-11-23 10:00'),
      (err: unknown) => err instanceof MirrorError && err.code === 'ConfigInvalid',
    );
  });
});
