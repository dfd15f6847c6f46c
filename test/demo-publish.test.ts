/**
 * `npm start` (the demo) publishes to two local bare repositories next to the mirror and says
 * where they are; `status`, `audit` and `build` run in that folder afterwards find the demo's
 * config by themselves, or name the flag to add (issue 10 point 9).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cli, repoRoot } from './helpers.js';

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();

test('the demo pushes to a keep and a snapshot repository; status, audit and build find its config', async () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'nm-demo-'));
  const demo = await cli(['demo'], cwd);
  assert.equal(demo.code, 0, demo.stderr);
  const keep = path.join(cwd, '.newsmirror', 'remotes', 'demo-keep.git');
  const snapshot = path.join(cwd, '.newsmirror', 'remotes', 'demo-snapshot.git');
  assert.match(demo.stdout, /Pushed to two local git repositories/);
  assert.match(demo.stdout, /\.newsmirror\/remotes\/demo-keep\.git +history: keep +1 commit/);
  assert.match(demo.stdout, /\.newsmirror\/remotes\/demo-snapshot\.git +history: snapshot +1 commit/);
  const head = git('-C', path.join(cwd, 'mirror'), 'rev-parse', 'HEAD');
  assert.equal(git('--git-dir', keep, 'rev-parse', 'main'), head);
  assert.equal(
    git('--git-dir', snapshot, 'rev-parse', 'main^{tree}'),
    git('-C', path.join(cwd, 'mirror'), 'rev-parse', 'HEAD^{tree}'),
  );
  // Inside the project folder they are git-ignored.
  assert.equal(
    git('-C', repoRoot, 'check-ignore', '.newsmirror/remotes/demo-keep.git'),
    '.newsmirror/remotes/demo-keep.git',
  );

  const status = await cli(['status'], cwd);
  assert.equal(status.code, 0, status.stdout + status.stderr);
  assert.match(status.stderr, /no newsmirror\.yaml here; using the demo's config \.newsmirror\/mirror\.yaml/);
  assert.match(status.stdout, /remote demo-keep \(keep\) ok: .*demo-keep\.git main, .* 0 commits behind/);
  assert.match(status.stdout, /remote demo-snapshot \(snapshot\) ok:/);
  const audit = await cli(['audit'], cwd);
  assert.equal(audit.code, 0, audit.stdout + audit.stderr);
  assert.match(audit.stdout, /0 from outside hosts/);
  const build = await cli(['build'], cwd);
  assert.equal(build.code, 0, build.stderr);
  assert.match(build.stdout, /remote demo-keep .*: up to date/);

  // A demo run with `-o news` left its config as .newsmirror/news.yaml: the error names the flag.
  const other = mkdtempSync(path.join(tmpdir(), 'nm-demo-other-'));
  mkdirSync(path.join(other, '.newsmirror'));
  writeFileSync(path.join(other, '.newsmirror', 'news.yaml'), '# written by newsmirror demo\n');
  const lost = await cli(['status'], other);
  assert.equal(lost.code, 2);
  assert.match(lost.stderr, /there is no newsmirror\.yaml in .*\n.*add `-c \.newsmirror\/news\.yaml`/);
});
