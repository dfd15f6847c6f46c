import type { MirrorConfig } from '../config/schema.js';
import { clearStaleGitLocks, commitIdentity, ensureRepo, git } from './git.js';

export { git } from './git.js';
export { type PushOptions, pushRemotes, type RemoteStatus, remoteStatuses } from './push.js';
export { redact } from './redact.js';

export interface CommitResult {
  sha: string;
  message: string;
  files: number;
}

/**
 * Commit the mirror folder if anything in it changed. Returns undefined for a run
 * that changed nothing, so a quiet hour leaves the history untouched.
 * (Pushing to remotes, history modes and rotation build on this.)
 */
export async function publishMirror(
  config: MirrorConfig,
  summary: { new: number; updated: number; removed: number },
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
  const stamp = now.toISOString().slice(0, 16).replace('T', ' ');
  const parts = [`${summary.new} new`, `${summary.updated} updated`];
  if (summary.removed > 0) parts.push(`${summary.removed} removed`);
  const message = `${config.git.messagePrefix} ${stamp} UTC: ${parts.join(', ')}`;
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
  return { sha, message, files };
}
