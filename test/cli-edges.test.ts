/**
 * The command line's edges (issue 16, points 3, 7–12 and 14): closed pipes, usage errors,
 * errors as JSON, commands printed the way the user can run them, the hints of `status` and
 * `extract`, causes said once, the starter's placeholder address, `sync --force` over a lost
 * state, and given-up articles in `status` and `sync`. Real processes, real files, an origin
 * on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config/load.js';
import { MAX_ATTEMPTS_GONE, runSync } from '../src/pipeline.js';
import { Store } from '../src/store/database.js';
import { type CliResult, cli, repoRoot } from './helpers.js';
import { refusedAddress } from './lib/git-http-server.js';

/** The CLI with its own environment, and optionally with stdout closed before it writes. */
function run(args: string[], cwd: string, opts: { env?: NodeJS.ProcessEnv; closeStdout?: boolean } = {}) {
  return new Promise<CliResult>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), path.join(repoRoot, 'src/cli/main.ts'), ...args],
      { cwd, env: { ...process.env, CI: '1', NODE_OPTIONS: '', ...opts.env } },
    );
    let stdout = '';
    let stderr = '';
    // The reader is gone before the program writes a byte (`newsmirror status | head -0`).
    if (opts.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const page = (title: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1>
<p>The ferry to the northern pier will run every twenty minutes from Monday, the port office said.</p>
<p>Residents asked for later evening boats; the office will answer at its next meeting in March.</p></article></body></html>`;

describe('newsmirror CLI edges', () => {
  let base = '';
  let lateStatus = 404;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>
<item><title>Pier</title><link>${base}/pier.html</link></item>
<item><title>Late</title><link>${base}/late.html</link></item></channel></rss>`);
    } else if (url === '/pier.html' || (url === '/late.html' && lateStatus === 200)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(url.slice(1, -5)));
    } else if (url === '/late.html') {
      res.writeHead(lateStatus).end();
    } else if (url === '/down.html') {
      res.writeHead(500).end();
    } else {
      res.writeHead(404).end();
    }
  });
  const work = mkdtempSync(path.join(tmpdir(), 'nm-edges-'));
  const config = (publicUrl = 'https://github.com/o/r/blob/main') => `site:
  publicUrl: ${publicUrl}
fetch: { retries: 0, timeoutMs: 3000, allowAddresses: [127.0.0.1, 127.0.0.2] }
images: drop
outlets:
  - name: Harbour
    prefix: H
    channels:
      - { id: h, name: Harbour, feed: "${base}/feed.xml" }
`;

  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(path.join(work, 'newsmirror.yaml'), config());
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('a closed stdout ends the program quietly with exit 0 (16.7)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nm-epipe-'));
    writeFileSync(path.join(dir, 'newsmirror.yaml'), config());
    Store.open(path.join(dir, '.newsmirror', 'state.db')).close();
    const [status, json] = await Promise.all([
      run(['status'], dir, { closeStdout: true }),
      run(['status', '--json'], dir, { closeStdout: true }),
    ]);
    for (const r of [status, json]) {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
    }
  });

  test('every usage error exits 2; --help and --version exit 0 (16.8)', async () => {
    const [command, option, argument, help, version] = await Promise.all([
      cli(['snyc'], work),
      cli(['sync', '--no-pubilsh'], work),
      cli(['extract'], work),
      cli(['sync', '--help'], work),
      cli(['--version'], work),
    ]);
    assert.equal(command.code, 2, command.stderr);
    assert.match(command.stderr, /unknown command 'snyc'/);
    assert.equal(option.code, 2, option.stderr);
    assert.match(option.stderr, /unknown option '--no-pubilsh'/);
    assert.match(option.stderr, /what to do: run `(npx )?newsmirror --help`/);
    assert.equal(argument.code, 2, argument.stderr);
    assert.match(argument.stderr, /missing required argument 'target'/);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--retry-failed/);
    assert.equal(version.code, 0, version.stderr);
  });

  test('with --json every outcome is one JSON document on stdout, errors included (16.9)', async () => {
    writeFileSync(path.join(work, 'broken.yaml'), 'site: { publicUrl: "https://x.example/" }\noutlets: 3\n');
    const [missing, invalid, usage, status] = await Promise.all([
      cli(['sync', '--json', '-c', 'nope.yaml'], work),
      cli(['build', '--json', '-c', 'broken.yaml'], work),
      cli(['sync', '--json', '--bogus'], work),
      cli(['status', '--json', '-c', 'broken.yaml'], work),
    ]);
    const doc = (r: CliResult) =>
      JSON.parse(r.stdout) as { exitCode: number; error: { code: string; message: string; hint?: string } };
    assert.equal(missing.code, 2);
    assert.equal(doc(missing).exitCode, 2);
    assert.equal(doc(missing).error.code, 'ConfigNotFound');
    assert.match(doc(missing).error.message, /cannot read config file .*nope\.yaml/);
    assert.match(doc(missing).error.hint ?? '', /newsmirror init/);
    for (const r of [invalid, status]) {
      assert.equal(r.code, 2);
      assert.equal(doc(r).error.code, 'ConfigInvalid');
      assert.match(doc(r).error.message, /line 2: outlets: /);
    }
    assert.equal(usage.code, 2);
    assert.equal(doc(usage).error.code, 'UsageInvalid');
    assert.match(doc(usage).error.message, /unknown option '--bogus'/);
    // Humans still read the error on stderr.
    assert.match(missing.stderr, /^newsmirror: cannot read config file/m);
  });

  test('commands in messages are printed the way the user can run them (16.10)', async () => {
    // No `newsmirror` on PATH (a checkout after `npm ci`): `npx newsmirror …`.
    const bin = mkdtempSync(path.join(tmpdir(), 'nm-bin-'));
    const installed = path.join(bin, 'newsmirror');
    writeFileSync(installed, '#!/bin/sh\nexit 0\n');
    chmodSync(installed, 0o755);
    const bare = (process.env.PATH ?? '').split(path.delimiter).filter((d) => !d.includes('node_modules'));
    const [checkout, global] = await Promise.all([
      run(['status', '-c', 'nope.yaml'], work, { env: { PATH: bare.join(path.delimiter) } }),
      run(['status', '-c', 'nope.yaml'], work, { env: { PATH: [bin, ...bare].join(path.delimiter) } }),
    ]);
    assert.equal(checkout.code, 2);
    assert.match(checkout.stderr, /`npx newsmirror init`/);
    assert.equal(global.code, 2);
    assert.match(global.stderr, /`newsmirror init`/);
    assert.doesNotMatch(global.stderr, /npx/);
  });

  test('status without a state names rebuild-state when a mirror exists; extract does not promise a retry (16.11)', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'nm-nostate-'));
    writeFileSync(path.join(fresh, 'newsmirror.yaml'), config());
    const cloned = mkdtempSync(path.join(tmpdir(), 'nm-cloned-'));
    writeFileSync(path.join(cloned, 'newsmirror.yaml'), config());
    mkdirSync(path.join(cloned, 'mirror', 'pages', 'h'), { recursive: true });
    const [none, mirror, down] = await Promise.all([
      cli(['status'], fresh),
      cli(['status'], cloned),
      cli(['extract', `${base}/down.html`], work),
    ]);
    assert.match(none.stderr, /what to do: run `(npx )?newsmirror sync` first/);
    assert.doesNotMatch(none.stderr, /rebuild-state/);
    assert.match(mirror.stderr, /what to do: the mirror at .* has pages: run `(npx )?newsmirror rebuild-state`/);
    assert.equal(down.code, 5, down.stderr);
    assert.match(down.stderr, /HTTP 500 from /);
    assert.doesNotMatch(down.stderr, /retried/);
  });

  test('an error message does not repeat its cause (16.12)', async () => {
    // Refused by construction (see refusedAddress's comment), not a port closed a moment before.
    const refused = await refusedAddress();
    const r = await cli(['extract', `http://${refused.host}:${refused.port}/x.html`], work).finally(() =>
      refused.close(),
    );
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /could not fetch .*ECONNREFUSED/);
    assert.equal(r.stderr.match(/ECONNREFUSED/g)?.length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /fetch failed/);
  });

  test('sync and build refuse the starter placeholder address unless publishing is off (16.14)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nm-owner-'));
    writeFileSync(path.join(dir, 'newsmirror.yaml'), config('https://github.com/OWNER/REPO/blob/main'));
    const [sync, build, json, dry] = await Promise.all([
      cli(['sync'], dir),
      cli(['build'], dir),
      cli(['sync', '--json'], dir),
      cli(['sync', '--no-publish', '-q'], dir),
    ]);
    for (const r of [sync, build]) {
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /line 2: site\.publicUrl: https:\/\/github\.com\/OWNER\/REPO\/blob\/main is the starter/);
      assert.match(r.stderr, /--no-publish/);
    }
    assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'ConfigInvalid');
    assert.notEqual(dry.code, 2, dry.stderr);
    assert.doesNotMatch(dry.stderr, /placeholder/);
  });

  test('sync --force removes the article pages a lost state does not know; without it nothing is removed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nm-force-'));
    writeFileSync(path.join(dir, 'newsmirror.yaml'), config());
    mkdirSync(path.join(dir, 'mirror', 'pages', 'h'), { recursive: true });
    const ghost = path.join(dir, 'mirror', 'pages', 'h', 'ghost.md');
    writeFileSync(ghost, '### A page of a lost state\n');
    const refused = await cli(['sync', '--no-publish', '--json'], dir);
    assert.equal(refused.code, 5, refused.stderr);
    assert.equal((JSON.parse(refused.stdout) as { error: { code: string } }).error.code, 'UnknownPages');
    assert.match(refused.stderr, /--force/);
    assert.ok(existsSync(ghost));
    const forced = await cli(['sync', '--no-publish', '--force', '-q'], dir);
    assert.notEqual(forced.code, 5, forced.stderr);
    assert.ok(!existsSync(ghost), 'the unknown page is removed');
  });

  test('a given-up article shows in status with its last error, and sync --retry-failed fetches it (16.3)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nm-givenup-'));
    writeFileSync(path.join(dir, 'newsmirror.yaml'), config());
    const cfg = loadConfig(path.join(dir, 'newsmirror.yaml'));
    const store = Store.open(cfg.output.stateFile);
    try {
      lateStatus = 404;
      for (let i = 0; i < MAX_ATTEMPTS_GONE; i++) await runSync(cfg, store, { publish: false });
    } finally {
      store.close();
    }
    const [json, human, plain] = await Promise.all([
      cli(['status', '--json'], dir),
      cli(['status'], dir),
      cli(['sync', '--no-publish'], dir),
    ]);
    assert.equal(json.code, 3, json.stderr);
    const st = JSON.parse(json.stdout) as { givenUp: { url: string; attempts: number; lastError: string }[] };
    assert.deepEqual(
      st.givenUp.map((g) => [g.url, g.attempts]),
      [[`${base}/late.html`, MAX_ATTEMPTS_GONE]],
    );
    assert.match(st.givenUp[0]?.lastError ?? '', /HttpStatus: HTTP 404/);
    assert.equal(human.code, 3);
    assert.match(human.stdout, /given up: 1/);
    assert.match(human.stdout, new RegExp(`given up: ${base}/late\\.html \\(${MAX_ATTEMPTS_GONE} attempts.*HTTP 404`));
    assert.match(human.stdout, /`(npx )?newsmirror sync --retry-failed` tries the given-up articles again/);
    // A sync without the option leaves it alone, and says so.
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(
      plain.stdout,
      /articles: 0 mirrored, 0 failed; 1 given up by earlier runs \(`(npx )?newsmirror sync --retry-/,
    );

    lateStatus = 200;
    const retried = await cli(['sync', '--no-publish', '--retry-failed', '--json'], dir);
    assert.equal(retried.code, 0, retried.stderr);
    const report = JSON.parse(retried.stdout) as { articles: { mirrored: number; givenUpTotal: number } };
    assert.equal(report.articles.mirrored, 1);
    assert.equal(report.articles.givenUpTotal, 0);
  });
});
