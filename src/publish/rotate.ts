/**
 * Rotation (issue 10 point 5) and the entry site (point 6), the git side.
 *
 * A remote whose url has `{n}` and which has `rotate:` publishes to repository n of its
 * sequence; the state records n (`rotations` table). Moving on (`pipeline.ts`: `rotateRemote`)
 * records n + 1, re-renders every page for the new address and pushes it, and then this file
 * gives the repository it left one last commit: its home page and channel indexes replaced by
 * a notice of where the mirror went, with a link and a QR code. A notice that cannot be pushed
 * (the old repository is down) stays pending in the state and is retried on the next runs.
 *
 * A rotating remote in `keep` mode gets a history of its own (`ownHistoryCommit`): one commit
 * per push on top of the last one pushed there, with the local commit's tree. Pushing the local
 * history instead would copy every earlier repository's history into the new one, which would
 * then be as full as the one it replaces.
 *
 * The entry site (`entry:`) is an `index.html` that sends readers to the current home; it is
 * pushed whenever the home's address changes (the first run, every rotation), as a commit on top
 * of what its repository holds, so files the operator keeps there (a CNAME) stay.
 *
 * Commits are made with `commit-tree` in the mirror's repository, which keeps their objects:
 * neither its index nor its work tree is touched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyRemotes, type RemoteConfig, type ResolvedRemote, resolveRemote } from '../config/remotes.js';
import type { MirrorConfig } from '../config/schema.js';
import { describeError, ErrorCodes, MirrorError } from '../errors.js';
import { renderEntrySite, renderMoved } from '../render/moved.js';
import { HOME_PATH, publicUrl } from '../render/paths.js';
import type { RotationState, Store } from '../store/database.js';
import type { EntryReport, MovedReport, Page } from '../types.js';
import { commitIdentity, commitTree, ensureRepo, git } from './git.js';
import { redact } from './redact.js';
import { failureDetail, type RemoteAuth, remoteAuth, runRemoteGit } from './remote-git.js';

/** The remote's sequence number: from the state, else its `rotate.first`, else 1. */
export function currentNumber(remote: RemoteConfig, sequence: Readonly<Record<string, number>>): number {
  return sequence[remote.name] ?? remote.rotate?.first ?? 1;
}

/** Each rotated remote's current number, as the state records it. */
export function rotationSequence(store: Store): Record<string, number> {
  return Object.fromEntries(store.rotations().map((r) => [r.remote, r.n]));
}

/**
 * The config with each rotating remote at its current number (`sequence`, from the state):
 * push targets, view and asset bases, and the site's public URL (the primary's view base) all
 * follow. Without rotations the config is returned as it is.
 */
export function applyRotation(config: MirrorConfig, sequence: Readonly<Record<string, number>>): MirrorConfig {
  if (!config.remotes.some((r) => r.rotate !== undefined && currentNumber(r, sequence) !== r.n)) return config;
  const numbers = Object.fromEntries(config.remotes.map((r) => [r.name, currentNumber(r, sequence)]));
  return { ...config, ...applyRemotes({ site: config.site, remotes: config.remotes }, config.baseDir, numbers) };
}

/** A remote at another number of its sequence (the next one, or the one it left). */
export function remoteAt(config: MirrorConfig, remote: ResolvedRemote, n: number): ResolvedRemote {
  return resolveRemote(remote, { baseDir: config.baseDir, n });
}

/** The entry site's repository as a remote (for pushing: credentials, timeout, redaction). */
export function entryRemote(config: MirrorConfig): ResolvedRemote | undefined {
  const e = config.entry;
  if (!e) return undefined;
  return resolveRemote(
    {
      name: 'entry',
      url: e.url,
      branch: e.branch,
      history: 'keep',
      force: false,
      viewUrl: 'none',
      tokenEnv: e.tokenEnv,
      username: e.username,
      timeoutMs: e.timeoutMs,
      retries: 0,
      retryBaseMs: 0,
    },
    { baseDir: config.baseDir },
  );
}

/** Where readers open the entry site: `siteUrl`, else `https://<user>.github.io/` from its URL. */
export function entrySiteUrl(config: MirrorConfig): string | undefined {
  const e = config.entry;
  if (!e) return undefined;
  if (e.siteUrl) return e.siteUrl;
  const m = /github\.com[/:]([^/]+)\/(\1\.github\.io)(?:\.git)?\/?$/i.exec(e.url);
  return m ? `https://${m[2]?.toLowerCase()}/` : undefined;
}

