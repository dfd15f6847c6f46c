/**
 * Pushing the committed mirror to every remote.
 *
 * Remotes are pushed concurrently; each one on its own: a remote that is down, slow or
 * refuses is retried with backoff, reported, remembered in the state, and never stops the
 * others. The next run pushes whatever the last one could not (the state keeps, per remote,
 * the commit it holds).
 *
 * newsmirror owns each remote's branch. Before a push it looks at the branch (`ls-remote`):
 * - at the commit newsmirror last pushed (or absent): ours. `keep` fast-forwards it; a push
 *   that would rewrite it (the local history was rewritten) needs `force: true` and then uses
 *   `--force-with-lease=<branch>:<last pushed>`. `snapshot` always rewrites it, with that lease.
 * - anywhere else, it moved without us. A fast-forward loses nothing and goes ahead (`keep`);
 *   otherwise the push is refused with a message saying so, unless the remote has
 *   `force: true`: then newsmirror replaces it, with `--force-with-lease=<branch>:<what it saw>`
 *   (a lease against the last commit we pushed would always fail once the branch moved), and
 *   the report names the commit it replaced.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResolvedRemote } from '../config/remotes.js';
import type { MirrorConfig } from '../config/schema.js';
import { describeError, ErrorCodes, errorCode, MirrorError } from '../errors.js';
import type { RemoteState, Store } from '../store/database.js';
import type { RemoteReport } from '../types.js';
import { commitIdentity, commitTree, git } from './git.js';
import { redact } from './redact.js';
import {
  failureDetail,
  outputLines,
  type RemoteAuth,
  type RemoteGitResult,
  remoteAuth,
  runRemoteGit,
} from './remote-git.js';
import { applyRotation, ownHistoryCommit, rotationSequence } from './rotate.js';

export interface PushOptions {
  store: Store;
  now?: (() => Date) | undefined;
  signal?: AbortSignal | undefined;
  /** Where `tokenEnv` variables are read (default `process.env`). */
  env?: NodeJS.ProcessEnv | undefined;
  /** Told of each remote as soon as it is done. */
  onRemote?: ((report: RemoteReport) => void) | undefined;
}

interface PushContext {
  dir: string;
  store: Store;
  now: () => Date;
  signal: AbortSignal | undefined;
  env: NodeJS.ProcessEnv;
  /** The local commit to publish (the mirror branch's HEAD). */
  local: string;
  /** The committer of snapshot commits, read once per run. */
  identity?: Promise<{ name: string; email: string }>;
}

/**
 * Push the mirror's current commit to every configured remote (concurrently). Returns one
 * report per remote, in config order; an empty list when git is off, there are no remotes,
 * or nothing has been committed yet.
 */
export async function pushRemotes(config: MirrorConfig, options: PushOptions): Promise<RemoteReport[]> {
  if (!config.git.enabled || config.remotes.length === 0) return [];
  const dir = config.output.dir;
  // Never ask git in a folder that is not the mirror's repository: git would find an
  // enclosing one (the project's own, for a mirror inside it) and push that.
  if (!isRepo(dir)) return [];
  const local = await revParse(dir, 'HEAD');
  if (!local) return [];
  const ctx: PushContext = {
    dir,
    store: options.store,
    now: options.now ?? (() => new Date()),
    signal: options.signal,
    env: options.env ?? process.env,
    local,
  };
  return Promise.all(
    config.remotes.map(async (remote) => {
      const report = await pushRemote(ctx, config, remote);
      options.onRemote?.(report);
      return report;
    }),
  );
}

/** A failure of one attempt, and whether another attempt may succeed. */
class AttemptError extends Error {
  constructor(
    readonly error: MirrorError,
    readonly retry: boolean,
  ) {
    super(error.message);
  }
}

