/**
 * `newsmirror demo --counter` (issue 12 point 4), run as an operator runs it: the home page's
 * hot section and the hot-list index list the pages the simulated readers read, most read
 * first, as the counter counted them (its database read back here), and the pages carry the
 * counter's beacon.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { cli } from './helpers.js';

/** The page paths a Markdown list links to, in its order. */
function listed(markdown: string): string[] {
  return [...markdown.matchAll(/^\d+\. \[[^\]]*\]\((?:\.\.\/)?(pages\/[^)?]+\.md)/gm)].map((m) => m[1] ?? '');
}

test('demo --counter: the hot list on the home page follows the simulated visits', async () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'nm-demo-counter-'));
  const demo = await cli(['demo', '--counter', '--no-publish'], cwd);
  assert.equal(demo.code, 0, demo.stdout + demo.stderr);
  const counterUrl = /View counter at (http:\/\/127\.0\.0\.1:\d+)/.exec(demo.stdout)?.[1];
  assert.ok(counterUrl, demo.stdout);
  assert.match(demo.stdout, /54 readers, each from an address of its own, opened 8 pages; 18 of them loaded/);
  assert.match(demo.stdout, /answered 72 beacon requests: 54 counted, 18 throttled/);

  // What the counter stored, most read first.
  const db = new Database(path.join(cwd, '.newsmirror', 'mirror.counter.db'), { readonly: true });
  const counts = db
    .prepare('SELECT path, SUM(count) AS count FROM hits GROUP BY path ORDER BY count DESC, path')
    .all() as { path: string; count: number }[];
  db.close();
  assert.deepEqual(
    counts.map((c) => c.count),
    [13, 11, 9, 7, 5, 4, 3, 2],
  );
  const order = counts.map((c) => c.path);
  // The demo printed the same pages in the same order.
  const printed = [...demo.stdout.matchAll(/^ +\d+ {2}(pages\/\S+\.md)/gm)].map((m) => m[1]);
  assert.deepEqual(printed, order);

  const mirror = path.join(cwd, 'mirror');
  const home = readFileSync(path.join(mirror, 'README.md'), 'utf8');
  const hot = home.slice(home.indexOf('#### 热门文章\n'));
  assert.ok(hot.length > 0 && home.includes('#### 热门文章\n'), home);
  assert.deepEqual(listed(hot.slice(0, hot.indexOf('\n---'))), order);
  assert.deepEqual(listed(readFileSync(path.join(mirror, 'indexes', '热门文章.md'), 'utf8')), order);

  // Every page read carries the counter's beacon, with its own path in it.
  for (const p of order) {
    const page = readFileSync(path.join(mirror, p), 'utf8');
    assert.ok(page.includes(`<img src="${counterUrl}/b/${encodeURIComponent(p)}" width="0" height="0" alt=""/>`), p);
  }
  // The config the demo leaves names the beacon and the local counts.
  const resolved = readFileSync(path.join(cwd, '.newsmirror', 'mirror.yaml'), 'utf8');
  assert.ok(resolved.includes(`beaconUrl: ${counterUrl}/b/{path}`), resolved);
  assert.match(resolved, /stateFile: .*\.newsmirror\/mirror\.counter\.db/);
});