interface RemoteOptions {
  env?: NodeJS.ProcessEnv | undefined;
  signal?: AbortSignal | undefined;
}

/** `ls-remote` of the remote's branch: its commit, or undefined when the repository has no such branch. Throws when it does not answer. */
async function remoteHead(
  dir: string,
  remote: ResolvedRemote,
  auth: RemoteAuth,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const ref = `refs/heads/${remote.branch}`;
  const r = await runRemoteGit(dir, ['ls-remote', '--refs', remote.target, ref], {
    auth,
    timeoutMs: remote.timeoutMs,
    signal,
  });
  if (r.code !== 0 || r.timedOut) {
    throw new MirrorError(
      ErrorCodes.PushFailed,
      `remote ${remote.name}: ${redact(remote.target)} does not answer: ${r.timedOut ? `no answer in ${remote.timeoutMs} ms` : r.stderr.trim().split('\n').slice(-2).join(' ')}`,
      { hint: `check the repository ${redact(remote.target)} exists and the credentials may push to it` },
    );
  }
  return r.stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .find(([, name]) => name === ref)?.[0];
}

/**
 * Throws `RotateFailed` unless the remote's next repository answers (it may be empty): a
 * rotation to a repository that does not exist yet would publish nowhere.
 */
export async function checkNext(
  config: MirrorConfig,
  next: ResolvedRemote,
  options: RemoteOptions = {},
): Promise<void> {
  await ensureRepo(config.output.dir);
  try {
    await remoteHead(config.output.dir, next, remoteAuth(next, options.env ?? process.env), options.signal);
  } catch (err) {
    throw new MirrorError(
      ErrorCodes.RotateFailed,
      `remote ${next.name} cannot move to ${redact(next.target)}: ${describeError(err)}`,
      {
        cause: err,
        hint: `create the repository ${redact(next.target)} (empty) first${next.transport === 'local' ? ` (git init --bare ${next.target})` : ''}, then rotate again`,
      },
    );
  }
}