async function pushRemote(ctx: PushContext, config: MirrorConfig, remote: ResolvedRemote): Promise<RemoteReport> {
  const started = Date.now();
  const target = redact(remote.target);
  const previous = ctx.store.remoteState(remote.name);
  // A new URL or branch is a new remote: nothing we pushed before is there.
  const same = previous !== undefined && previous.target === target && previous.branch === remote.branch;
  const lastPushed = same ? (previous.pushedSha ?? undefined) : undefined;
  const base = { name: remote.name, target, branch: remote.branch, history: remote.history };
  let attempts = 0;
  let auth: RemoteAuth;
  let want: string;
  try {
    auth = remoteAuth(remote, ctx.env);
    want =
      remote.history === 'snapshot'
        ? await snapshotCommit(ctx, config, remote)
        : remote.rotate
          ? // Each repository of a rotating remote has a history of its own (src/publish/rotate.ts).
            await ownHistoryCommit(ctx.dir, config, remote, ctx.local, lastPushed, { auth, signal: ctx.signal })
          : ctx.local;
  } catch (err) {
    return failed(ctx, remote, base, previous, same, err, attempts, started);
  }
  if (same && previous.pushedSha === want && previous.lastError === null && previous.history === remote.history) {
    // Pushed already by an earlier run: no need to ask the network.
    return { ...base, status: 'up-to-date', sha: want, behind: 0, bytes: previous.bytes ?? undefined, attempts, ms: 0 };
  }
  for (;;) {
    attempts++;
    try {
      // The last push went through: the branch is most likely where we left it.
      const trusted = same && previous.lastError === null ? lastPushed : undefined;
      const outcome = await attempt(ctx, remote, auth, want, lastPushed, trusted);
      const bytes = await sizeEstimate(ctx.dir, remote, want, lastPushed, same ? previous.bytes : null);
      const nowIso = ctx.now().toISOString();
      ctx.store.saveRemoteState({
        ...base,
        pushedSha: want,
        localSha: ctx.local,
        bytes,
        lastAttempt: nowIso,
        lastSuccess: nowIso,
        lastError: null,
        consecutiveFailures: 0,
      });
      return {
        ...base,
        status: outcome.pushed ? 'pushed' : 'up-to-date',
        sha: want,
        behind: 0,
        bytes,
        attempts,
        overwrote: outcome.overwrote,
        ms: Date.now() - started,
      };
    } catch (err) {
      const retry = err instanceof AttemptError && err.retry && !ctx.signal?.aborted;
      if (!retry || attempts > remote.retries) {
        return failed(
          ctx,
          remote,
          base,
          previous,
          same,
          err instanceof AttemptError ? err.error : err,
          attempts,
          started,
        );
      }
      // Backoff doubles: 1×, 2×, 4× retryBaseMs. A stop signal ends the wait (and the run).
      try {
        await sleep(remote.retryBaseMs * 2 ** (attempts - 1), undefined, { signal: ctx.signal });
      } catch {
        return failed(ctx, remote, base, previous, same, (err as AttemptError).error, attempts, started);
      }
    }
  }
}

async function failed(
  ctx: PushContext,
  remote: ResolvedRemote,
  base: Pick<RemoteReport, 'name' | 'target' | 'branch' | 'history'>,
  previous: RemoteState | undefined,
  same: boolean,
  err: unknown,
  attempts: number,
  started: number,
): Promise<RemoteReport> {
  const secrets = remoteSecrets(remote, ctx.env);
  // A stop by signal killed the push: say so, rather than what git made of being killed.
  if (ctx.signal?.aborted && ctx.signal.reason instanceof MirrorError) err = ctx.signal.reason;
  const code = errorCode(err);
  const message = redact(describeError(err), secrets);
  const hint = err instanceof MirrorError && err.hint ? redact(err.hint, secrets) : undefined;
  const kept = same && previous ? previous : undefined;
  ctx.store.saveRemoteState({
    ...base,
    pushedSha: kept?.pushedSha ?? null,
    localSha: kept?.localSha ?? null,
    bytes: kept?.bytes ?? null,
    lastAttempt: ctx.now().toISOString(),
    lastSuccess: kept?.lastSuccess ?? null,
    lastError: `${code}: ${message}`,
    consecutiveFailures: (kept?.consecutiveFailures ?? 0) + 1,
  });
  return {
    ...base,
    status: 'failed',
    sha: kept?.pushedSha ?? undefined,
    behind: await behind(ctx.dir, kept?.localSha ?? undefined),
    bytes: kept?.bytes ?? undefined,
    attempts,
    error: { code, message, hint },
    ms: Date.now() - started,
  };
}

