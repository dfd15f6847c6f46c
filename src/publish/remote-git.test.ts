/**
 * Git commands that talk to a remote: the credentials they carry (only in the environment),
 * the limits on them (time, a stop signal, the output kept) and the redaction of what they print.
 * Real git runs here; its aliases (`!…`) stand in for a remote that hangs or talks too much.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../config/load.js';
import type { ResolvedRemote } from '../config/remotes.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { failureDetail, outputLines, remoteAuth, runRemoteGit } from './remote-git.js';

function remote(fields: string): ResolvedRemote {
  const config = parseConfig(
    `site: { publicUrl: "https://example.org/m" }
outlets: [{ name: D, prefix: D, channels: [{ id: d, name: N, feed: "https://x.example/f" }] }]
remotes: [{ name: gh, ${fields} }]
`,
  );
  const r = config.remotes[0];
  assert.ok(r);
  return r;
}

const none = { env: {}, secrets: [] };
const cwd = () => mkdtempSync(path.join(tmpdir(), 'nm-remote-git-'));

/** A git configuration value as git reads it with `env` (the process's own, plus `env`). */
function gitConfig(env: NodeJS.ProcessEnv, key: string): string {
  return execFileSync('git', ['config', '--get-all', key], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  }).trim();
}

test('a stalled transfer is given up after the remote timeout, rounded up to whole seconds', () => {
  const at = (ms: number) =>
    gitConfig(remoteAuth(remote(`url: "https://example.org/a.git", timeoutMs: ${ms}`), {}).env, 'http.lowSpeedTime');
  assert.equal(at(120_000), '120');
  assert.equal(at(1_500), '2');
  assert.equal(at(100), '1', 'never 0 (which would turn the limit off)');
  const auth = remoteAuth(remote('url: "https://example.org/a.git"'), {});
  assert.equal(gitConfig(auth.env, 'http.lowSpeedLimit'), '1');
  assert.deepEqual(auth.secrets, [], 'no token, nothing to redact');
  assert.equal(auth.env.NEWSMIRROR_GIT_TOKEN, undefined);
});

test("a token reaches git's credential request from the environment only, and the operator's helpers are not asked", () => {
  const token = 'tok_0123456789abcdefABCDEF';
  const r = remote('url: "https://git.example.org/o/news.git", tokenEnv: NM_T, username: bot');
  // The operator's environment already configures git (a helper that would answer otherwise).
  const operator = {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'credential.helper',
    GIT_CONFIG_VALUE_0: '!f() { echo username=someone; echo password=not-the-token; }; f',
    NM_T: token,
  };
  const auth = remoteAuth(r, operator);
  assert.deepEqual(auth.secrets, [token, `bot:${token}`]);
  assert.equal(auth.env.GIT_CONFIG_COUNT, '5', "ours come after the operator's one");
  assert.equal(auth.env.GIT_CONFIG_KEY_1, 'http.lowSpeedLimit');
  assert.ok(!Object.values(auth.env).some((v) => v?.includes('https://')), 'no URL carries it');
  const filled = execFileSync('git', ['credential', 'fill'], {
    env: { ...process.env, ...operator, ...auth.env, GIT_TERMINAL_PROMPT: '0' },
    input: 'protocol=https\nhost=git.example.org\npath=o/news.git\n\n',
    encoding: 'utf8',
  });
  assert.match(filled, /^username=bot$/m);
  assert.match(filled, new RegExp(`^password=${token}$`, 'm'));
  assert.doesNotMatch(filled, /not-the-token/);

  assert.throws(
    () => remoteAuth(r, { NM_T: '' }),
    (err: unknown) =>
      err instanceof MirrorError &&
      err.code === ErrorCodes.PushAuth &&
      err.message === 'remote gh: the environment variable NM_T (its tokenEnv) is not set' &&
      err.hint ===
        "export NM_T=<token> before the run (in CI: a secret), or remove tokenEnv to use git's own credentials",
  );
});

