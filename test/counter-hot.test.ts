/**
 * The hot list follows the view counter's counts, end to end (issue 12 point 3): a mirror
 * synced from a real origin on 127.0.0.1, views counted by the real counter over real HTTP
 * (distinct readers as X-Forwarded-For, the counter trusting it as behind a proxy), then
 * `build`: the hot-list index and the home page list the pages in count order, and a counted
 * page older than its channel's retention stays in the mirror. Then a counter configured by
 * URL that is down: sync and build keep the last hot list, report `CounterUnavailable`, and
 * do not fail (exit 0).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULTS } from '../src/config/defaults.js';
import { loadConfig } from '../src/config/load.js';
import type { MirrorConfig } from '../src/config/schema.js';
import { starterConfig } from '../src/config/starter.js';
import { counterOptions, type RunningCounter, startCounter } from '../src/counter/index.js';
import { buildMirror } from '../src/pipeline.js';
import { Store } from '../src/store/database.js';
import type { RunReport } from '../src/types.js';
import { load, suiteConfig, syncOnce, workdir, writeConfig } from './faults/lib/harness.js';
import { type FaultOrigin, startFaultOrigin } from './faults/lib/origin.js';
import { cli } from './helpers.js';
import { refusedAddress } from './lib/git-http-server.js';

/** The page paths a Markdown list links to, in its order (`1. [title](../pages/c/id.md?id)`). */
function listed(markdown: string): string[] {
  return [...markdown.matchAll(/^\d+\. \[[^\]]*\]\((?:\.\.\/)?(pages\/[^)?]+\.md)/gm)].map((m) => m[1] ?? '');
}