/** The secrets of a remote, for redacting texts that did not come through `runRemoteGit`. */
function remoteSecrets(remote: ResolvedRemote, env: NodeJS.ProcessEnv): string[] {
  const token = remote.tokenEnv ? env[remote.tokenEnv] : undefined;
  return token ? [token] : [];
}

/** One look at the remote's branch and one push. Throws AttemptError. */
async function attempt(
  ctx: PushContext,
  remote: ResolvedRemote,
  auth: RemoteAuth,
  want: string,
  lastPushed: string | undefined,
  trusted: string | undefined,
): Promise<{ pushed: boolean; overwrote?: string | undefined }> {
  const ref = `refs/heads/${remote.branch}`;
  const run = (args: string[]) =>
    runRemoteGit(ctx.dir, args, { auth, timeoutMs: remote.timeoutMs, signal: ctx.signal });
  const push = (lease: string | undefined) => {
    const args = ['push', '--porcelain', '--no-verify'];
    if (lease !== undefined) args.push(`--force-with-lease=${ref}:${lease}`);
    return run([...args, remote.target, `${want}:${ref}`]);
  };
  // Where the last push left the branch, git itself can check it, so the usual run costs one
  // round trip, not two: a fast-forward (keep) or a lease on that commit (snapshot). Only when
  // git refuses (the branch moved) does newsmirror look, to say why or, with force, replace it.
  if (trusted !== undefined && (remote.history === 'snapshot' || (await isAncestor(ctx.dir, trusted, want)))) {
    const first = await push(remote.history === 'snapshot' ? trusted : undefined);
    if (!first.timedOut && first.code === 0 && !/^!/m.test(first.stdout)) return { pushed: true };
    if (!refusedByGit(first)) check(remote, first, 'push');
  }
  const ls = await run(['ls-remote', '--refs', remote.target, ref]);
  check(remote, ls, 'ls-remote');
  const seen = ls.stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .find(([, name]) => name === ref)?.[0];
  if (seen === want) return { pushed: false };

  // undefined: a plain push (git itself refuses anything but a fast-forward).
  let lease: string | undefined;
  let overwrote: string | undefined;
  if (seen === undefined) {
    lease = remote.history === 'snapshot' ? '' : undefined;
  } else if (seen === lastPushed) {
    if (remote.history === 'snapshot') lease = seen;
    else if (!(await isAncestor(ctx.dir, seen, want))) {
      if (!remote.force) throw new AttemptError(diverged(remote, seen), false);
      lease = seen;
    }
  } else if (remote.history === 'keep' && (await isAncestor(ctx.dir, seen, want))) {
    // Moved, but to a commit of our own history: a fast-forward loses nothing.
    lease = undefined;
  } else if (remote.force) {
    lease = seen;
    overwrote = seen;
  } else {
    throw new AttemptError(moved(remote, seen, lastPushed), false);
  }
  check(remote, await push(lease), 'push');
  return { pushed: true, overwrote };
}

/** A push git refused because the branch is not where the push expected it. */
function refusedByGit(r: RemoteGitResult): boolean {
  return !r.timedOut && /stale info|non-fast-forward|fetch first/i.test(`${r.stdout}\n${r.stderr}`);
}

const short = (sha: string) => sha.slice(0, 10);

function moved(remote: ResolvedRemote, seen: string, lastPushed: string | undefined): MirrorError {
  return new MirrorError(
    ErrorCodes.PushRefused,
    `remote ${remote.name}: branch ${remote.branch} moved without newsmirror: it is at ${short(seen)}, ${
      lastPushed ? `and newsmirror last pushed ${short(lastPushed)}` : 'and newsmirror has not pushed to it'
    }. newsmirror owns this branch and does not overwrite commits it did not push`,
    {
      hint: `look at what is on branch ${remote.branch} of ${redact(remote.target)}; to let newsmirror replace it, set \`force: true\` on remote ${remote.name} (it then pushes with --force-with-lease, replacing only ${short(seen)}), or give the remote another branch`,
    },
  );
}

