import type { MirrorConfig } from '../config/schema.js';
import { clearStaleGitLocks, commitIdentity, ensureRepo, git } from './git.js';

export { git } from './git.js';
export { type PushOptions, pushRemotes, type RemoteStatus, remoteStatuses } from './push.js';
export { redact } from './redact.js';

export interface CommitResult {
  sha: string;
  message: string;
  files: number;
  /** Article pages (`pages/<channel>/<id>.md`) the commit adds, changes and deletes. */
  pages: { new: number; updated: number; removed: number };
}

/** What made the commit: its message says so (a sync's starts with `git.messagePrefix`). */
export type PublishCommand = 'sync' | 'build' | 'publish';

/**
 * Stage the mirror folder's changes but those under `except`, ahead of the commit: a sync does it
 * while the search index is built (its Pagefind processes and this git then share the cores), and
 * the commit that follows stages only what is left. Changes nothing in the history.
 */
export async function stageMirror(config: MirrorConfig, except: readonly string[]): Promise<void> {
  if (!config.git.enabled) return;
  const dir = config.output.dir;
  await ensureRepo(dir);
  await clearStaleGitLocks(dir);
  await git(dir, ['add', '--all', '--', '.', ...except.map((p) => `:(exclude)${p}`)]);
}

/**
 * Commit the mirror folder if anything in it changed. Returns undefined for a run
 * that changed nothing, so a quiet hour leaves the history untouched.
 * (Pushing to remotes, history modes and rotation build on this.)
 */
export async function publishMirror(
  config: MirrorConfig,
  command: PublishCommand,
  now: Date,
): Promise<CommitResult | undefined> {
  if (!config.git.enabled) return undefined;
  const dir = config.output.dir;
  await ensureRepo(dir);
  await clearStaleGitLocks(dir);
  await git(dir, ['add', '--all', '.']);
  const status = await git(dir, ['status', '--porcelain', '-z']);
  if (status.length === 0) return undefined;
  const files = status.split('\0').filter(Boolean).length;
  const pages = await stagedPages(dir);
  const stamp = now.toISOString().slice(0, 16).replace('T', ' ');
  const parts = [`${pages.new} new`, `${pages.updated} updated`];
  if (pages.removed > 0) parts.push(`${pages.removed} removed`);
  const label = command === 'sync' ? config.git.messagePrefix : command;
  const message = `${label} ${stamp} UTC: ${parts.join(', ')}`;
  const who = await commitIdentity(dir, config.git.authorName, config.git.authorEmail);
  await git(
    dir,
    ['-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`, 'commit', '--quiet', '--no-verify', '-m', message],
    {
      GIT_AUTHOR_DATE: now.toISOString(),
      GIT_COMMITTER_DATE: now.toISOString(),
    },
  );
  const sha = (await git(dir, ['rev-parse', 'HEAD'])).trim();
  return { sha, message, files, pages };
}

/**
 * The article pages the commit holds, counted from the index rather than from the run: a run
 * that resumes an interrupted one commits pages the earlier run wrote, and items that failed
 * to fetch are discovered but never written.
 */
async function stagedPages(dir: string): Promise<CommitResult['pages']> {
  const out = await git(dir, ['diff', '--cached', '--name-status', '--no-renames', '-z', '--', 'pages']);
  const fields = out.split('\0');
  const pages = { new: 0, updated: 0, removed: 0 };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (!/^pages\/[^/]+\/[^/]+\.md$/.test(fields[i + 1] ?? '')) continue;
    const status = fields[i];
    if (status === 'A') pages.new++;
    else if (status === 'D') pages.removed++;
    else pages.updated++;
  }
  return pages;
}
