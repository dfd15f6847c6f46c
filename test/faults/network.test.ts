/**
 * Network and document faults. For each fault the origin can inject, a sync of one
 * healthy and one faulty source: the healthy one is mirrored, the failure is recorded
 * with its cause (run report, `sources` and `failures` tables), nothing partial is
 * written, and the next run, with the origin healthy again, recovers everything.
 * The same again with the fault on one article page instead of the feed.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readMetaComment } from '../../src/render/markdown.js';
import type { RunReport } from '../../src/types.js';
import { addFigures } from './lib/figures.js';
import { cli, load, suiteConfig, syncOnce, withStore, workdir, writeConfig } from './lib/harness.js';
import { checkCommitted, checkMirror, checkNothingLost, listAll } from './lib/invariants.js';
import { type Fault, type FaultOrigin, GIGABYTE, HUGE_FEED_ITEMS, startFaultOrigin } from './lib/origin.js';

interface Expectation {
  fault: Fault;
  /** fail: the source (or article) fails with `code`; ok: the fault is survived with nothing lost. */
  outcome: 'fail' | 'ok';
  code?: RegExp;
  /** Extra checks once the first run is over. */
  check?: (ctx: ScenarioResult) => void;
  fetch?: Record<string, unknown>;
}

interface ScenarioResult {
  origin: FaultOrigin;
  faultPath: string;
  report: RunReport;
  ms: number;
  mirror: string;
  bad: string;
}

const RETRIES = 1;
/**
 * The origin shares this process's event loop with the pipeline, so the usual timeout is
 * generous (a busy loop must not fail a healthy fetch); only the silent origins get a short one.
 */
const SHORT_TIMEOUT = { timeoutMs: 1500 };
const SMALL = 64 * 1024 * 1024;
const CHINESE = (n: number) => ({
  title: `港口新闻第${n}条：渡轮时刻表调整`,
  body: `<p>港务局说，新的渡轮时刻表下周一起实行，第${n}篇。</p><p>居民要求增加晚间班次。</p>`,
});

const FEED_FAULTS: Expectation[] = [
  { fault: 'status-500', outcome: 'fail', code: /HttpStatus/ },
  { fault: 'status-500-retry-after', outcome: 'fail', code: /HttpStatus/, check: retried },
  { fault: 'status-503', outcome: 'fail', code: /HttpStatus/, check: retried },
  { fault: 'status-503-retry-after', outcome: 'fail', code: /HttpStatus/, check: retried },
  { fault: 'status-503-retry-date', outcome: 'fail', code: /HttpStatus/, check: retried },
  {
    fault: 'status-429',
    outcome: 'fail',
    code: /HttpStatus/,
    check: (r) => {
      // Retry-After: 3600 capped by fetch.retryMaxMs: every retry was made (uncapped, the run would
      // wait hours and end at the test's time limit, not here).
      retried(r);
      assert.match(failureOf(r).message, /429/);
    },
  },
  {
    fault: 'status-404',
    outcome: 'fail',
    code: /HttpStatus/,
    check: (r) => assert.equal(r.origin.requests(r.faultPath), 1, 'a 404 is not retried'),
  },
  {
    fault: 'transient-503',
    outcome: 'ok',
    check: (r) => assert.equal(r.origin.requests(r.faultPath), 2, 'one 503, one retry that worked'),
  },
  { fault: 'reset', outcome: 'fail', code: /FetchFailed/ },
  { fault: 'reset-mid-body', outcome: 'fail', code: /FetchFailed/ },
  { fault: 'hang', outcome: 'fail', code: /FetchTimeout/, fetch: SHORT_TIMEOUT },
  { fault: 'drip', outcome: 'fail', code: /FetchTimeout/, fetch: SHORT_TIMEOUT },
  {
    fault: 'truncated-feed',
    outcome: 'ok',
    check: (r) => {
      // The corpus feed is cut inside its 50th item: the 49 complete ones are mirrored, the cut one is not.
      const pages = listAll(r.mirror).filter((f) => f.startsWith(`pages/${r.bad}/`) && f.endsWith('.md'));
      assert.equal(pages.length, 49);
      assert.ok(!pages.some((f) => f.includes('n11428864')), 'the cut item is not mirrored');
    },
  },
  { fault: 'wrong-content-type', outcome: 'ok' },
  { fault: 'charset-lie-utf8-header', outcome: 'ok', check: chineseTitles },
  { fault: 'charset-lie-gbk-header', outcome: 'ok', check: chineseTitles },
  { fault: 'malformed-xml', outcome: 'fail', code: /FeedParse/ },
  { fault: 'empty-body', outcome: 'fail', code: /FeedParse/ },
  {
    fault: 'html-not-feed',
    outcome: 'fail',
    code: /FeedParse/,
    check: (r) => assert.match(failureOf(r).message, /RSS, Atom, RDF or JSON Feed/),
  },
  { fault: 'binary-body', outcome: 'fail', code: /NotADocument/ },
  { fault: 'huge-feed', outcome: 'fail', code: /TooLarge/ },
  { fault: 'gigabyte', outcome: 'fail', code: /TooLarge/, check: cutEarly },
  { fault: 'gigabyte-declared', outcome: 'fail', code: /TooLarge/, check: cutEarly },
  { fault: 'gzip-bomb', outcome: 'fail', code: /TooLarge/, check: cutEarly },
  { fault: 'redirect-loop', outcome: 'fail', code: /TooManyRedirects/ },
  { fault: 'redirect-chain-long', outcome: 'fail', code: /TooManyRedirects/ },
  { fault: 'redirect-chain-ok', outcome: 'ok' },
  { fault: 'redirect-scheme-ftp', outcome: 'fail', code: /UnsupportedScheme/ },
  { fault: 'redirect-scheme-file', outcome: 'fail', code: /UnsupportedScheme/ },
  { fault: 'redirect-scheme-javascript', outcome: 'fail', code: /UnsupportedScheme|FetchFailed/ },
];

