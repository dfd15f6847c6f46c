import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
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
  if (existsSync(path.join(dir, '.git'))) return;
  await git(dir, ['init', '--quiet', '--initial-branch=main']);
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