test('git runs without prompts, in English, with what it prints redacted', async () => {
  const token = 'tok_fedcba9876543210';
  const auth = remoteAuth(remote('url: "https://example.org/a.git", tokenEnv: NM_T'), { NM_T: token });
  const r = await runRemoteGit(
    cwd(),
    [
      '-c',
      'alias.say=!echo "prompt=$GIT_TERMINAL_PROMPT lc=$LC_ALL lang=[$LANGUAGE] t=$NEWSMIRROR_GIT_TOKEN"; echo "err $NEWSMIRROR_GIT_TOKEN" >&2; exit 3',
      'say',
    ],
    { auth, timeoutMs: 60_000 },
  );
  assert.equal(r.code, 3);
  assert.equal(r.timedOut, false);
  assert.match(r.stdout, /^prompt=0 lc=C lang=\[\] t=\S+\n$/);
  assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), `${r.stdout} ${r.stderr}`);
  assert.match(r.stderr, /^err \S+\n$/);
  assert.deepEqual(outputLines(r), [`err ${r.stderr.trim().slice(4)}`, r.stdout.trim()]);
});

test('what git prints on stderr is kept up to 64 KiB; stdout whole', async () => {
  const r = await runRemoteGit(
    cwd(),
    ['-c', 'alias.noise=!head -c 300000 /dev/zero | tr "\\0" e >&2; head -c 200000 /dev/zero | tr "\\0" o', 'noise'],
    { auth: none, timeoutMs: 60_000 },
  );
  assert.equal(r.code, 0);
  assert.equal(r.stdout.length, 200_000);
  assert.ok(r.stderr.length >= 64 * 1024 && r.stderr.length < 300_000, String(r.stderr.length));
});

test('a git that hangs is killed at the timeout, with the processes it started', async () => {
  const marker = '41.257';
  const r = await runRemoteGit(cwd(), ['-c', `alias.hang=!sleep ${marker}; echo late`, 'hang'], {
    auth: none,
    timeoutMs: 300,
  });
  assert.equal(r.timedOut, true);
  assert.equal(r.code, null, 'killed, not exited');
  assert.equal(r.stdout, '');
  const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(`sleep ${marker}`));
  assert.deepEqual(left, [], 'the shell and its sleep went with git');
});

test('a stop signal kills git at once; it is not a timeout', async () => {
  const ac = new AbortController();
  const running = runRemoteGit(cwd(), ['-c', 'alias.hang=!sleep 42.5; echo late', 'hang'], {
    auth: none,
    timeoutMs: 120_000,
    signal: ac.signal,
  });
  ac.abort();
  const r = await running;
  assert.equal(r.timedOut, false);
  assert.equal(r.code, null);
  assert.equal(r.stdout, '');
});

test('no git on PATH: a clear error that says what to install', async () => {
  await assert.rejects(
    runRemoteGit(cwd(), ['--version'], {
      auth: { env: { PATH: '/nonexistent-newsmirror' }, secrets: [] },
      timeoutMs: 5_000,
    }),
    (err: unknown) =>
      err instanceof MirrorError &&
      err.code === ErrorCodes.GitFailed &&
      err.message === 'git is not installed (or not on PATH)' &&
      err.hint === 'install git (apt-get install git)' &&
      err.cause instanceof Error &&
      /ENOENT/.test(err.cause.message),
  );
});

test("a failure's reason: the last lines git printed, without its hints and framing, or its exit code", () => {
  const r = (stderr: string, stdout = '', code: number | null = 1) => ({ code, stdout, stderr, timedOut: false });
  const refused = failureDetail(
    r(
      'remote: zero\nremote: one\nremote: two\nremote: quota exceeded\nhint: Updates were rejected\nhint: try again\n',
      'To /srv/a.git\n!\trefs/heads/main:refs/heads/main\t[remote rejected] (pre-receive hook declined)\nDone\n',
    ),
  );
  assert.equal(
    refused,
    'remote: one remote: two remote: quota exceeded !\trefs/heads/main:refs/heads/main\t[remote rejected] (pre-receive hook declined)',
  );
  assert.equal(failureDetail(r('  fatal: could not read from remote  \n\n')), 'fatal: could not read from remote');
  assert.equal(failureDetail(r('', '', 128)), 'git exited with 128');
  assert.equal(failureDetail(r('hint: only a hint\n', 'Done\n', null)), 'git exited with null');
});
