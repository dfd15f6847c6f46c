import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuGrowth, linear } from '../../test/lib/growth.js';
import type { SiteRule } from '../config/schema.js';
import { atLocalMidnight, namesOnlyDay, pickDate, SCRIPT_SCAN_CAP, scriptDate } from './dates.js';
import { indexTags, loadDocument } from './dom.js';
import { extractArticle } from './index.js';

const TZ = 'Asia/Shanghai';

function scriptsOf(html: string) {
  const $ = loadDocument(html);
  return indexTags($.root().toArray(), new Set(['script'])).get('script') ?? [];
}

/** A made-up article page whose only date is in `script` (every sentence written for this test). */
function page(script: string, meta = ''): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>河畔公园新添步道 - 示例新闻</title>${meta}
<script>${script}</script></head><body>
<div id="story"><h1>河畔公园新添步道</h1>
<p>河畔公园管理处今天宣布，公园东侧新修的一条步道已经完工，全长约两公里，沿途设有休息座椅。</p>
<p>管理处表示，步道夜间设有照明，附近居民可以在晚饭后散步，周末还会有志愿者介绍沿途的植物。</p>
<p>这条步道连接了公园的两个入口，过去居民需要绕行主路，现在步行时间缩短了大约十分钟。</p>
</div></body></html>`;
}

describe('scriptDate', () => {
  it('reads the usual script variables and JSON fields, in the outlet zone', () => {
    const cases: [string, string | undefined, boolean?][] = [
      ["window.DATA = { title: '河畔', pubtime:'2019-09-23 07:48', media: '示例' };", '2019-09-22T23:48:00.000Z'],
      ['var publish_time = "2021-03-04 05:06:07";', '2021-03-03T21:06:07.000Z'],
      [
        'window.__INITIAL_STATE__ = {"article":{"id":7,"publishTime":"2022-01-02T03:04:05+08:00"}};',
        '2022-01-01T19:04:05.000Z',
      ],
      ['{"@context":"https://schema.org","datePublished":"2020\\/02\\/24 21:25",}', '2020-02-24T13:25:00.000Z'],
      ['var pubDate = 1569196080;', '2019-09-22T23:48:00.000Z'],
      ['var info = { ptime: 1569196080000 };', '2019-09-22T23:48:00.000Z'],
      ['var publishDate ="20200803071652 ";', '2020-08-02T23:16:52.000Z'],
      ["config = { pagepubtime: '2018-12-28' };", '2018-12-27T16:00:00.000Z', true],
      ["var meta = { pub_time: '2016年10月14日07:17' };", '2016-10-13T23:17:00.000Z'],
      // Not dates: a function, an unquoted expression, a zero, a key that only ends like one.
      ['var publishTime = function () { return 0; };', undefined],
      ['var pubtime = window.x || "";', undefined],
      ["var pubtime = '0';", undefined],
      ["var republished_at = '2019-09-23 07:48';", undefined],
    ];
    for (const [script, iso, dayOnly] of cases) {
      const got = scriptDate(scriptsOf(page(script)), TZ);
      assert.equal(got.published, iso, script);
      if (iso) assert.equal(got.publishedDayOnly, dayOnly ?? false, script);
    }
  });

  it('takes the first plausible value in document order, and skips external scripts', () => {
    const html = `<script src="https://cdn.example/x.js">var pubtime = '2001-01-01 00:00';</script>
