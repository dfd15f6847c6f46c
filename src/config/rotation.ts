/**
 * Rotation (issue 10 point 5) and the entry site (point 6), as the config says them.
 *
 * ```yaml
 * remotes:
 *   - name: github
 *     url: https://github.com/OWNER/news-{n}.git    # {n}: the repository's number in the sequence
 *     rotate:
 *       maxBytes: 1500000000        # move on once the repository holds more (omit: only `newsmirror rotate`)
 *       first: 1                    # the number of the first repository
 * entry:
 *   url: https://github.com/OWNER/OWNER.github.io.git   # where the redirect site is pushed
 *   siteUrl: https://OWNER.github.io/                    # where readers open it
 *   tokenEnv: ENTRY_TOKEN
 * ```
 *
 * The state records each rotating remote's current number; the config is resolved with it
 * (`applyRotation` in src/publish/rotate.ts) before a run renders or pushes anything. This file
 * imports nothing of ours: remotes.ts builds its schema from it.
 */
import { z } from 'zod';

/** `rotate:` of a remote. */
export const RotateSchema = z.strictObject({
  /**
   * Move to the next repository once this one holds more than this many bytes (as estimated
   * from the objects pushed: `status` shows it). Omitted: only `newsmirror rotate` moves it.
   */
  maxBytes: z.number().int().positive().optional(),
  /** The number `{n}` of the first repository of the sequence. */
  first: z.number().int().min(0).default(1),
});
export type RotateConfig = z.infer<typeof RotateSchema>;

/** `entry:`: the redirect site, pushed to a repository of its own (a `<user>.github.io`). */
export const EntrySchema = z.strictObject({
  /** Where to push it: a git URL or a local path, like a remote's `url` (without `{n}`). */
  url: z.string().min(1),
  branch: z.string().min(1).default('main'),
  /** Where readers open it, e.g. https://OWNER.github.io/ (default: from a `<user>.github.io` URL). */
  siteUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Title of the redirect page (default: the home page's title). */
  title: z.string().min(1).optional(),
  tokenEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the NAME of an environment variable, not its value')
    .optional(),
  username: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).default(120_000),
});
export type EntryConfig = z.infer<typeof EntrySchema>;

/** Why a remote's `rotate:` cannot work, or undefined. */
export function rotateProblem(remote: { url: string; rotate?: unknown }): string | undefined {
  if (remote.rotate !== undefined && !remote.url.includes('{n}')) {
    return 'a remote that rotates needs {n} in its url, e.g. https://github.com/OWNER/news-{n}.git: each rotation adds 1 to it';
  }
  return undefined;
}
