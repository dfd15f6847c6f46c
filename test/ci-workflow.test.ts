/**
 * The GitHub workflow's runs, played on this machine: each run is a fresh workspace (as a CI
 * runner is), the state comes and goes as actions/cache would carry it, and the workflow's own
 * shell steps (fetch the published mirror, sync) run in bash with the real newsmirror CLI on
 * PATH, publishing to local bare repositories. Through a rotation, and a cache that is lost.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { FETCH_SCRIPT, SYNC_SCRIPT } from '../src/config/workflows.js';
import { repoRoot } from './helpers.js';

const article = (n: number) => `<!doctype html><html lang="en"><head><title>Ferry bulletin ${n}</title></head><body>
<main><h1>Ferry bulletin ${n}</h1><div class="post-body">
<p>Bulletin ${n}: the morning ferry leaves ten minutes earlier while the north pier is repaired.</p>
<p>Passengers with bicycles board at the south ramp, and the ticket office keeps its usual hours.</p>
<p>The repairs should end before the spring timetable, the harbour office said on Tuesday.</p></div></main></body></html>`;

let items = [1, 2];
const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/feed.xml') {
    const list = items
      .map(
        (n) =>
          `<item><title>Ferry bulletin ${n}</title><link>${base}/b/${n}.html</link><pubDate>Thu, 26 Nov 2026 0${n}:00:00 +0000</pubDate></item>`,
      )
      .join('');
    res
      .writeHead(200, { 'content-type': 'application/rss+xml' })
      .end(`<rss version="2.0"><channel>${list}</channel></rss>`);
  } else if (/^\/b\/\d+\.html$/.test(url)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(article(Number(/\d+/.exec(url)?.[0])));
  } else res.writeHead(404).end();
});
let base = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

test('the workflow over three runs: publish and rotate, fetch and fast-forward, a lost cache', {
  timeout: 900_000,
}, async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nm-ci-runs-'));
  for (const bare of ['news-1.git', 'news-2.git']) git(root, 'init', '--quiet', '--bare', bare);
  // The `newsmirror` the workflow installs: this checkout's CLI.
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(
    path.join(bin, 'newsmirror'),
    `#!/bin/sh\nexec "${process.execPath}" --import "${import.meta.resolve('tsx')}" "${path.join(repoRoot, 'src/cli/main.ts')}" "$@"\n`,
  );
  chmodSync(path.join(bin, 'newsmirror'), 0o755);
  const config = `fetch: { retries: 0, allowAddresses: [127.0.0.1] }
outlets: [{ name: Ferries, prefix: F, channels: [{ id: ferries, name: Bulletins, feed: "${base}/feed.xml" }] }]
remotes:
  - name: github
    url: ${root}/news-{n}.git
    viewUrl: "https://github.com/o/news-{n}/blob/{branch}"
    branch: \${MIRROR_BRANCH}
    tokenEnv: MIRROR_TOKEN
    rotate: {}
`;
  const env = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    CI: '1',
    NODE_OPTIONS: '',
    MIRROR_URL: `file://${root}/news-1.git`,
    MIRROR_BRANCH: 'mirror',
    MIRROR_TOKEN: 'not-a-real-token',
  };
  const cache = path.join(root, 'cache');
  // Asynchronous: the origin answers from this process, whose event loop must keep running.
  const bash = (ws: string, script: string) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('bash', ['-c', script], { cwd: ws, env });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      child.on('close', (code) => resolve({ code, out }));
    });
  /** One run of the job: a fresh workspace, the cache restored (when there is one), the steps. */
  const run = async (n: number, options: { cache: boolean; rotate?: boolean } = { cache: true }) => {
    const ws = path.join(root, `run-${n}`);
    mkdirSync(ws);
    writeFileSync(path.join(ws, 'newsmirror.yaml'), config);
    const restored = options.cache && existsSync(cache);
    if (restored) cpSync(cache, path.join(ws, '.newsmirror'), { recursive: true });
    const fetch = await bash(ws, FETCH_SCRIPT);
    assert.equal(fetch.code, 0, fetch.out);
    if (!restored && existsSync(path.join(ws, 'mirror', 'README.md'))) {
      const rebuild = await bash(ws, 'newsmirror rebuild-state');
      assert.equal(rebuild.code, 0, rebuild.out);
    }
    const sync = await bash(ws, SYNC_SCRIPT);
    if (options.rotate) {
      const r = await bash(ws, 'newsmirror rotate github');
      assert.equal(r.code, 0, r.out);
    }
    cpSync(path.join(ws, '.newsmirror'), cache, { recursive: true });
    return { fetch: fetch.out, sync };
  };
  const news1 = path.join(root, 'news-1.git');
  const news2 = path.join(root, 'news-2.git');

  // Run 1 publishes news-1; then the operator rotates (in CI: a dispatched run, or maxBytes).
  const one = await run(1, { cache: true, rotate: true });
  assert.match(one.fetch, /no branch mirror at .*news-1\.git yet/);
  assert.equal(one.sync.code, 0, one.sync.out);
  assert.equal(git(news1, 'rev-list', '--count', 'mirror'), '2', 'run 1, and the moved notice');
  assert.equal(git(news2, 'rev-list', '--count', 'mirror'), '1', 'the rotation started news-2');
  const started = git(news2, 'rev-parse', 'mirror');

  // The restored state names news-2: the run fetches it and puts its commit on top.
  items = [1, 2, 3];
  const two = await run(2);
  assert.match(two.fetch, /fetched mirror of .*news-2\.git at /);
  assert.equal(two.sync.code, 0, two.sync.out);
  assert.equal(git(news2, 'rev-list', '--count', 'mirror'), '2');
  assert.equal(git(news2, 'rev-parse', 'mirror^'), started, 'a fast-forward of what was there');
  assert.equal(git(news1, 'rev-list', '--count', 'mirror'), '2', 'news-1 keeps its notice');

  // The cache is lost: the run falls back to MIRROR_URL, finds the notice there, and does not
  // send the mirror back to the repository readers were told to leave.
  const three = await run(3, { cache: false });
  assert.match(three.fetch, /fetched mirror of .*news-1\.git at /);
  assert.equal(three.sync.code, 3, three.sync.out);
  assert.match(three.sync.out, /a repository the mirror moved away from[\s\S]*rotate\.first/);
  assert.match(three.sync.out, /::error::1 remote\(s\) could not be pushed/, 'a push that fails fails the job');
  assert.equal(git(news1, 'rev-list', '--count', 'mirror'), '2');
  assert.match(git(news1, 'show', 'mirror:README.md'), /newsmirror:moved/);
});
