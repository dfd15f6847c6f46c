/**
 * The git helpers under the publish stage, against real git in temporary folders: how a failing
 * git is reported, what a killed commit leaves behind and when it is cleared, and the identity
 * and dates commits are made with.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { MirrorError } from '../errors.js';
import { clearStaleGitLocks, commitIdentity, commitTree, ensureRepo, git } from './git.js';

const temp = () => mkdtempSync(path.join(tmpdir(), 'nm-gitlib-'));

async function repo(): Promise<string> {
  const dir = temp();
  await ensureRepo(dir);
  return dir;
}

/** A git process that keeps working in `dir` until it is killed (it waits for object names on stdin). */
const live: ChildProcess[] = [];
async function gitWorkingIn(dir: string): Promise<ChildProcess> {
  const child = spawn('git', ['cat-file', '--batch'], { cwd: dir, stdio: ['pipe', 'ignore', 'ignore'] });
  live.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  return child;
}
after(() => {
  for (const c of live) c.kill('SIGKILL');
});

async function gitError(p: Promise<unknown>): Promise<MirrorError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof MirrorError, `not a MirrorError: ${String(err)}`);
    return err;
  }
  assert.fail('git did not fail');
}

test('a failing git is reported with its command, folder and the last three lines it printed', async () => {
  const dir = await repo();
  // A pre-commit hook that prints five lines and refuses the commit.
  const hooks = path.join(dir, 'hooks');
  mkdirSync(hooks);
  writeFileSync(
    path.join(hooks, 'pre-commit'),
    '#!/bin/sh\nfor n in one two three four five; do echo "line $n" >&2; done\nexit 1\n',
  );
  chmodSync(path.join(hooks, 'pre-commit'), 0o755);
  writeFileSync(path.join(dir, 'a.txt'), 'a\n');
  await git(dir, ['add', 'a.txt']);
  const err = await gitError(
    git(dir, [
      '-c',
      `core.hooksPath=${hooks}`,
      '-c',
      'user.name=T',
      '-c',
      'user.email=t@example.org',
      'commit',
      '-m',
      'x',
    ]),
  );
  assert.equal(err.code, 'GitFailed');
  assert.equal(err.message, `git -c failed in ${dir}: line three line four line five`);
  assert.match(err.hint ?? '', /run the same git command in the mirror folder/);
  assert.ok(err.cause, 'the error keeps its cause');
});

test('git missing from PATH is named as such, with what to do', async (t) => {
  const saved = process.env.PATH;
  t.after(() => {
    process.env.PATH = saved;
  });
  process.env.PATH = temp();
  const err = await gitError(git(tmpdir(), ['--version']));
  assert.equal(err.code, 'GitFailed');
  assert.equal(err.message, 'git is not installed (or not on PATH)');
  assert.match(err.hint ?? '', /apt-get install git.*git\.enabled: false/);
});

