/**
 * `newsmirror counter` (issue 12): a real process on 127.0.0.1, real HTTP over keep-alive
 * connections, real SQLite, real signals. The counter is driven at a steady rate for a few
 * seconds (the 20-second run is `npm run bench:counter`); the tests wait for the counter's own
 * lines and for responses, and check the counts the database holds afterwards.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { Store } from '../src/store/database.js';
import { repoRoot } from './helpers.js';

const PAGES = Array.from({ length: 300 }, (_, i) => `pages/c${i % 3}/n${1000 + i}.md`);

/** A state whose render wrote `PAGES` (and their QR codes), and a config for the counter. */
function setup(counter: Record<string, unknown>): { dir: string; config: string; counts: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-counter-'));
  const state = path.join(dir, 'state', 'state.db');
  const store = Store.open(state);
  try {
    const rendered = new Map<string, { key: string }>();
    for (const p of PAGES) {
      rendered.set(p, { key: 'k' });
      rendered.set(`${p}.png`, { key: 'k' });
    }
    rendered.set('README.md', { key: 'k' });
    store.saveRenderedPages(rendered);
  } finally {
    store.close();
  }
  const counts = path.join(dir, 'state', 'counts.db');
  const config = path.join(dir, 'newsmirror.yaml');
  writeFileSync(
    config,
    `site: { publicUrl: "https://example.org/mirror" }
output: { dir: mirror, stateFile: state/state.db }
outlets:
  - name: Example
    prefix: E
    channels: [{ id: c0, name: Zero, feed: "https://example.org/feed.xml" }]
counter: ${JSON.stringify({ stateFile: counts, ...counter })}
`,
  );
  return { dir, config, counts };
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  lines: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `newsmirror counter --port 0 --json` and waits for its `listening` line. */
function startCounter(config: string, cwd: string): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      path.join(repoRoot, 'src/cli/main.ts'),
      'counter',
      '-c',
      config,
      '--port',
      '0',
      '--json',
    ],
    { cwd, env: { ...process.env, CI: '1', NODE_OPTIONS: '' } },
  );
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      partial += d;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const msg = JSON.parse(line) as { event: string; url?: string };
        if (msg.event === 'listening' && msg.url) resolve({ child, url: msg.url, lines, exit });
      }
    });
    void exit.then((e) => reject(new Error(`counter exited (${e.code ?? e.signal}): ${stderr}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // The path goes as written: a URL object would resolve `..` before sending it.
    const u = /^http:\/\/([^/]+):(\d+)(.*)$/.exec(url);
    const target = { hostname: u?.[1], port: Number(u?.[2]), path: u?.[3] ?? '/' };
    const req = request({ ...target, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `name value` lines of the counter's /metrics. */
async function metrics(url: string): Promise<Map<string, number>> {
  const { body } = await get(`${url}/metrics`);
  return new Map(
    body
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const i = l.lastIndexOf(' ');
        return [l.slice(0, i), Number(l.slice(i + 1))];
      }),
  );
}

/**
 * Beacon hits at a steady `rate` for `ms` over 8 keep-alive connections: hit i is page
 * `PAGES[i % PAGES.length]` from reader `reader(i)` (sent as X-Forwarded-For, the counter
 * trusting its proxy). Resolves with the time of every 200 answer; stops early when `stop()`
 * returns true (requests that then fail are not answers).
 */
async function drive(
  url: string,
  opts: { rate: number; ms: number; reader: (i: number) => string; stop?: () => boolean },
): Promise<{ sent: number; ok: number[] }> {
  const start = Date.now();
  const total = Math.round((opts.rate * opts.ms) / 1000);
  let next = 0;
  let sent = 0;
  const ok: number[] = [];
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total || opts.stop?.()) return;
      const due = start + (i * 1000) / opts.rate;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      sent++;
      try {
        const r = await get(`${url}/b/${PAGES[i % PAGES.length]}`, { 'x-forwarded-for': opts.reader(i) });
        if (r.status === 200) ok.push(Date.now());
      } catch {
        // The counter was killed under this request.
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { sent, ok };
}

function storedCounts(file: string): { total: number; paths: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const total = db.prepare('SELECT COALESCE(SUM(count), 0) FROM hits').pluck().get() as number;
    const paths = db.prepare('SELECT DISTINCT path FROM hits ORDER BY path').pluck().all() as string[];
    return { total, paths };
  } finally {
    db.close();
  }
}

describe('newsmirror counter', () => {
  test('a steady load over many pages, then SIGTERM: stored counts = hits answered − throttled, none lost', async () => {
    const { dir, config, counts } = setup({ flushMs: 500, trustProxy: true });
    const c = await startCounter(config, dir);
    // 40 readers over 300 pages: a reader comes back to a page every 12,000 hits, so about
    // half of the hits repeat a (reader, page) pair of this window and are throttled.
    const load = await drive(c.url, { rate: 800, ms: 4000, reader: (i) => `10.0.0.${i % 40}` });
    assert.equal(load.ok.length, load.sent, 'every hit of a known page answers 200');
    const m = await metrics(c.url);
    const counted = m.get('newsmirror_counter_counted_total') ?? -1;
    const throttled = m.get('newsmirror_counter_throttled_total') ?? -1;
    assert.ok(counted > 0 && throttled > 0, `counted ${counted}, throttled ${throttled}`);
    assert.equal(counted + throttled, load.ok.length);
    c.child.kill('SIGTERM');
    const exit = await c.exit;
    assert.equal(exit.code, 0);
    const stopped = JSON.parse(c.lines.at(-1) ?? '{}') as { event: string; counted: number; throttled: number };
    assert.equal(stopped.event, 'stopped');
    assert.equal(stopped.throttled, throttled);
    const stored = storedCounts(counts);
    assert.equal(stored.total, load.ok.length - throttled, 'stored = answered − throttled');
    assert.equal(stored.paths.length, PAGES.length);
  });

  test('SIGKILL under load loses at most the flush interval of counts', async () => {
    const flushMs = 500;
    const { dir, config, counts } = setup({ flushMs, trustProxy: true });
    const c = await startCounter(config, dir);
    let killedAt = 0;
    // Every hit from a reader of its own: each answer is a count.
    const driving = drive(c.url, {
      rate: 500,
      ms: 8000,
      reader: (i) => `10.1.${i >> 8}.${i & 255}`,
      stop: () => killedAt > 0,
    });
    // Kill once the counter has flushed at least twice and answered for a while.
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const m = await metrics(c.url);
      if ((m.get('newsmirror_counter_flush_seconds_count') ?? 0) >= 3) break;
    }
    c.child.kill('SIGKILL');
    killedAt = Date.now();
    const load = await driving;
    const exit = await c.exit;
    assert.equal(exit.signal, 'SIGKILL');
    const stored = storedCounts(counts).total;
    const lost = load.ok.length - stored;
    // Answers in the last flush interval before the kill (plus 500 ms for a flush timer that
    // runs late on a loaded machine) are the most a crash may lose.
    const window = load.ok.filter((t) => t > killedAt - flushMs - 500).length;
    assert.ok(stored > 0, 'the flushes before the kill were written');
    assert.ok(lost >= 0 && lost <= window, `lost ${lost} of ${load.ok.length}, at most ${window} allowed`);
  });

  test('bad input is refused cheaply and nothing of it is stored', async () => {
    const { dir, config, counts } = setup({ flushMs: 200, trustProxy: false, maxPathLength: 128 });
    const c = await startCounter(config, dir);
    const bad: [string, number][] = [
      ['/b/pages/c0/../c1/n1001.md', 400],
      ['/b/pages%2Fc0%2F..%2F..%2Fstate.md', 400],
      ['/b/pages/c0/n1000.md%00', 400],
      ['/b/pages/c0/n1000.md%00.png', 400],
      ['/b/%E0%A4%A', 400],
      ['/b/pages/c0/%ZZ.md', 400],
      [`/b/pages/c0/${'x'.repeat(200)}.md`, 400],
      [`/b/pages/c0/${'%41'.repeat(300)}.md`, 400],
      [`/b/${'y'.repeat(5000)}`, 414],
      ['/b/pages/c0/n999999.md', 404],
      ['/b/pages/c0/n1000.md.png', 404],
      ['/b/README.md', 404],
      ['/b/', 404],
      ['/b?p=', 404],
      ['/hot.json?days=abc', 400],
      ['/hot.json?days=%ZZ', 400],
      ['/hot.json?limit=99999', 400],
      ['/hot.json?days=0', 400],
      ['/hot.json?days=1&days=', 200],
      ['/elsewhere', 404],
    ];
    for (const [p, status] of bad) assert.equal((await get(`${c.url}${p}`)).status, status, p.slice(0, 80));
    // A flood of distinct fake pages.
    for (let i = 0; i < 2000; i += 50)
      await Promise.all(
        Array.from({ length: 50 }, async (_, k) => {
          const r = await get(`${c.url}/b/pages/c0/fake${i + k}.md`);
          assert.equal(r.status, 404);
        }),
      );
    // One real hit in each form, so the test sees counting work; the second one is throttled.
    const hit = await get(`${c.url}/b/pages%2Fc1%2Fn1001.md`);
    assert.equal(hit.status, 200);
    assert.equal(hit.body.slice(0, 6), 'GIF89a');
    assert.equal((await get(`${c.url}/b?p=pages%2Fc1%2Fn1001.md`)).status, 200);
    const m = await metrics(c.url);
    assert.equal(m.get('newsmirror_counter_counted_total'), 1);
    assert.equal(m.get('newsmirror_counter_throttled_total'), 1);
    assert.equal(m.get('newsmirror_counter_rejected_total{reason="unknown_page"}'), 2000 + 5);
    c.child.kill('SIGTERM');
    assert.equal((await c.exit).code, 0);
    assert.deepEqual(storedCounts(counts), { total: 1, paths: ['pages/c1/n1001.md'] });
  });

  test('/hot.json ranks pages by hits over the window; beacon answers are never cached', async () => {
    const { dir, config } = setup({ flushMs: 100, trustProxy: true });
    const c = await startCounter(config, dir);
    const wanted = { 'pages/c2/n1005.md': 5, 'pages/c0/n1000.md': 3, 'pages/c1/n1004.md': 1 };
    let reader = 0;
    for (const [p, n] of Object.entries(wanted))
      for (let i = 0; i < n; i++) {
        const r = await new Promise<{ headers: Record<string, unknown> }>((resolve, reject) =>
          request(`${c.url}/b/${p}`, { agent, headers: { 'x-forwarded-for': `192.0.2.${reader++}` } }, (res) => {
            res.resume();
            res.on('end', () => resolve({ headers: res.headers }));
          })
            .on('error', reject)
            .end(),
        );
        assert.match(String(r.headers['cache-control']), /no-store/);
        assert.equal(r.headers['set-cookie'], undefined);
      }
    for (;;) {
      const m = await metrics(c.url);
      if (m.get('newsmirror_counter_pending') === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const hot = JSON.parse((await get(`${c.url}/hot.json?days=7&limit=2`)).body) as {
      pages: { path: string; count: number }[];
    };
    assert.deepEqual(hot.pages, [
      { path: 'pages/c2/n1005.md', count: 5 },
      { path: 'pages/c0/n1000.md', count: 3 },
    ]);
    assert.equal((await get(`${c.url}/healthz`)).status, 200);
    c.child.kill('SIGINT');
    assert.equal((await c.exit).code, 0);
  });
});