function diverged(remote: ResolvedRemote, seen: string): MirrorError {
  return new MirrorError(
    ErrorCodes.PushRefused,
    `remote ${remote.name}: the local history no longer contains ${short(seen)}, the commit newsmirror last pushed to branch ${remote.branch}; pushing would rewrite the remote's history`,
    {
      hint: `set \`force: true\` on remote ${remote.name} to rewrite it (with --force-with-lease=${remote.branch}:${short(seen)}), or use \`history: snapshot\` for it`,
    },
  );
}

/** Auth, network and refusal failures, told apart by git's (English) messages. */
function check(remote: ResolvedRemote, r: RemoteGitResult, what: 'ls-remote' | 'push'): void {
  if (r.timedOut) {
    throw new AttemptError(
      new MirrorError(
        ErrorCodes.PushTimeout,
        `remote ${remote.name}: git ${what} took longer than ${remote.timeoutMs} ms`,
        {
          hint: `check that ${redact(remote.target)} answers; raise timeoutMs for this remote if it is only slow`,
        },
      ),
      true,
    );
  }
  if (r.code === 0 && !/^!/m.test(r.stdout)) return;
  const lines = outputLines(r);
  const detail = failureDetail(r, lines);
  const text = lines.join('\n');
  const where = `remote ${remote.name}: git ${what} failed: ${detail}`;
  if (
    /Authentication failed|could not read (Username|Password)|terminal prompts disabled|returned error: 40[13]|HTTP Basic: Access denied|Permission denied \(publickey|Invalid username or password/i.test(
      text,
    )
  ) {
    throw new AttemptError(
      new MirrorError(ErrorCodes.PushAuth, where, {
        hint: remote.tokenEnv
          ? `check the token in ${remote.tokenEnv}: it must be valid and allowed to push to this repository`
          : 'give the remote `tokenEnv: <VARIABLE>` (an environment variable holding a token), or set up git credentials or an SSH key for this host',
      }),
      false,
    );
  }
  if (/\[rejected\]|\[remote rejected\]|stale info|non-fast-forward|fetch first/i.test(text)) {
    throw new AttemptError(
      new MirrorError(ErrorCodes.PushRefused, `remote ${remote.name}: the push was refused: ${detail}`, {
        hint: /stale info|fetch first|non-fast-forward/i.test(text)
          ? `branch ${remote.branch} changed while newsmirror was pushing; the next run looks again`
          : 'the remote declined the push (a hook or a size limit): read the message above',
      }),
      false,
    );
  }
  const missing =
    /not found|does not appear to be a git repository|returned error: 404|No such file or directory/i.test(text);
  throw new AttemptError(
    new MirrorError(ErrorCodes.PushFailed, where, {
      hint: missing
        ? `check the URL of remote ${remote.name}; create the repository first (for a local path: git init --bare <path>)`
        : `the remote may be down or unreachable; newsmirror retries it next run`,
    }),
    !missing,
  );
}

/**
 * The parentless commit whose tree is `ctx.local`'s, for a `snapshot` remote. It carries the
 * local commit's message and dates, and is kept under refs/newsmirror/snapshots/<remote>
 * (so git's gc keeps it, and the next push sends only what changed); an unchanged tree
 * reuses it.
 */
async function snapshotCommit(ctx: PushContext, config: MirrorConfig, remote: ResolvedRemote): Promise<string> {
  const ref = `refs/newsmirror/snapshots/${remote.name}`;
  const tree = (await git(ctx.dir, ['rev-parse', `${ctx.local}^{tree}`])).trim();
  const existing = await revParse(ctx.dir, ref);
  if (existing && (await revParse(ctx.dir, `${existing}^{tree}`)) === tree) return existing;
  const [subject = '', date = ''] = (await git(ctx.dir, ['log', '-1', '--format=%s%x00%cI', ctx.local]))
    .trim()
    .split('\0');
  ctx.identity ??= commitIdentity(ctx.dir, config.git.authorName, config.git.authorEmail);
  const who = await ctx.identity;
  const sha = await commitTree(ctx.dir, who, {
    tree,
    message: [subject, `Snapshot of ${ctx.local}: the whole mirror, without its history.`],
    date,
  });
  await git(ctx.dir, ['update-ref', ref, sha]);
  return sha;
}

function isRepo(dir: string): boolean {
  return existsSync(path.join(dir, '.git', 'HEAD'));
}

async function revParse(dir: string, rev: string): Promise<string | undefined> {
  try {
    return (await git(dir, ['rev-parse', '-q', '--verify', `${rev}^{commit}`])).trim() || undefined;
  } catch {
    try {
      return (await git(dir, ['rev-parse', '-q', '--verify', rev])).trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

async function isAncestor(dir: string, ancestor: string, of: string): Promise<boolean> {
  try {
    await git(dir, ['merge-base', '--is-ancestor', ancestor, of]);
    return true;
  } catch {
    return false; // not an ancestor, or a commit we do not have
  }
}

/** Compressed bytes of the objects reachable from `include` and not from `exclude`. */
async function objectBytes(dir: string, include: string, exclude?: string): Promise<number> {
  const out = await git(dir, ['rev-list', '--objects', '--disk-usage', include, ...(exclude ? [`^${exclude}`] : [])]);
  return Number(out.trim()) || 0;
}

/**
 * What the remote holds, estimated from the objects pushed: for `keep` the whole history
 * (the last figure plus what this push added), for `snapshot` one tree.
 */
async function sizeEstimate(
  dir: string,
  remote: ResolvedRemote,
  want: string,
  lastPushed: string | undefined,
  lastBytes: number | null,
): Promise<number> {
  // Stryker disable next-line all: equivalent: the last figure plus what was added is the full count (`push.test.ts`); this only spares git a walk of the whole history
  if (remote.history === 'keep' && lastPushed && lastBytes !== null && (await isAncestor(dir, lastPushed, want))) {
    return lastBytes + (await objectBytes(dir, want, lastPushed));
  }
  return objectBytes(dir, want);
}

/** Local commits not yet on a remote whose content is that of `localSha` (all of them if none). */
export async function behind(dir: string, localSha: string | undefined): Promise<number> {
  if (!isRepo(dir)) return 0;
  try {
    const args = localSha ? ['rev-list', '--count', 'HEAD', `^${localSha}`] : ['rev-list', '--count', 'HEAD'];
    return Number((await git(dir, args)).trim()) || 0;
  } catch {
    try {
      return Number((await git(dir, ['rev-list', '--count', 'HEAD'])).trim()) || 0;
    } catch {
      return 0; // no repository, or no commit yet
    }
  }
}

/** One remote as `status` shows it: from the state, with what it lacks counted in the local repository. */
export interface RemoteStatus {
  name: string;
  target: string;
  branch: string;
  history: 'keep' | 'snapshot';
  /** The commit the remote holds, as far as newsmirror knows. */
  sha: string | null;
  behind: number;
  bytes: number | null;
  lastAttempt: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  consecutiveFailures: number;
}

export async function remoteStatuses(config: MirrorConfig, store: Store): Promise<RemoteStatus[]> {
  // A rotated remote is shown at the repository it publishes to now.
  const rotated = applyRotation(config, rotationSequence(store));
  return Promise.all(
    rotated.remotes.map(async (remote) => {
      const target = redact(remote.target);
      const s = store.remoteState(remote.name);
      const same = s !== undefined && s.target === target && s.branch === remote.branch;
      const localSha = same ? (s.localSha ?? undefined) : undefined;
      return {
        name: remote.name,
        target,
        branch: remote.branch,
        history: remote.history,
        sha: same ? s.pushedSha : null,
        behind: config.git.enabled ? await behind(config.output.dir, localSha) : 0,
        bytes: same ? s.bytes : null,
        lastAttempt: same ? s.lastAttempt : null,
        lastSuccess: same ? s.lastSuccess : null,
        lastError: same ? s.lastError : null,
        consecutiveFailures: same ? s.consecutiveFailures : 0,
      };
    }),
  );
}
