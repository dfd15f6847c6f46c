import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ErrorCodes, MirrorError } from '../errors.js';

const run = promisify(execFile);

/** Run git in `cwd`; failures carry git's own stderr. */
export async function git(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run('git', args, {
      cwd,
      env: { ...process.env, ...env, GIT_TERMINAL_PROMPT: '0' },
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; code?: string | number };
    if (e.code === 'ENOENT') {
      throw new MirrorError(ErrorCodes.GitFailed, 'git is not installed (or not on PATH)', {
        cause: err,
        hint: 'install git (apt-get install git) or set `git.enabled: false` in the config',
      });
    }
    throw new MirrorError(
      ErrorCodes.GitFailed,
      `git ${args[0]} failed in ${cwd}: ${(e.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`,
      {
        cause: err,
        hint: 'run the same git command in the mirror folder to see the whole message',
      },
    );
  }
}

/** Make `dir` a git repository on branch `main` if it is not one yet. */
export async function ensureRepo(dir: string): Promise<void> {
  // HEAD, not just `.git`: a run killed inside `git init` leaves a `.git` without it
  // (and `git init` on an existing repository changes nothing).
  // Stryker disable next-line ConditionalExpression: equivalent: `git init` in a repository changes nothing
  if (existsSync(path.join(dir, '.git', 'HEAD'))) return;
  await git(dir, ['init', '--quiet', '--initial-branch=main']);
}

/** Lock files git takes while it changes a repository. */
function gitLocks(gitDir: string): string[] {
  const out: string[] = [];
  for (const name of ['index.lock', 'HEAD.lock', 'ORIG_HEAD.lock', 'config.lock', 'packed-refs.lock', 'shallow.lock']) {
    if (existsSync(path.join(gitDir, name))) out.push(path.join(gitDir, name));
  }
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(d, n);
      if (n.endsWith('.lock')) out.push(p);
      else if (statSync(p, { throwIfNoEntry: false })?.isDirectory()) walk(p);
    }
  };
  walk(path.join(gitDir, 'refs'));
  return out;
}

/**
 * Whether a git process works in `dir` (Linux: its cwd is `dir`), or undefined when the
 * platform cannot tell.
 */
function gitRunningIn(dir: string): boolean | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return undefined;
  }
  const want = realpathSync(dir);
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('git')) continue;
      if (readlinkSync(`/proc/${pid}/cwd`) === want) return true;
    } catch {
      // gone, or not ours to look at
    }
  }
  return false;
}

/**
 * Removes the lock files a killed git left in the mirror's repository (a run killed while
 * committing: SIGKILL, the OOM killer, a container stop). Git never removes them itself,
 * and every later commit would fail with "Unable to create '.git/index.lock': File exists".
 * The caller holds the run lock, so no other newsmirror run uses the repository; but the
 * git of a killed run may outlive it and still be finishing its commit, so a lock is only
 * removed once no git process works in `dir` (on platforms that cannot tell, once the
 * lock is `waitMs` old). Returns the files removed.
 */
export async function clearStaleGitLocks(dir: string, waitMs = 10_000): Promise<string[]> {
  const gitDir = path.join(dir, '.git');
  // Stryker disable next-line ConditionalExpression: equivalent: the loop below returns [] without locks; this only skips its look at /proc
  if (gitLocks(gitDir).length === 0) return [];
  const deadline = Date.now() + waitMs;
  for (;;) {
    const running = gitRunningIn(dir);
    const locks = gitLocks(gitDir);
    if (locks.length === 0) return [];
    const stale =
      running === false ||
      (running === undefined &&
        locks.every((l) => Date.now() - (statSync(l, { throwIfNoEntry: false })?.mtimeMs ?? 0) > waitMs));
    if (stale) {
      const removed: string[] = [];
      for (const l of locks) {
        try {
          unlinkSync(l);
          removed.push(l);
        } catch {
          // released meanwhile
        }
      }
      return removed;
    }
    // A live git: let it finish; if it never does, git itself reports the lock.
    if (Date.now() > deadline) return [];
    await sleep(50);
  }
}

/** The identity for commits: the config's, else git's own settings, else a neutral default. */
export async function commitIdentity(
  dir: string,
  name?: string,
  email?: string,
): Promise<{ name: string; email: string }> {
  const read = async (key: string) => {
    try {
      return (await git(dir, ['config', '--get', key])).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  return {
    name: name ?? (await read('user.name')) ?? 'newsmirror',
    email: email ?? (await read('user.email')) ?? 'newsmirror@localhost',
  };
}

/**
 * A commit of `tree` made without touching the work tree or HEAD (`git commit-tree`), by the
 * config's identity (see `commitIdentity`), dated `date` (author and committer), with the
 * given parents and message paragraphs. Returns its sha.
 */
export async function commitTree(
  dir: string,
  who: { name: string; email: string },
  options: { tree: string; parents?: string[]; message: string[]; date: string },
): Promise<string> {
  const args = ['-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`, 'commit-tree', options.tree];
  for (const p of options.parents ?? []) args.push('-p', p);
  for (const m of options.message) args.push('-m', m);
  return (await git(dir, args, { GIT_AUTHOR_DATE: options.date, GIT_COMMITTER_DATE: options.date })).trim();
}