/** The home page's hot section (`#### <hot-list name>` up to the next rule or heading). */
function homeHot(config: MirrorConfig): string[] {
  const home = readFileSync(path.join(config.output.dir, 'README.md'), 'utf8');
  const start = home.indexOf(`#### ${config.layout.hotList.name}\n`);
  assert.ok(start >= 0, `no hot section on the home page:\n${home}`);
  const rest = home.slice(start + 5);
  const end = rest.search(/\n(?:####|-{6,})/);
  return listed(end < 0 ? rest : rest.slice(0, end));
}

function hotIndex(config: MirrorConfig): string[] {
  return listed(readFileSync(path.join(config.output.dir, 'indexes', `${config.layout.hotList.name}.md`), 'utf8'));
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** `readers` distinct readers open `page`: its beacon, as a browser asks for it. */
async function read(counter: RunningCounter, page: string, readers: number, first: number): Promise<void> {
  for (let i = 0; i < readers; i++) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${counter.url}/b/${encodeURIComponent(page)}`,
        { agent, headers: { 'X-Forwarded-For': `198.51.100.${first + i}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200, `beacon of ${page}`);
  }
}

function startMirrorCounter(config: MirrorConfig): Promise<RunningCounter> {
  return startCounter({ ...counterOptions(config), port: 0, trustProxy: true });
}

describe('the hot list follows the view counter', () => {
  const dir = workdir('counter-hot');
  let origin: FaultOrigin;
  let config: MirrorConfig;
  let file: string;

  before(async () => {
    origin = await startFaultOrigin();
    origin.addChannel('news', 3);
    file = writeConfig(
      dir,
      suiteConfig([{ id: 'news', feed: `${origin.url}/c/news/feed.xml` }], {
        // Three pages per channel: a fourth article pushes the oldest out of the mirror.
        retention: { pagesPerChannel: 3, qrPerChannel: 1 },
        layout: { hotList: { size: 10, days: 7 } },
        counter: { stateFile: 'state/counts.db' },
        git: { enabled: false },
      }),
    );
    config = load(file);
  });
  after(async () => {
    agent.destroy();
    await origin?.close();
  });

  test('counted through the counter, then build: the index and the home page in count order; a hot page outlives retention', async () => {
    const first = await syncOnce(config, { publish: false });
    assert.equal(first.articles.mirrored, 3, JSON.stringify(first.failures));
    // No counts yet: the hot list shows the newest pages.
    assert.deepEqual(hotIndex(config), ['pages/news/news-3.md', 'pages/news/news-2.md', 'pages/news/news-1.md']);

    let counter = await startMirrorCounter(config);
    try {
      assert.equal(counter.metrics().knownPages, 3);
      await read(counter, 'pages/news/news-1.md', 5, 1);
      await read(counter, 'pages/news/news-3.md', 2, 10);
    } finally {
      const m = await counter.stop();
      assert.equal(m.counted, 7);
    }

    // Three newer articles: retention keeps news-4..6 in the channel; news-1 and news-3 are hot.
    origin.addChannel('news', 3);
    const second = await syncOnce(config, { publish: false });
    assert.equal(second.articles.mirrored, 3, JSON.stringify(second.failures));
    assert.ok(existsSync(path.join(config.output.dir, 'pages/news/news-1.md')), 'a hot page survives retention');
    assert.ok(existsSync(path.join(config.output.dir, 'pages/news/news-3.md')), 'a hot page survives retention');
    assert.ok(!existsSync(path.join(config.output.dir, 'pages/news/news-2.md')), 'a page nobody read leaves the tree');

    // A counter started again knows the new pages; the counts it wrote before are kept.
    counter = await startMirrorCounter(config);
    try {
      assert.equal(counter.metrics().knownPages, 5);
      await read(counter, 'pages/news/news-5.md', 3, 20);
      // The page retention dropped is not a page of the mirror any more: refused, not counted.
      const before = counter.metrics().rejectedBy.unknown_page;
      await assert.rejects(read(counter, 'pages/news/news-2.md', 1, 30), /beacon of pages\/news\/news-2\.md/);
      assert.equal(counter.metrics().rejectedBy.unknown_page, before + 1);
    } finally {
      await counter.stop();
    }

    const store = Store.open(config.output.stateFile);
    let built: Awaited<ReturnType<typeof buildMirror>>;
    try {
      built = await buildMirror(config, store, { publish: false });
    } finally {
      store.close();
    }
    assert.equal(built.hotFailure, undefined);
    const order = ['pages/news/news-1.md', 'pages/news/news-5.md', 'pages/news/news-3.md'];
    assert.deepEqual(hotIndex(config), order);
    assert.deepEqual(homeHot(config), order);
    assert.ok(existsSync(path.join(config.output.dir, 'pages/news/news-1.md')));
  });

  test('a counter configured by URL that is down: the last hot list stays, CounterUnavailable is reported, exit 0', async () => {
    // Refused by construction (see refusedAddress's comment), not a port closed a moment before.
    const refused = await refusedAddress();
    after(() => refused.close());
    const port = refused.port;
    const downFile = writeConfig(
      path.join(dir, 'down'),
      suiteConfig([{ id: 'news', feed: `${origin.url}/c/news/feed.xml` }], {
        output: { dir: config.output.dir, stateFile: config.output.stateFile },
        retention: { pagesPerChannel: 3, qrPerChannel: 1 },
        layout: { hotList: { size: 10, days: 7 } },
        counter: { url: `http://${refused.host}:${port}`, timeoutMs: 2000 },
        git: { enabled: false },
      }),
    );
    const order = ['pages/news/news-1.md', 'pages/news/news-5.md', 'pages/news/news-3.md'];
    assert.deepEqual(hotIndex(config), order, 'the first test left this hot list');

    const sync = await cli(['sync', '-c', downFile, '--no-publish', '--json'], dir);
    assert.equal(sync.code, 0, sync.stdout + sync.stderr);
    const report = JSON.parse(sync.stdout) as RunReport;
    const counterFailures = report.failures.filter((f) => f.stage === 'counter');
    assert.equal(counterFailures.length, 1, JSON.stringify(report.failures));
    assert.equal(counterFailures[0]?.code, 'CounterUnavailable');
    assert.match(counterFailures[0]?.url ?? '', new RegExp(`127\\.0\\.0\\.2:${port}/hot\\.json`));
    assert.deepEqual(hotIndex(config), order);
    assert.deepEqual(homeHot(config), order);
    assert.ok(existsSync(path.join(config.output.dir, 'pages/news/news-1.md')), 'still hot, still there');

    const build = await cli(['build', '-c', downFile, '--no-publish', '--json'], dir);
    assert.equal(build.code, 0, build.stdout + build.stderr);
    const b = JSON.parse(build.stdout) as { hotFailure: { code: string; stage: string } | null };
    assert.equal(b.hotFailure?.code, 'CounterUnavailable');
    assert.equal(b.hotFailure?.stage, 'counter');
    assert.deepEqual(hotIndex(config), order);
    assert.deepEqual(homeHot(config), order);

    const text = await cli(['build', '-c', downFile, '--no-publish'], dir);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /^hot list: kept the last one; CounterUnavailable: cannot read the hot list/m);
  });
});

test('the starter config documents the counter and the hot list window; its beacon example is what the counter counts', async () => {
  const dir = workdir('counter-starter');
  const text = starterConfig();
  const file = path.join(dir, 'newsmirror.yaml');
  writeFileSync(file, text);
  const config = loadConfig(file, { env: {} });
  assert.match(text, /^counter:\n {2}host: /m);
  assert.match(text, /^ {4}days: \d+ /m);
  assert.equal(config.layout.hotList.days, DEFAULTS.layout.hotList.days);
  assert.deepEqual({ ...config.counter, stateFile: undefined }, { ...DEFAULTS.counter, stateFile: undefined });
  const example = /^ *# beaconUrl: (\S+)/m.exec(text)?.[1] ?? '';
  assert.ok(example.includes('{path}'), text);

  const page = 'pages/news/n1.md';
  const store = Store.open(config.output.stateFile);
  try {
    store.saveRenderedPages(new Map([[page, { key: 'k' }]]));
  } finally {
    store.close();
  }
  const counter = await startCounter({ ...counterOptions(config), port: 0 });
  let status = 0;
  try {
    // The example's address replaced by this counter's; the path filled in as the renderer fills it.
    const url = example.replace(/^https?:\/\/[^/]+/, counter.url).replace('{path}', encodeURIComponent(page));
    status = await new Promise<number>((resolve, reject) => {
      const req = request(url, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    const m = await counter.stop();
    assert.equal(m.counted, 1, `the starter's beacon example was not counted (status ${status})`);
  }
  assert.equal(status, 200);
});
