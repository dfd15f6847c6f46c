import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  type Dirent,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { ErrorCodes, MirrorError } from '../errors.js';
import type { Page } from '../types.js';

/**
 * Top-level entries of the mirror tree that newsmirror owns; anything else is the operator's.
 * The second line is the static site's (src/render/html/index.ts `SITE_ROOTS`); `pagefind/`, the
 * search index, is written by Pagefind, not by this writer.
 */
export const MANAGED_ROOTS = [
  'README.md',
  'indexes',
  'pages',
  'assets',
  ...['index.html', 'site.css', 'search.html', 'search.js', '404.html', '.nojekyll', 'feeds', 'hans', 'hant'],
] as const;

export interface WriteResult {
  written: string[];
  removed: string[];
  unchanged: number;
}

/**
 * A mirror path must stay inside the mirror: relative, forward slashes, no `..`,
 * no NUL or control characters, no Windows-reserved names, bounded length.
 */
export function assertSafePath(p: string): void {
  const bad = (why: string) =>
    new MirrorError(ErrorCodes.UnsafePath, `refusing to write "${p.slice(0, 200)}": ${why}`, {
      hint: 'this is a bug in an id or channel rule; the page was not written',
    });
  if (p.length === 0 || p.length > 1024) throw bad('empty or too long');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.includes('\\')) throw bad('not a relative path');
  if (/[\u0000-\u001f]/.test(p)) throw bad('control character');
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') throw bad('empty, "." or ".." segment');
    if (Buffer.byteLength(seg) > 255) throw bad('segment longer than 255 bytes');
    if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(seg)) throw bad('reserved file name');
  }
}

function sameBytes(file: string, body: string | Uint8Array): boolean {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch {
    return false;
  }
  const want =
    typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (st.size !== want.length) return false;
  return readFileSync(file).equals(want);
}

/** Write one file so that a reader (or a crash) sees the old bytes or the new, never half. */
export function writeFileAtomic(file: string, body: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(tmp, body);
  renameSync(tmp, file);
}

function copyFileAtomic(from: string, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  copyFileSync(from, tmp);
  renameSync(tmp, file);
}

/**
 * A symbolic link under the managed roots is refused, never followed: it would let the writer
 * write or delete wherever it points (a fork or a pulled repository can carry one; with
 * `assets -> ..` a sync deleted the state and the mirror's `.git`). Nothing is replaced either:
 * even a link that points inside the mirror is the operator's to remove.
 */
function symlinkError(dir: string, rel: string): MirrorError {
  const abs = path.join(dir, rel);
  let target = '?';
  try {
    target = readlinkSync(abs);
  } catch {
    // gone or unreadable: the message still names the link
  }
  return new MirrorError(
    ErrorCodes.SymlinkInMirror,
    `${rel} in the mirror is a symbolic link (to ${target}); newsmirror never writes, reads or deletes through a link, so the mirror was left as it is`,
    {
      hint: `remove the link (rm ${abs}); the next run writes real files in its place and leaves what the link points to alone`,
    },
  );
}

/**
 * Every file under the managed roots of `dir`, as mirror paths. Read without following links:
 * a symbolic link anywhere in them throws SymlinkInMirror (callers list before they touch anything).
 */
export function listManaged(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const ent of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = `${rel}/${ent.name}`;
      if (ent.isSymbolicLink()) throw symlinkError(dir, r);
      if (ent.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  for (const root of MANAGED_ROOTS) {
    const st = lstatSync(path.join(dir, root), { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isSymbolicLink()) throw symlinkError(dir, root);
    if (st.isDirectory()) walk(root);
    else out.push(root);
  }
  return out;
}

function removeEmptyDirs(dir: string, rel: string): void {
  const abs = path.join(dir, rel);
  let entries: Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.isDirectory()) removeEmptyDirs(dir, path.join(rel, e.name));
  }
  if (readdirSync(abs).length === 0) rmdirSync(abs);
}

/**
 * Make the managed part of `dir` hold exactly `pages`: write files whose bytes
 * changed, leave the rest untouched (so git and mtime-based tools see no change),
 * and remove managed files that are no longer rendered (retention).
 */
export function writePagesToDir(
  dir: string,
  pages: Iterable<Page>,
  options: { keep?: ReadonlySet<string> | undefined } = {},
): WriteResult {
  mkdirSync(dir, { recursive: true });
  // Listed before the first write: a symbolic link anywhere under the managed roots stops the
  // write with nothing touched, and no file below it is read, written or removed.
  const onDisk = listManaged(dir);
  const result: WriteResult = { written: [], removed: [], unchanged: 0 };
  const wanted = new Set<string>();
  for (const page of pages) {
    assertSafePath(page.path);
    if (wanted.has(page.path)) {
      throw new MirrorError(ErrorCodes.Internal, `two pages render to ${page.path}`, {
        hint: 'two articles or channels map to the same file; report this as a bug',
      });
    }
    wanted.add(page.path);
    const file = path.join(dir, page.path);
    if (page.kind === 'asset') {
      // Content-addressed: the same name means the same bytes, so the size is check enough.
      if (existsSync(file) && statSync(file).size === statSync(page.source).size) {
        result.unchanged++;
      } else {
        copyFileAtomic(page.source, file);
        result.written.push(page.path);
      }
      continue;
    }
    if (sameBytes(file, page.body)) {
      result.unchanged++;
      continue;
    }
    writeFileAtomic(file, page.body);
    result.written.push(page.path);
  }
  // Pages the renderer did not render again because their inputs did not change (`options.keep`
  // is read after `pages` is consumed: a renderer may fill it as it goes).
  for (const rel of options.keep ?? []) {
    if (wanted.has(rel)) continue;
    wanted.add(rel);
    result.unchanged++;
  }
  // Every file this write made is wanted, so the listing from before the write is the one to prune.
  for (const rel of onDisk) {
    // Leftover temp files of a killed run are removed too.
    if (!wanted.has(rel)) {
      unlinkSync(path.join(dir, rel));
      if (!/\.tmp$/.test(rel)) result.removed.push(rel);
    }
  }
  for (const root of MANAGED_ROOTS) {
    if (root !== 'README.md') removeEmptyDirs(dir, root);
  }
  return result;
}

/** The in-memory sink: the same pages as a map, for tests and library users. */
export function pagesToMap(pages: readonly Page[]): Map<string, string | Uint8Array> {
  const out = new Map<string, string | Uint8Array>();
  for (const p of pages) {
    assertSafePath(p.path);
    out.set(p.path, p.kind === 'asset' ? new Uint8Array(readFileSync(p.source)) : p.body);
  }
  return out;
}
