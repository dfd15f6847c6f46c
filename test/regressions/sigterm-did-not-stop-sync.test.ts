/**
 * Bug: `newsmirror sync` caught SIGTERM/SIGINT but never passed the abort signal to the
 * pipeline, so a stop request was ignored until the run ended by itself; once passed, the
 * fetches it cut short were recorded as source failures and counted as attempts. Now the
 * run stops, records nothing, releases the lock and exits 128 + the signal's number.
 * Found by test/faults/signals.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Store } from '../../src/store/database.js';
import { repoRoot } from '../helpers.js';

test('SIGTERM stops a sync at once and records no failure', async () => {
  // Article pages the origin finished sending: a run that waited for its end would take all 30.
  let answered = 0;
  const server = createServer((req, res) => {
    if (req.url === '/feed.xml') {
      const items = Array.from(
        { length: 30 },
        (_, i) => `<item><title>Story ${i}</title><link>http://${req.headers.host}/a/${i}.html</link></item>`,
      ).join('');
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<rss version="2.0"><channel><title>x</title>${items}</channel></rss>`);
    } else {
      // A slow origin: the run would take a minute.
      setTimeout(() => {
        if (res.destroyed) return;
        answered++;
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(`<h1>T</h1><article><p>${'text '.repeat(80)}</p></article>`);
      }, 2000);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-reg-sigterm-'));
  writeFileSync(
    path.join(dir, 'newsmirror.yaml'),
    `site: { publicUrl: "https://x.example/" }\nfetch: { concurrency: 1, perHostConcurrency: 1, allowAddresses: [127.0.0.1] }\noutlets: [{ name: X, prefix: E, channels: [{ id: n, name: N, feed: "${base}/feed.xml" }] }]\n`,
  );
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), path.join(repoRoot, 'src/cli/main.ts'), 'sync'],
    {
      cwd: dir,
      env: { ...process.env, CI: '1', NODE_OPTIONS: '' },
    },
  );
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d) => {
    stderr += d;
    if (!sent && /articles: \d+ to fetch/.test(stderr)) {
      sent = true;
      child.kill('SIGTERM');
    }
  });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  server.close();
  assert.ok(sent, stderr);
  assert.equal(code, 143, stderr);
  // Counted in pages, not seconds (a loaded machine is slow to deliver the signal): the page in
  // flight when the signal came may have been answered, no later one was asked for.
  assert.ok(answered <= 1, `stopped without waiting for the run to end (${answered} pages fetched)`);
  assert.match(stderr, /stopped by SIGTERM/);
  const stateFile = path.join(dir, '.newsmirror', 'state.db');
  assert.ok(!existsSync(`${stateFile}.lock`));
  const store = Store.open(stateFile);
  try {
    assert.deepEqual(store.recentFailures('E/n', 5), []);
    assert.ok(store.pendingItems().every((p) => p.attempts === 0));
  } finally {
    store.close();
  }
});
