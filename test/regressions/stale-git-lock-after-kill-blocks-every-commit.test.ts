/**
 * Bug: a run killed while git was committing (SIGKILL, OOM killer, container stop) left
 * `.git/index.lock` (or a ref lock) behind, and every later run failed to commit with
 * "Unable to create '.git/index.lock': File exists". Found by the crash trials
 * (test/faults/crash.test.ts). Also: a run killed inside `git init` left a `.git` without
 * HEAD, which later runs took for a repository.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { publishMirror } from '../../src/publish/index.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

test('stale git lock files of a killed run are cleared before committing', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-reg-gitlock-'));
  const config = parseConfig(
    `site: { publicUrl: "https://x.example/" }
output: { dir: ${JSON.stringify(path.join(dir, 'mirror'))}, stateFile: ${JSON.stringify(path.join(dir, 'state.db'))} }
outlets: [{ name: X, prefix: E, channels: [{ id: n, name: N, feed: "http://127.0.0.1:9/f.xml" }] }]
git: { authorName: t, authorEmail: t@x.invalid }
`,
  );
  const mirror = config.output.dir;
  mkdirSync(mirror, { recursive: true });
  writeFileSync(path.join(mirror, 'README.md'), 'one\n');
  assert.ok(await publishMirror(config, 'sync', new Date('2026-11-26T10:00:00Z')));

  writeFileSync(path.join(mirror, 'README.md'), 'two\n');
  writeFileSync(path.join(mirror, '.git', 'index.lock'), '');
  writeFileSync(path.join(mirror, '.git', 'refs', 'heads', 'main.lock'), '');
  const second = await publishMirror(config, 'sync', new Date('2026-11-26T11:00:00Z'));
  assert.ok(second, 'the commit went through');
  assert.equal(git(mirror, 'status', '--porcelain'), '');
  assert.equal(git(mirror, 'rev-list', '--count', 'HEAD').trim(), '2');

  // A `.git` left without HEAD by a kill inside `git init`.
  const fresh = mkdtempSync(path.join(tmpdir(), 'nm-reg-gitinit-'));
  const c2 = { ...config, output: { ...config.output, dir: fresh } };
  mkdirSync(path.join(fresh, '.git'));
  writeFileSync(path.join(fresh, 'README.md'), 'x\n');
  assert.ok(await publishMirror(c2, 'sync', new Date('2026-11-26T12:00:00Z')));
  rmSync(dir, { recursive: true, force: true });
  rmSync(fresh, { recursive: true, force: true });
});
