/**
 * Git commands that talk to a remote: bounded in time, given credentials through the
 * environment only, and with everything they print redacted.
 */
import { spawn } from 'node:child_process';
import { type ResolvedRemote, tokenUser } from '../config/remotes.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { redact } from './redact.js';

export interface RemoteGitResult {
  code: number | null;
  /** Redacted (a push's porcelain output names the remote's URL). */
  stdout: string;
  /** Redacted. */
  stderr: string;
  timedOut: boolean;
}

/** The credentials of one remote for one run: the git environment that carries them, and the secrets to redact. */
export interface RemoteAuth {
  env: NodeJS.ProcessEnv;
  secrets: string[];
}

/**
 * The token reaches git through a credential helper defined in the environment
 * (GIT_CONFIG_COUNT/KEY/VALUE), which prints it from another environment variable. So it is
 * never on a command line (where `ps` shows it), never in a URL (which git prints, and which
 * `git remote add` would store in .git/config), and never in a file. `credential.helper=`
 * first empties the list, so an operator's own helpers are not asked for a remote that has
 * `tokenEnv`. Without `tokenEnv`, git's own credential helpers and SSH keys apply.
 */
const HELPER =
  '!f() { cat >/dev/null; test "$1" = get || exit 0; printf "username=%s\\npassword=%s\\n" "$NEWSMIRROR_GIT_USERNAME" "$NEWSMIRROR_GIT_TOKEN"; }; f';

export function remoteAuth(remote: ResolvedRemote, env: NodeJS.ProcessEnv): RemoteAuth {
  const config: [string, string][] = [
    // curl gives up on a connection that stalls, even if our own timer could not stop git.
    ['http.lowSpeedLimit', '1'],
    ['http.lowSpeedTime', String(Math.max(1, Math.ceil(remote.timeoutMs / 1000)))],
  ];
  const extra: NodeJS.ProcessEnv = {};
  const secrets: string[] = [];
  if (remote.tokenEnv) {
    const token = env[remote.tokenEnv];
    if (!token) {
      throw new MirrorError(
        ErrorCodes.PushAuth,
        `remote ${remote.name}: the environment variable ${remote.tokenEnv} (its tokenEnv) is not set`,
        {
          hint: `export ${remote.tokenEnv}=<token> before the run (in CI: a secret), or remove tokenEnv to use git's own credentials`,
        },
      );
    }
    const user = tokenUser(remote);
    config.push(['credential.helper', ''], ['credential.helper', HELPER]);
    extra.NEWSMIRROR_GIT_USERNAME = user;
    extra.NEWSMIRROR_GIT_TOKEN = token;
    secrets.push(token, `${user}:${token}`);
  }
  const base = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  config.forEach(([k, v], i) => {
    extra[`GIT_CONFIG_KEY_${base + i}`] = k;
    extra[`GIT_CONFIG_VALUE_${base + i}`] = v;
  });
  extra.GIT_CONFIG_COUNT = String(base + config.length);
  return { env: extra, secrets };
}

/**
 * Run git in `cwd` with `auth`'s environment, killed (with every process it started: the
 * remote helper, ssh) after `timeoutMs` or when `signal` aborts. Never throws for git's own
 * failure: the caller reads `code`, `stderr` and `timedOut`.
 */
export function runRemoteGit(
  cwd: string,
  args: string[],
  options: { auth: RemoteAuth; timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<RemoteGitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: {
        ...process.env,
        ...options.auth.env,
        GIT_TERMINAL_PROMPT: '0',
        // English messages: the caller tells an auth failure from a network one by them.
        LC_ALL: 'C',
        LANGUAGE: '',
      },
      // Its own process group (and session, so ssh cannot ask on a terminal): a timeout
      // kills git-remote-http and ssh too, which would otherwise hang on a silent server.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(
        new MirrorError(ErrorCodes.GitFailed, 'git is not installed (or not on PATH)', {
          cause: new Error(redact(String((err as Error).message), options.auth.secrets)),
          hint: 'install git (apt-get install git)',
        }),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        code,
        stdout: redact(stdout, options.auth.secrets),
        stderr: redact(stderr, options.auth.secrets),
        timedOut,
      });
    });
  });
}

/** What git printed, line by line, without its hints and the `To <url>` / `Done` framing of a push. */
export function outputLines(r: RemoteGitResult): string[] {
  return `${r.stderr}\n${r.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(hint:|To |Done$)/.test(l));
}

/** A failed command's reason in one line: its last four lines of output (a hook's own message included), or its exit code. */
export function failureDetail(r: RemoteGitResult, lines: readonly string[] = outputLines(r)): string {
  return lines.slice(-4).join(' ') || `git exited with ${r.code}`;
}
