/**
 * The static site's search index (Pagefind 1.6, STACK §14: its extended build segments Chinese,
 * and the browser loads only the chunks a query needs). Pagefind reads the written pages, so
 * this is a step after the write, beside the writer: it is I/O on the mirror folder, like it.
 *
 * Pagefind has no incremental mode: an index is built from every page, always. So the pipeline
 * runs this only when a write changed a site page (or the index is missing), and a run that
 * changed nothing costs nothing. The index is written to a temp folder and renamed into place,
 * so a reader (or a crash) sees the old index or the new one.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, MirrorError } from '../errors.js';

export const SEARCH_INDEX_DIR = 'pagefind';

export interface SearchIndexResult {
  /** Article pages indexed (every edition counts). */
  pages: number;
  files: number;
  bytes: number;
  ms: number;
}

/** Whether a write touched the site's pages, so that the index must be built again. */
export function searchIndexStale(dir: string, changed: readonly string[]): boolean {
  if (!existsSync(path.join(dir, SEARCH_INDEX_DIR, 'pagefind.js'))) return true;
  return changed.some((p) => p.endsWith('.html'));
}

/**
 * Builds waiting their turn. Pagefind's Node API talks to one backend process per Node process,
 * and `close()` ends it for every index: two builds at once (two syncs in one process, as a
 * library user or the fault suite runs them) closed each other's backend half-way ("Pagefind
 * backend closed", "Invalid index"). So builds in one process run one after another.
 */
let turn: Promise<unknown> = Promise.resolve();

/** Build `<dir>/pagefind/` from the article pages of the site in `dir` (one build at a time). */
export function buildSearchIndex(dir: string): Promise<SearchIndexResult> {
  const run = turn.then(() => buildNow(dir));
  turn = run.catch(() => undefined);
  return run;
}

async function buildNow(dir: string): Promise<SearchIndexResult> {
  const started = Date.now();
  const target = path.join(dir, SEARCH_INDEX_DIR);
  const st = lstatSync(target, { throwIfNoEntry: false });
  if (st?.isSymbolicLink()) {
    throw new MirrorError(
      ErrorCodes.SymlinkInMirror,
      `${SEARCH_INDEX_DIR} in the mirror is a symbolic link; newsmirror never writes through a link`,
      { hint: `remove the link (rm ${target}); the next run builds the search index in its place` },
    );
  }
  const pagefind = await import('pagefind');
  const tmp = path.join(dir, `.${SEARCH_INDEX_DIR}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    // One index for every language: the search page filters by edition, and an English word is
    // found from a Chinese page too. `zh` turns on the extended build's Chinese segmentation.
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'zh' });
    if (!index) throw new Error(errors.join('; ') || 'pagefind did not start');
    const added = await index.addDirectory({ path: dir, glob: '{pages,hans/pages,hant/pages}/**/*.html' });
    if (added.errors.length > 0) throw new Error(added.errors.join('; '));
    const wrote = await index.writeFiles({ outputPath: tmp });
    if (wrote.errors.length > 0) throw new Error(wrote.errors.join('; '));
    // Pagefind's ready-made search interfaces: the search page uses its JS API (search.js), so
    // these (430 KB) would only be published and never loaded.
    for (const name of readdirSync(tmp))
      if (/^pagefind-(?:component-ui|modular-ui|ui|highlight)\./.test(name)) rmSync(path.join(tmp, name));
    rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
    const { files, bytes } = sizeOf(target);
    return { pages: added.page_count, files, bytes, ms: Date.now() - started };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    // The pages changed but the index did not: without its entry file the index counts as
    // missing, so the next run builds it again even if it changes no page.
    rmSync(path.join(target, 'pagefind.js'), { force: true });
    throw new MirrorError(ErrorCodes.Internal, `the search index could not be built: ${(err as Error).message}`, {
      cause: err,
      hint: 'the site works without it (search.html says search is unavailable); the next run that changes a page tries again',
    });
  } finally {
    await pagefind.close();
  }
}

/** Files and bytes under a folder (links not followed). */
export function sizeOf(root: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const ent of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.isFile()) {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  if (existsSync(root)) walk(root);
  return { files, bytes };
}

export interface SiteStats {
  /** Every file a reader of the site may load: pages, stylesheet, script, feeds, search index, images. */
  bytes: number;
  files: number;
  htmlBytes: number;
  htmlPages: number;
  /** Article pages of the site (every edition counts): what the search index holds. */
  articlePages: number;
  feedBytes: number;
  searchBytes: number;
  imageBytes: number;
  /** The page that weighs most with the mirrored images it shows (QR code included). */
  heaviest?: { path: string; bytes: number; htmlBytes: number } | undefined;
}

const IMG_SRC = /<img\b[^<>]*?\ssrc="([^"]+)"/g;

/** What the site in `dir` weighs (what `build` prints). */
export function siteStats(dir: string): SiteStats {
  const stats: SiteStats = {
    bytes: 0,
    files: 0,
    htmlBytes: 0,
    htmlPages: 0,
    articlePages: 0,
    feedBytes: 0,
    searchBytes: 0,
    imageBytes: 0,
  };
  const size = (rel: string) => statSync(path.join(dir, rel), { throwIfNoEntry: false })?.size ?? 0;
  const walk = (rel: string, visit: (rel: string) => void) => {
    const abs = path.join(dir, rel);
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isFile()) visit(rel);
    else if (st.isDirectory()) for (const ent of readdirSync(abs)) walk(rel ? `${rel}/${ent}` : ent, visit);
  };
  const html: string[] = [];
  for (const root of ['index.html', 'search.html', '404.html', 'indexes', 'pages', 'hans', 'hant'])
    walk(root, (rel) => {
      if (rel.endsWith('.html')) html.push(rel);
    });
  for (const rel of html) {
    const b = size(rel);
    stats.htmlBytes += b;
    stats.htmlPages++;
    let total = b;
    if (/^(?:(?:hans|hant)\/)?pages\//.test(rel)) {
      stats.articlePages++;
      const text = readFileSync(path.join(dir, rel), 'utf8');
      for (const m of text.matchAll(IMG_SRC)) {
        const src = (m[1] ?? '').replace(/&amp;/g, '&');
        if (/^[a-z][a-z0-9+.-]*:/i.test(src)) continue;
        const target = path.posix.normalize(
          path.posix.join(path.posix.dirname(rel), decodeURIComponent(src.split('?')[0] ?? '')),
        );
        if (!target.startsWith('..')) total += size(target);
      }
    }
    if (!stats.heaviest || total > stats.heaviest.bytes) stats.heaviest = { path: rel, bytes: total, htmlBytes: b };
  }
  walk('feeds', (rel) => {
    stats.feedBytes += size(rel);
  });
  for (const ed of ['hans', 'hant'])
    walk(`${ed}/feeds`, (rel) => {
      stats.feedBytes += size(rel);
    });
  stats.searchBytes = sizeOf(path.join(dir, SEARCH_INDEX_DIR)).bytes;
  stats.imageBytes = sizeOf(path.join(dir, 'assets')).bytes;
  let qr = 0;
  walk('pages', (rel) => {
    if (rel.endsWith('.png')) qr += size(rel);
  });
  const other = size('site.css') + size('search.js');
  stats.bytes = stats.htmlBytes + stats.feedBytes + stats.searchBytes + stats.imageBytes + qr + other;
  stats.files =
    stats.htmlPages +
    sizeOf(path.join(dir, 'feeds')).files +
    sizeOf(path.join(dir, SEARCH_INDEX_DIR)).files +
    sizeOf(path.join(dir, 'assets')).files;
  return stats;
}
