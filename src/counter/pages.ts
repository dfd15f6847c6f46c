/**
 * The pages the counter may count: the article pages the renderer wrote, read from the
 * state's manifest of rendered pages (read-only; the state is in WAL mode, so this never
 * waits for a sync), else from the mirror folder's `pages/<channel>/<id>.md` files. Anything
 * else is refused, so nobody can fill the counts with paths of their own.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCodes, MirrorError } from '../errors.js';

/** `pages/<channel>/<id>.md`, the only paths that carry a beacon. */
const ARTICLE_PAGE = /^pages\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\.md$/;

export function isArticlePath(p: string): boolean {
  return ARTICLE_PAGE.test(p);
}

export interface PageSource {
  /** The state database (its `rendered` table). */
  stateFile: string;
  /** The mirror folder, read when there is no state. */
  mirrorDir: string;
}

/** The article pages of the mirror now. */
export function readKnownPages(source: PageSource): Set<string> {
  const known = new Set<string>();
  try {
    if (existsSync(source.stateFile)) {
      const db = new Database(source.stateFile, { readonly: true, fileMustExist: true });
      try {
        db.pragma('busy_timeout = 2000');
        const rows = db.prepare("SELECT path FROM rendered WHERE path LIKE 'pages/%.md'").pluck().all() as string[];
        for (const p of rows) if (isArticlePath(p)) known.add(p);
      } finally {
        db.close();
      }
      return known;
    }
    const pagesDir = path.join(source.mirrorDir, 'pages');
    if (!existsSync(pagesDir)) return known;
    for (const channel of readdirSync(pagesDir, { withFileTypes: true })) {
      if (!channel.isDirectory()) continue;
      for (const f of readdirSync(path.join(pagesDir, channel.name), { withFileTypes: true })) {
        const p = `pages/${channel.name}/${f.name}`;
        if (f.isFile() && isArticlePath(p)) known.add(p);
      }
    }
    return known;
  } catch (err) {
    throw new MirrorError(ErrorCodes.CounterUnavailable, 'cannot read the list of the mirror’s pages', {
      cause: err,
      hint: `check output.stateFile (${source.stateFile}) or output.dir (${source.mirrorDir})`,
    });
  }
}