async function hasCommit(dir: string, sha: string): Promise<boolean> {
  try {
    await git(dir, ['cat-file', '-e', `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** The remote's branch as a local commit (fetched, one commit deep, when we do not have it), or undefined when it is empty. */
async function baseOf(
  dir: string,
  remote: ResolvedRemote,
  auth: RemoteAuth,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const seen = await remoteHead(dir, remote, auth, signal);
  if (seen === undefined || (await hasCommit(dir, seen))) return seen;
  const f = await runRemoteGit(
    dir,
    ['fetch', '--quiet', '--no-tags', '--depth=1', remote.target, `refs/heads/${remote.branch}`],
    {
      auth,
      timeoutMs: remote.timeoutMs,
      signal,
    },
  );
  if (f.code !== 0 || !(await hasCommit(dir, seen))) {
    throw new MirrorError(
      ErrorCodes.PushFailed,
      `remote ${remote.name}: cannot fetch ${seen.slice(0, 10)} from ${redact(remote.target)}: ${f.stderr.trim()}`,
      {
        hint: 'the next run tries again',
      },
    );
  }
  return seen;
}

/** A commit of `base`'s tree with `pages` written over it (or removed: `null`), made without touching the index or work tree. */
async function commitOver(
  dir: string,
  config: MirrorConfig,
  base: string | undefined,
  pages: readonly Page[],
  message: string,
  date: string,
): Promise<{ sha: string; changed: boolean }> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'newsmirror-index-'));
  const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
  try {
    if (base) await git(dir, ['read-tree', base], env);
    else await git(dir, ['read-tree', '--empty'], env);
    for (const page of pages) {
      if (page.kind === 'asset') continue;
      const file = path.join(tmp, 'blob');
      writeFileSync(file, page.body);
      const blob = (await git(dir, ['hash-object', '-w', file])).trim();
      await git(dir, ['update-index', '--add', '--cacheinfo', `100644,${blob},${page.path}`], env);
    }
    const tree = (await git(dir, ['write-tree'], env)).trim();
    if (base && (await git(dir, ['rev-parse', `${base}^{tree}`])).trim() === tree) return { sha: base, changed: false };
    const who = await commitIdentity(dir, config.git.authorName, config.git.authorEmail);
    const sha = await commitTree(dir, who, { tree, parents: base ? [base] : [], message: [message], date });
    return { sha, changed: true };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function push(
  dir: string,
  remote: ResolvedRemote,
  sha: string,
  auth: RemoteAuth,
  signal?: AbortSignal,
): Promise<void> {
  const r = await runRemoteGit(
    dir,
    ['push', '--porcelain', '--no-verify', remote.target, `${sha}:refs/heads/${remote.branch}`],
    {
      auth,
      timeoutMs: remote.timeoutMs,
      signal,
    },
  );
  if (r.code !== 0 || r.timedOut || /^!/m.test(r.stdout)) {
    const detail = r.timedOut ? `no answer in ${remote.timeoutMs} ms` : failureDetail(r);
    throw new MirrorError(
      ErrorCodes.PushFailed,
      `remote ${remote.name}: push to ${redact(remote.target)} failed: ${detail}`,
      {
        hint: 'the next run tries again',
      },
    );
  }
}

/**
 * Push the moved notice to the repository `rotation` left: over what that repository holds,
 * its home page and every channel index (`indexes/*.md`) replaced by the notice, each with the
 * QR code of its new address. `config` is at the remote's current number.
 */
export async function publishMoved(
  config: MirrorConfig,
  store: Store,
  rotation: RotationState,
  options: RemoteOptions & { now: Date },
): Promise<MovedReport> {
  const remote = config.remotes.find((r) => r.name === rotation.remote);
  if (!remote) throw new MirrorError(ErrorCodes.ConfigInvalid, `remote ${rotation.remote} is no longer in the config`);
  const old = remoteAt(config, remote, rotation.fromN);
  const to = remote.viewBase ?? config.site.publicUrl;
  const report: MovedReport = {
    remote: remote.name,
    from: redact(old.target),
    to: publicUrl(to, HOME_PATH),
    status: 'failed',
  };
  const dir = config.output.dir;
  const auth = remoteAuth(old, options.env ?? process.env);
  try {
    const base = await baseOf(dir, old, auth, options.signal);
    if (base === undefined) {
      // Nothing was ever published there: no reader to tell.
      store.saveRotation({ ...rotation, movedPending: false, lastError: null });
      return { ...report, status: 'nothing-there' };
    }
    const listed = (await git(dir, ['ls-tree', '-r', '--name-only', '-z', base])).split('\0');
    const paths = listed.filter((p) => p === HOME_PATH || /^indexes\/[^/]+\.md$/.test(p));
    const pages = renderMoved(paths.length > 0 ? paths : [HOME_PATH], {
      to,
      at: options.now.toISOString(),
      entryUrl: entrySiteUrl(config),
    });
    const { sha, changed } = await commitOver(
      dir,
      config,
      base,
      pages,
      `moved to ${publicUrl(to, HOME_PATH)}`,
      options.now.toISOString(),
    );
    if (changed) await push(dir, old, sha, auth, options.signal);
    // A ref keeps the notice (and what it was made over) from git's garbage collection.
    await git(dir, ['update-ref', `refs/newsmirror/moved/${remote.name}-${rotation.fromN}`, sha]);
    store.saveRotation({ ...rotation, movedPending: false, movedSha: sha, lastError: null });
    return { ...report, status: 'pushed', sha };
  } catch (err) {
    const e = failure(err, auth.secrets);
    store.saveRotation({ ...rotation, lastError: `${e.code}: ${e.message}` });
    return { ...report, error: e };
  }
}

/**
 * Point the entry site at the current home, when it points elsewhere (or was never published):
 * `index.html` and `404.html` over what its repository holds.
 */
export async function publishEntry(
  config: MirrorConfig,
  store: Store,
  options: RemoteOptions & { now: Date; force?: boolean },
): Promise<EntryReport | undefined> {
  const remote = entryRemote(config);
  if (!remote) return undefined;
  const home = publicUrl(config.site.publicUrl, HOME_PATH);
  const last = store.entrySite();
  const report: EntryReport = { target: redact(remote.target), home, status: 'up-to-date', sha: last?.sha };
  if (last?.home === home && !options.force) return report;
  const dir = config.output.dir;
  await ensureRepo(dir);
  const auth = remoteAuth(remote, options.env ?? process.env);
  try {
    const at = options.now.toISOString();
    const pages = renderEntrySite({ home, at, title: config.entry?.title ?? homeTitle(config) });
    const base = await baseOf(dir, remote, auth, options.signal);
    const { sha, changed } = await commitOver(dir, config, base, pages, `entry: ${home}`, at);
    if (changed) await push(dir, remote, sha, auth, options.signal);
    await git(dir, ['update-ref', 'refs/newsmirror/entry', sha]);
    store.saveEntrySite(home, at, sha);
    return { ...report, status: changed ? 'pushed' : 'up-to-date', sha };
  } catch (err) {
    return { ...report, status: 'failed', error: failure(err, auth.secrets) };
  }
}

/** The home page's title, as the home page shows it (in the mirror's language). */
function homeTitle(config: MirrorConfig): string {
  return config.layout.labels[config.layout.language].homeTitle;
}

function failure(
  err: unknown,
  secrets: readonly string[],
): { code: string; message: string; hint?: string | undefined } {
  const code = err instanceof MirrorError ? err.code : ErrorCodes.Internal;
  const hint = err instanceof MirrorError && err.hint ? redact(err.hint, secrets) : undefined;
  return { code, message: redact(describeError(err), secrets), hint };
}

/**
 * The commit a rotating `keep` remote gets: the local commit's tree, on top of the last commit
 * pushed there (or, when the state does not know it, the remote's branch if we have that
 * commit, as after a CI run fetched it), or parentless for a new repository. An unchanged tree
 * reuses the parent. Kept under refs/newsmirror/history/<remote>.
 */
export async function ownHistoryCommit(
  dir: string,
  config: MirrorConfig,
  remote: ResolvedRemote,
  local: string,
  lastPushed: string | undefined,
  options: { auth: RemoteAuth; signal?: AbortSignal | undefined },
): Promise<string> {
  let parent = lastPushed && (await hasCommit(dir, lastPushed)) ? lastPushed : undefined;
  if (!parent) {
    const seen = await remoteHead(dir, remote, options.auth, options.signal).catch(() => undefined);
    if (seen && (await hasCommit(dir, seen))) {
      // A state that lost its rotation number would publish to a repository readers were sent away from.
      if (await isMovedNotice(dir, seen)) {
        throw new MirrorError(
          ErrorCodes.RotateFailed,
          `remote ${remote.name}: ${redact(remote.target)} is a repository the mirror moved away from (its home page says where to), and the state does not know which repository comes after it`,
          {
            hint: `set rotate.first of remote ${remote.name} to the number of the repository the mirror is published to now, or restore the state`,
          },
        );
      }
      parent = seen;
    }
  }
  const tree = (await git(dir, ['rev-parse', `${local}^{tree}`])).trim();
  if (parent && (await git(dir, ['rev-parse', `${parent}^{tree}`])).trim() === tree) return parent;
  const [subject = '', date = ''] = (await git(dir, ['log', '-1', '--format=%s%x00%cI', local])).trim().split('\0');
  const who = await commitIdentity(dir, config.git.authorName, config.git.authorEmail);
  const sha = await commitTree(dir, who, { tree, parents: parent ? [parent] : [], message: [subject], date });
  await git(dir, ['update-ref', `refs/newsmirror/history/${remote.name}`, sha]);
  return sha;
}

/** The notices still owed to repositories a remote left, then the entry site if the home moved. */
export async function finishRotations(
  config: MirrorConfig,
  store: Store,
  options: RemoteOptions & { now: Date },
): Promise<{ moved: MovedReport[]; entry?: EntryReport | undefined }> {
  const moved: MovedReport[] = [];
  for (const r of store.rotations()) if (r.movedPending) moved.push(await publishMoved(config, store, r, options));
  return { moved, entry: await publishEntry(config, store, options) };
}

/** Whether `commit` is a moved notice: its home page is one (render/moved.ts). */
async function isMovedNotice(dir: string, commit: string): Promise<boolean> {
  try {
    return (await git(dir, ['cat-file', '-p', `${commit}:${HOME_PATH}`])).includes('<!-- newsmirror:moved ');
  } catch {
    return false;
  }
}

/** Compressed bytes of the objects of `commit`'s tree: what a new repository would start with. */
export async function treeBytes(dir: string, commit: string): Promise<number> {
  return Number((await git(dir, ['rev-list', '--objects', '--disk-usage', `${commit}^{tree}`])).trim()) || 0;
}