test('git runs with the caller environment and extra variables, and never prompts for a password', async (t) => {
  process.env.NM_CALLER = 'here';
  t.after(() => {
    delete process.env.NM_CALLER;
  });
  const env = await git(tmpdir(), ['-c', 'alias.env=!env', 'env'], { NM_EXTRA: 'yes' });
  const vars = new Map(env.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.equal(vars.get('GIT_TERMINAL_PROMPT'), '0');
  assert.equal(vars.get('NM_EXTRA'), 'yes');
  assert.equal(vars.get('NM_CALLER'), 'here');
});

test('git output larger than a pipe buffer comes back whole', async () => {
  const dir = await repo();
  const big = 'x'.repeat(3 * 1024 * 1024);
  writeFileSync(path.join(dir, 'big.txt'), big);
  const blob = (await git(dir, ['hash-object', '-w', 'big.txt'])).trim();
  assert.equal(await git(dir, ['cat-file', 'blob', blob]), big);
});

test('ensureRepo makes a repository on main, and finishes one whose git init was killed', async () => {
  const dir = temp();
  await ensureRepo(dir);
  assert.equal((await git(dir, ['symbolic-ref', 'HEAD'])).trim(), 'refs/heads/main');
  // Killed inside `git init`: a .git folder without HEAD.
  const killed = temp();
  mkdirSync(path.join(killed, '.git'));
  await ensureRepo(killed);
  assert.equal((await git(killed, ['rev-parse', '--is-inside-work-tree'])).trim(), 'true');
  assert.equal((await git(killed, ['symbolic-ref', 'HEAD'])).trim(), 'refs/heads/main');
});

/** Every lock file a git killed while committing can leave, and files that are not locks. */
function leaveLocks(dir: string): { locks: string[]; others: string[] } {
  const g = path.join(dir, '.git');
  mkdirSync(path.join(g, 'refs', 'heads', 'topic'), { recursive: true });
  mkdirSync(path.join(g, 'refs', 'remotes', 'origin'), { recursive: true });
  const locks = [
    'index.lock',
    'HEAD.lock',
    'ORIG_HEAD.lock',
    'config.lock',
    'packed-refs.lock',
    'shallow.lock',
    'refs/heads/main.lock',
    'refs/heads/topic/x.lock',
    'refs/remotes/origin/main.lock',
  ].map((f) => path.join(g, f));
  const others = ['refs/heads/topic/y', 'description'].map((f) => path.join(g, f));
  for (const f of [...locks, ...others]) writeFileSync(f, 'x\n');
  return { locks, others };
}

test('the locks a killed git left are removed when no git works in the folder', async () => {
  const dir = await repo();
  const { locks, others } = leaveLocks(dir);
  // A git working in another folder, and another program working in this one, do not count.
  await gitWorkingIn(temp());
  const sleeper = spawn('sleep', ['30'], { cwd: dir, stdio: 'ignore' });
  live.push(sleeper);
  const removed = await clearStaleGitLocks(dir, 2000);
  assert.deepEqual([...removed].sort(), [...locks].sort());
  for (const f of locks) assert.equal(existsSync(f), false, `${f} is still there`);
  for (const f of others) assert.equal(existsSync(f), true, `${f} was removed`);
  assert.deepEqual(await clearStaleGitLocks(dir, 2000), [], 'nothing left to remove');
});

test('a lock held by a git still working in the folder stays, and goes once that git ends', async () => {
  const dir = await repo();
  const lock = path.join(dir, '.git', 'index.lock');
  writeFileSync(lock, '');
  const busy = await gitWorkingIn(dir);
  // The live git never ends within the wait: nothing is removed, git will report the lock itself.
  assert.deepEqual(await clearStaleGitLocks(dir, 300), []);
  assert.equal(existsSync(lock), true);
  // It ends while we wait: the lock is removed then.
  const waiting = clearStaleGitLocks(dir, 60_000);
  setTimeout(() => busy.kill('SIGKILL'), 300);
  assert.deepEqual(await waiting, [lock]);
  assert.equal(existsSync(lock), false);
});

test('commits are made by the configured identity, else the repository one, else a neutral one', async (t) => {
  // Only this repository's settings: none from the machine or the user.
  const saved = { global: process.env.GIT_CONFIG_GLOBAL, system: process.env.GIT_CONFIG_NOSYSTEM };
  t.after(() => {
    for (const [k, v] of [
      ['GIT_CONFIG_GLOBAL', saved.global],
      ['GIT_CONFIG_NOSYSTEM', saved.system],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  process.env.GIT_CONFIG_GLOBAL = '/dev/null';
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  const dir = await repo();
  assert.deepEqual(await commitIdentity(dir), { name: 'newsmirror', email: 'newsmirror@localhost' });
  await git(dir, ['config', 'user.name', 'Repo Person']);
  await git(dir, ['config', 'user.email', 'repo@example.org']);
  assert.deepEqual(await commitIdentity(dir), { name: 'Repo Person', email: 'repo@example.org' });
  assert.deepEqual(await commitIdentity(dir, 'Bot', 'bot@example.org'), { name: 'Bot', email: 'bot@example.org' });
  await git(dir, ['config', 'user.name', '']);
  assert.equal((await commitIdentity(dir)).name, 'newsmirror', 'an empty setting is no name');
});

test('commitTree makes a commit of a tree with its parents, message paragraphs, identity and date', async () => {
  const dir = await repo();
  writeFileSync(path.join(dir, 'a.txt'), 'a\n');
  await git(dir, ['add', 'a.txt']);
  const tree = (await git(dir, ['write-tree'])).trim();
  const who = { name: 'Mirror Bot', email: 'bot@example.org' };
  const date = '2026-11-26T13:05:00Z';
  const first = await commitTree(dir, who, { tree, message: ['first'], date });
  assert.match(first, /^[0-9a-f]{40}$/);
  const second = await commitTree(dir, who, { tree, parents: [first], message: ['second', 'why it was made'], date });
  const raw = execFileSync('git', ['cat-file', '-p', second], { cwd: dir, encoding: 'utf8' });
  assert.match(raw, new RegExp(`^tree ${tree}\nparent ${first}\n`));
  assert.match(raw, /\nauthor Mirror Bot <bot@example\.org> 1795698300 \+0000\n/);
  assert.match(raw, /\ncommitter Mirror Bot <bot@example\.org> 1795698300 \+0000\n/);
  assert.match(raw, /\n\nsecond\n\nwhy it was made\n$/);
  assert.doesNotMatch(execFileSync('git', ['cat-file', '-p', first], { cwd: dir, encoding: 'utf8' }), /\nparent /);
});