const ARTICLE_FAULTS: Expectation[] = [
  { fault: 'status-500', outcome: 'fail', code: /HttpStatus/ },
  { fault: 'status-503-retry-after', outcome: 'fail', code: /HttpStatus/ },
  { fault: 'status-429', outcome: 'fail', code: /HttpStatus/ },
  { fault: 'reset', outcome: 'fail', code: /FetchFailed/ },
  { fault: 'reset-mid-body', outcome: 'fail', code: /FetchFailed/ },
  { fault: 'hang', outcome: 'fail', code: /FetchTimeout/, fetch: SHORT_TIMEOUT },
  { fault: 'drip', outcome: 'fail', code: /FetchTimeout/, fetch: SHORT_TIMEOUT },
  { fault: 'empty-body', outcome: 'fail', code: /ExtractEmpty/ },
  { fault: 'binary-body', outcome: 'fail', code: /NotADocument/ },
  { fault: 'gigabyte', outcome: 'fail', code: /TooLarge/, check: cutEarly },
  { fault: 'gzip-bomb', outcome: 'fail', code: /TooLarge/, check: cutEarly },
  { fault: 'redirect-loop', outcome: 'fail', code: /TooManyRedirects/ },
  { fault: 'redirect-scheme-file', outcome: 'fail', code: /UnsupportedScheme/ },
  { fault: 'wrong-content-type', outcome: 'ok' },
  { fault: 'charset-lie-utf8-header', outcome: 'ok', check: chineseTitles },
  { fault: 'redirect-chain-ok', outcome: 'ok' },
];

function failureOf(r: ScenarioResult) {
  const f = r.report.failures.find((x) => x.source === `F/${r.bad}`);
  assert.ok(f, `a failure is recorded for F/${r.bad}: ${JSON.stringify(r.report.failures)}`);
  return f;
}

function retried(r: ScenarioResult): void {
  assert.equal(r.origin.requests(r.faultPath), RETRIES + 1, 'a "try later" status is retried fetch.retries times');
}

function cutEarly(r: ScenarioResult): void {
  const sent = r.origin.bytesWritten(r.faultPath);
  assert.ok(sent < SMALL, `the download was cut at the cap: the origin wrote ${sent} bytes of ${GIGABYTE}`);
}

function chineseTitles(r: ScenarioResult): void {
  const pages = listAll(r.mirror).filter((f) => f.startsWith(`pages/${r.bad}/`) && f.endsWith('.md'));
  assert.ok(pages.length >= 1);
  for (const p of pages) {
    const meta = readMetaComment(readFileSync(path.join(r.mirror, p), 'utf8'), 'article') as { title: string };
    assert.match(meta.title, /^港口新闻第\d+条：渡轮时刻表调整$/, `${p}: the title was decoded right`);
  }
}