<script>var pubtime = '1970-01-01 00:00'; var publish_time = '2019-09-23 07:48';</script>
<script>var publish_time = '2020-01-01 00:00';</script>`;
    assert.equal(scriptDate(scriptsOf(html), TZ).published, '2019-09-22T23:48:00.000Z');
  });

  it('reads no further than its cap, and stays fast on hostile script text', () => {
    const late = `var x = "${'a'.repeat(SCRIPT_SCAN_CAP)}"; var pubtime = '2019-09-23 07:48';`;
    assert.equal(scriptDate(scriptsOf(`<script>${late}</script>`), TZ).published, undefined);
    // Near-misses at every position: each costs a bounded number of steps.
    const hostile = (n: number) => `<script>${'pubtime: "'.repeat(2 * n)}${"publish_time= '1".repeat(n)}</script>`;
    assert.equal(scriptDate(scriptsOf(hostile(20_000)), TZ).published, undefined);
    // Linear in the script text: 8 times the text, about 8 times the work (CPU time, not a clock bound).
    const ratio = cpuGrowth((n) => scriptDate(scriptsOf(hostile(n)), TZ), 2_500);
    assert.ok(linear(ratio), `8 times the text took ${ratio.toFixed(1)} times the CPU time`);
  });
});

describe('date precision', () => {
  it('a text names only a day when it has no time of day', () => {
    assert.equal(namesOnlyDay('2024年4月24日'), true);
    assert.equal(namesOnlyDay('来源：示例日报 | 2024-04-24'), true);
    assert.equal(namesOnlyDay('April 24, 2024'), true);
    assert.equal(namesOnlyDay('2024年4月24日 07:16'), false);
    assert.equal(namesOnlyDay('2024-04-24T07:16:00+08:00'), false);
    assert.equal(namesOnlyDay('2024年4月24日7时16分'), false);
  });

  it('local midnight to the second is how a feed writes a day', () => {
    assert.equal(atLocalMidnight('2024-04-23T16:00:00.000Z', TZ), true);
    assert.equal(atLocalMidnight('2024-04-23T16:00:00.000Z', 'UTC'), false);
    assert.equal(atLocalMidnight('2024-04-24T00:00:00.000Z', 'UTC'), true);
    assert.equal(atLocalMidnight('2024-04-23T16:01:00.000Z', TZ), false);
    assert.equal(atLocalMidnight(undefined, TZ), false);
  });

  it('the most trusted date wins; a day yields to a time on that same day', () => {
    const day = { published: '2024-04-23T16:00:00.000Z', publishedDayOnly: true };
    const sameDay = { published: '2024-04-24T01:30:00.000Z' };
    const otherDay = { published: '2024-04-26T01:30:00.000Z' };
    assert.deepEqual(pickDate([{}, sameDay, day]), { published: sameDay.published, precision: 'time' });
    assert.deepEqual(pickDate([day, otherDay]), { published: day.published, precision: 'day' });
    assert.deepEqual(pickDate([day, sameDay]), { published: sameDay.published, precision: 'time' });
    assert.deepEqual(pickDate([{}, {}]), { precision: 'none' });
  });
});

describe('extractArticle dates', () => {
  const rule: SiteRule = {
    name: 'example-news',
    hosts: ['news.example.com'],
    example: 'https://news.example.com/a/1.html',
    body: ['#story'],
    date: ['.date'],
  };
  const url = 'https://news.example.com/a/1.html';

  // Issue 16.5: qq.com states the date only in a script; the article looked like today's news.
  it('dates an article from a script variable when nothing else does', () => {
    const a = extractArticle({ html: page("window.DATA = { pubtime:'2019-09-23 07:48' };"), url, timezone: TZ });
    assert.equal(a.published, '2019-09-22T23:48:00.000Z');
    assert.equal(a.datePrecision, 'time');
  });

  it('a script date is trusted below the page and the feed', () => {
    const html = page(
      "var pubtime = '2019-09-23 07:48';",
      '<meta property="article:published_time" content="2019-09-24T10:00:00+08:00">',
    );
    assert.equal(extractArticle({ html, url, timezone: TZ }).published, '2019-09-24T02:00:00.000Z');
    const item = { url, title: '河畔公园新添步道', published: '2019-09-25T02:00:00.000Z' };
    assert.equal(
      extractArticle({ html: page("var pubtime = '2019-09-23 07:48';"), url, item }).published,
      item.published,
    );
  });

  it('marks an article no source dates, and a date that names only a day', () => {
    const undated = extractArticle({ html: page('var x = 1;'), url, timezone: TZ });
    assert.equal(undated.published, undefined);
    assert.equal(undated.datePrecision, 'none');
    const day = extractArticle({
      html: page('var x = 1;').replace('<h1>', '<p class="date">2024年4月24日</p><h1>'),
      url,
      rule,
      timezone: TZ,
    });
    assert.equal(day.published, '2024-04-23T16:00:00.000Z');
    assert.equal(day.datePrecision, 'day');
    const timed = extractArticle({
      html: page('var x = 1;').replace('<h1>', '<p class="date">2024年4月24日 09:30</p><h1>'),
      url,
      rule,
      timezone: TZ,
    });
    assert.equal(timed.datePrecision, 'time');
    const feedDay = extractArticle({
      html: page('var x = 1;'),
      url,
      item: { url, title: 't', published: '2024-04-23T16:00:00.000Z' },
      timezone: TZ,
    });
    assert.equal(feedDay.datePrecision, 'day');
  });
});
