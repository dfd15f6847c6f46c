import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../config/load.js';
import { git, publishMirror } from './index.js';

function config(dir: string, extra = '') {
  return parseConfig(
    `site: { publicUrl: "https://github.com/o/r/blob/main" }
output: { dir: "${dir}" }
outlets: [{ name: D, prefix: D, channels: [{ id: d, name: N, feed: "http://127.0.0.1:9/f" }] }]
${extra}`,
  );
}

test('a changed mirror gets one timestamped commit; an unchanged one gets none', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-git-'));
  const cfg = config(dir, 'git: { authorName: Mirror Bot, authorEmail: bot@example.org }');
  writeFileSync(path.join(dir, 'README.md'), 'home\n');
  const when = new Date('2026-11-26T13:05:00Z');
  const c = await publishMirror(cfg, { new: 12, updated: 3, removed: 0 }, when);
  assert.ok(c);
  assert.equal(c.message, 'sync 2026-11-26 13:05 UTC: 12 new, 3 updated');
  assert.equal(
    (await git(dir, ['log', '-1', '--format=%an <%ae>|%s'])).trim(),
    `Mirror Bot <bot@example.org>|${c.message}`,
  );
  assert.equal((await git(dir, ['status', '--porcelain'])).trim(), '');
  assert.equal(await publishMirror(cfg, { new: 0, updated: 0, removed: 0 }, when), undefined);
  assert.equal((await git(dir, ['rev-list', '--count', 'HEAD'])).trim(), '1');
});

test('with git disabled nothing is committed', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-git-'));
  writeFileSync(path.join(dir, 'README.md'), 'home\n');
  assert.equal(
    await publishMirror(config(dir, 'git: { enabled: false }'), { new: 1, updated: 0, removed: 0 }, new Date()),
    undefined,
  );
});