const counts = { runsSurvived: 0, invariantsChecked: 0, lost: 0 };

describe('network faults: every fault is recorded, survived and recovered from', { concurrency: 3 }, () => {
  let origin: FaultOrigin;
  before(async () => {
    origin = await startFaultOrigin();
  });
  after(async () => {
    addFigures('network', { faultsInjected: origin.faultsServed(), vectorsTried: 0, ...counts });
    await origin.close();
  });

  async function scenario(level: 'feed' | 'article', spec: Expectation): Promise<void> {
    const slug = `${level === 'feed' ? 'f' : 'a'}-${spec.fault}`;
    const good = `good-${slug}`;
    const bad = `bad-${slug}`;
    origin.addChannel(good, 3);
    origin.addChannel(bad, 3, spec.fault.startsWith('charset') ? CHINESE : undefined);
    const faultPath = level === 'feed' ? `/c/${bad}/feed.xml` : `/c/${bad}/a/${bad}-2.html`;
    origin.setFault(faultPath, spec.fault);
    const dir = workdir(slug);
    const file = writeConfig(
      dir,
      suiteConfig(
        [
          { id: good, feed: `${origin.url}/c/${good}/feed.xml` },
          { id: bad, feed: `${origin.url}/c/${bad}/feed.xml` },
        ],
        spec.fetch ? { fetch: spec.fetch } : {},
      ),
    );
    const config = load(file);
    const mirror = config.output.dir;

    const t0 = Date.now();
    const report = await syncOnce(config);
    const ms = Date.now() - t0;
    const result: ScenarioResult = { origin, faultPath, report, ms, mirror, bad };

    // The healthy source is mirrored whatever happens to the other one.
    for (const a of origin.articles(good)) assert.ok(existsSync(path.join(mirror, `pages/${good}/${a.id}.md`)), a.id);
    const source = `F/${bad}`;
    if (spec.outcome === 'fail') {
      const f = failureOf(result);
      assert.match(f.code, spec.code ?? /./, `${spec.fault}: ${f.code} ${f.message}`);
      assert.ok(f.message.length > 0);
      withStore(config, (store) => {
        const recorded = store.recentFailures(source, 5)[0];
        assert.ok(recorded, 'the failure is in the database');
        assert.match(recorded.code, spec.code ?? /./);
        if (level === 'feed') {
          const status = store.sourceStatuses().find((s) => s.source === source);
          assert.equal(status?.consecutiveFailures, 1);
          assert.match(status?.lastError ?? '', spec.code ?? /./, 'status names the cause');
        } else {
          const pending = store.pendingItems().find((p) => p.item.id === `${bad}-2`);
          assert.ok(pending, 'the failed article waits in pending for the next run');
          assert.equal(pending.attempts, 1);
        }
      });
      if (level === 'feed') {
        assert.ok(!existsSync(path.join(mirror, `pages/${bad}`)), 'nothing of the failed feed is written');
      } else {
        assert.ok(!existsSync(path.join(mirror, `pages/${bad}/${bad}-2.md`)), 'no page for the failed article');
        assert.ok(existsSync(path.join(mirror, `pages/${bad}/${bad}-1.md`)), 'the other articles are mirrored');
      }
      assert.equal(report.sources.failed, level === 'feed' ? 1 : 0);
    } else {
      assert.deepEqual(report.failures, [], `${spec.fault} is survived without a failure`);
    }
    spec.check?.(result);
    const first = checkMirror(mirror, { completed: true });
    counts.invariantsChecked += first.checked + checkCommitted(mirror);
    counts.runsSurvived++;

    // The origin recovers; so does the mirror, and nothing it had is gone.
    origin.setFault(faultPath, undefined);
    const second = await syncOnce(config);
    assert.deepEqual(second.failures, [], 'the next run recovers');
    if (level === 'article') {
      assert.equal(second.sources.notModified, 2, 'both feeds answered 304; the article came from pending');
    }
    for (const a of origin.articles(bad)) {
      assert.ok(existsSync(path.join(mirror, `pages/${bad}/${a.id}.md`)), `${a.id} is mirrored after recovery`);
    }
    withStore(config, (store) => {
      const status = store.sourceStatuses().find((s) => s.source === source);
      assert.equal(status?.consecutiveFailures, 0);
      assert.equal(status?.lastError, null);
      assert.equal(store.pendingItems().length, 0, 'nothing waits');
      const missing = [...origin.articles(good), ...origin.articles(bad)].filter((a) => !store.getArticle(a.id));
      counts.lost += missing.length;
      assert.deepEqual(missing, []);
    });
    const end = checkMirror(mirror, { completed: true });
    counts.invariantsChecked += end.checked + checkCommitted(mirror) + checkNothingLost(first.snapshot, end.snapshot);
    counts.runsSurvived++;
  }

  for (const spec of FEED_FAULTS) test(`feed fault: ${spec.fault}`, () => scenario('feed', spec));
  for (const spec of ARTICLE_FAULTS) test(`article fault: ${spec.fault}`, () => scenario('article', spec));

  test('a feed of 100,000 items under the size cap costs no more than retention keeps', async () => {
    origin.addChannel('huge-good', 2);
    origin.addChannel('huge-bad', 2);
    origin.setFault('/c/huge-bad/feed.xml', 'huge-feed');
    const dir = workdir('huge-under-cap');
    const keep = 20;
    const config = load(
      writeConfig(
        dir,
        suiteConfig(
          [
            { id: 'huge-good', feed: `${origin.url}/c/huge-good/feed.xml` },
            { id: 'huge-bad', feed: `${origin.url}/c/huge-bad/feed.xml` },
          ],
          // 21 MB from an origin that shares this busy process: a generous timeout.
          {
            fetch: { maxBytes: 64 * 1024 * 1024, timeoutMs: 30_000 },
            retention: { pagesPerChannel: keep, qrPerChannel: 5 },
          },
        ),
      ),
    );
    const report = await syncOnce(config);
    assert.deepEqual(report.failures, []);
    assert.equal(report.items.seen, HUGE_FEED_ITEMS + 2);
    assert.equal(report.articles.mirrored, keep + 2, 'the newest `pagesPerChannel` items and the healthy ones');
    assert.ok(report.items.filtered >= HUGE_FEED_ITEMS - keep);
    assert.equal(
      origin.requestsUnder('/c/huge-bad/a/'),
      keep,
      'the newest items only: no fetch for items retention would drop',
    );
    const pages = listAll(config.output.dir).filter((f) => f.startsWith('pages/huge-bad/') && f.endsWith('.md'));
    assert.deepEqual(
      pages.map((f) => path.basename(f, '.md')).sort(),
      Array.from({ length: keep }, (_, j) => `huge-bad-h${j}`).sort(),
      'the newest items are the ones mirrored',
    );
    counts.invariantsChecked +=
      checkMirror(config.output.dir, { completed: true }).checked + checkCommitted(config.output.dir);
    counts.runsSurvived++;
  });

  test('through the CLI: exit 3 and `status --json` name the cause; the next run exits 0', async () => {
    origin.addChannel('cli-good', 2);
    origin.addChannel('cli-bad', 2);
    origin.setFault('/c/cli-bad/feed.xml', 'reset');
    const dir = workdir('cli');
    writeConfig(
      dir,
      suiteConfig([
        { id: 'cli-good', feed: `${origin.url}/c/cli-good/feed.xml` },
        { id: 'cli-bad', feed: `${origin.url}/c/cli-bad/feed.xml` },
      ]),
    );
    const r = await cli(['sync'], dir);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /source F\/cli-bad: FAILED/);
    const s = await cli(['status', '--json'], dir);
    const status = JSON.parse(s.stdout) as {
      sources: {
        source: string;
        lastError: string | null;
        consecutiveFailures: number;
        recentFailures: { code: string }[];
      }[];
    };
    const bad = status.sources.find((x) => x.source === 'F/cli-bad');
    assert.match(bad?.lastError ?? '', /^FetchFailed: /);
    assert.equal(bad?.recentFailures[0]?.code, 'FetchFailed');
    assert.equal(status.sources.find((x) => x.source === 'F/cli-good')?.consecutiveFailures, 0);
    origin.setFault('/c/cli-bad/feed.xml', undefined);
    const again = await cli(['sync'], dir);
    assert.equal(again.code, 0, again.stderr);
    const s2 = JSON.parse((await cli(['status', '--json'], dir)).stdout) as typeof status;
    assert.equal(s2.sources.find((x) => x.source === 'F/cli-bad')?.consecutiveFailures, 0);
    counts.runsSurvived += 2;
  });
});
