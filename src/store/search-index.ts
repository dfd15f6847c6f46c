/**
 * The static site's search index (Pagefind 1.6, STACK §14: its extended build segments Chinese,
 * and the browser loads only the chunks a query needs). Pagefind reads the written pages, so
 * this is a step after the write, beside the writer: it is I/O on the mirror folder, like it.
 *
 * Pagefind has no incremental mode, and one index of every page grows worse than linearly: 10,000
 * Chinese pages took 62 s on one core and 6.7 GB of memory, while one channel's 230 took 1.1 s and
 * 180 MB. So the index is sharded: one Pagefind index per channel folder (`pagefind/<channel>/`,
 * the channel's pages in every edition), listed in `pagefind/shards.json`, which the search page
 * reads before it merges the shards (Pagefind's `mergeIndex`). A run builds again only the shards
 * whose pages it wrote or removed (or that are missing), one Pagefind process per core at a time.
 * Each shard is written to a temp folder and renamed into place, so a reader (or a crash) sees
 * the old shard or the new one; the list is written once the shards are in place.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, MirrorError } from '../errors.js';
import { writeFileAtomic } from './writer.js';

export const SEARCH_INDEX_DIR = 'pagefind';
/** The shards the search page merges, in `pagefind/`: `{ "shards": ["c1", …] }`. */
export const SHARDS_FILE = 'shards.json';
/** The folders that hold article pages, one per edition. */
const PAGE_ROOTS = ['pages', 'hans/pages', 'hant/pages'];
const ARTICLE_HTML = /^(?:(?:hans|hant)\/)?pages\/([^/]+)\/[^/]+\.html$/;
const SHARD_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface SearchIndexResult {
  /** Article pages indexed by this run (every edition counts): those of the shards it built. */
  pages: number;
  /** Shards built by this run, kept from an earlier run, and removed (their channel has no pages left). */
  shards: { built: number; kept: number; removed: number };
  /** The whole index, every shard. */
  files: number;
  bytes: number;
  ms: number;
}

/** Channel folders holding site article pages, in any edition, sorted. */
function channelsOnDisk(dir: string): string[] {
  const found = new Set<string>();
  for (const root of PAGE_ROOTS) {
    const abs = path.join(dir, root);
    if (!existsSync(abs)) continue;
    for (const ent of readdirSync(abs, { withFileTypes: true })) {
      if (!ent.isDirectory() || !SHARD_NAME.test(ent.name) || found.has(ent.name)) continue;
      if (readdirSync(path.join(abs, ent.name)).some((f) => f.endsWith('.html'))) found.add(ent.name);
    }
  }
  return [...found].sort();
}

function listedShards(dir: string): string[] | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dir, SEARCH_INDEX_DIR, SHARDS_FILE), 'utf8')) as unknown;
    const shards = (parsed as { shards?: unknown }).shards;
    return Array.isArray(shards) && shards.every((s) => typeof s === 'string') ? shards : undefined;
  } catch {
    return undefined;
  }
}

/** Pagefind's script, worker and WebAssembly module in a bundle folder. */
const CODE = /^(?:pagefind\.js|pagefind-worker\.js|wasm\.[\w-]+\.pagefind)$/;
const codeFiles = (bundle: string): string[] =>
  existsSync(bundle) && statSync(bundle).isDirectory() ? readdirSync(bundle).filter((f) => CODE.test(f)) : [];
const hasCode = (bundle: string) => {
  const files = codeFiles(bundle);
  return (
    files.includes('pagefind.js') && files.includes('pagefind-worker.js') && files.some((f) => f.startsWith('wasm.'))
  );
};

const shardComplete = (dir: string, shard: string) =>
  existsSync(path.join(dir, SEARCH_INDEX_DIR, shard, 'pagefind-entry.json'));

export interface SearchIndexPlan {
  /** Every shard the index will hold. */
  shards: string[];
  /** Those to build: pages written or removed, or no complete index yet. */
  stale: string[];
}

/**
 * What a write leaves to do: undefined when the index already matches the pages (no article
 * page of the site written or removed, every shard complete and listed), so a run with nothing
 * new costs nothing. `changed` holds mirror paths; undefined builds every shard.
 */
export function planSearchIndex(dir: string, changed?: readonly string[]): SearchIndexPlan | undefined {
  const shards = channelsOnDisk(dir);
  const touched = new Set<string>();
  for (const p of changed ?? []) {
    const m = ARTICLE_HTML.exec(p);
    if (m?.[1] !== undefined) touched.add(m[1]);
  }
  const stale = shards.filter((s) => changed === undefined || touched.has(s) || !shardComplete(dir, s));
  const listed = listedShards(dir);
  const same = listed !== undefined && listed.length === shards.length && listed.every((s, i) => s === shards[i]);
  const primary = shards[0];
  const code = primary === undefined || hasCode(path.join(dir, SEARCH_INDEX_DIR, primary));
  return stale.length === 0 && same && code ? undefined : { shards, stale };
}

/** Pagefind's extended binary, found beside the `pagefind` package (its own lookup, `PAGEFIND_BINARY_PATH` first). */
function pagefindBinary(): string {
  const fromEnv = process.env.PAGEFIND_EXTENDED_BINARY_PATH ?? process.env.PAGEFIND_BINARY_PATH;
  if (fromEnv) return fromEnv;
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const exe = platform === 'windows' ? 'pagefind_extended.exe' : 'pagefind_extended';
  try {
    return createRequire(import.meta.resolve('pagefind')).resolve(`@pagefind/${platform}-${os.arch()}/bin/${exe}`);
  } catch (err) {
    throw new MirrorError(ErrorCodes.Internal, `Pagefind's binary for ${platform}-${os.arch()} is not installed`, {
      cause: err,
      hint: 'run `npm ci` again (the binary comes with the pagefind package as an optional dependency), or set PAGEFIND_BINARY_PATH to a pagefind_extended binary',
    });
  }
}

/** One shard: the channel's pages in every edition, indexed by one Pagefind process. */
function runPagefind(binary: string, dir: string, shard: string, out: string): Promise<number> {
  const args = [
    '--site',
    dir,
    '--glob',
    `{${PAGE_ROOTS.join(',')}}/${shard}/*.html`,
    // One index for every language: the search page filters by edition, and an English word is
    // found from a Chinese page too. `zh` turns on the extended build's Chinese segmentation.
    '--force-language',
    'zh',
    '--output-path',
    out,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        const said = `${stdout}\n${stderr}`;
        if (err) {
          const last = said.trim().split('\n').slice(-3).join(' ').trim();
          reject(new Error(`Pagefind failed on the channel ${shard}: ${last || err.message}`, { cause: err }));
          return;
        }
        const m = /Indexed (\d+) pages?/.exec(said);
        resolve(m?.[1] !== undefined ? Number(m[1]) : 0);
      },
    );
  });
}

/**
 * Bring `<dir>/pagefind/` up to date with the article pages in `dir`: build the stale shards of
 * the plan (all of them without one), remove the shards of channels with no pages left, and write
 * the list. A shard that fails loses its entry file, so the next run builds it again even if it
 * changes no page; the others are kept.
 */
export async function buildSearchIndex(
  dir: string,
  plan: SearchIndexPlan | undefined = planSearchIndex(dir),
): Promise<SearchIndexResult> {
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
  const { shards, stale } = plan ?? { shards: channelsOnDisk(dir), stale: [] };
  const binary = stale.length > 0 ? pagefindBinary() : '';
  let pages = 0;
  const failed: string[] = [];
  const queue = [...stale];
  const worker = async () => {
    for (let shard = queue.shift(); shard !== undefined; shard = queue.shift()) {
      // A name of its own: a Pagefind left running by a killed run cannot write into this build.
      const tmp = path.join(target, `.${shard}.${randomBytes(4).toString('hex')}.tmp`);
      const final = path.join(target, shard);
      try {
        const indexed = await runPagefind(binary, dir, shard, tmp);
        pages += indexed;
        // Pagefind's ready-made search interfaces: the search page uses its JS API (search.js), so
        // these (430 KB a shard) would only be published and never loaded.
        for (const name of readdirSync(tmp))
          if (/^pagefind-(?:component-ui|modular-ui|ui|highlight)\./.test(name)) rmSync(path.join(tmp, name));
        rmSync(final, { recursive: true, force: true });
        renameSync(tmp, final);
      } catch (err) {
        rmSync(tmp, { recursive: true, force: true });
        rmSync(path.join(final, 'pagefind-entry.json'), { force: true });
        failed.push(`${(err as Error).message}`);
      }
    }
  };
  const parallel = Math.max(1, Math.min(os.availableParallelism(), stale.length));
  await Promise.all(Array.from({ length: parallel }, worker));

  // The list names every shard with a complete index: a failed one is left out until it is built.
  const complete = shards.filter((s) => shardComplete(dir, s));
  // Pagefind's code (its script, worker and WebAssembly, 145 KB, the same in every shard) is
  // loaded from the first shard only, the others being merged into it: it stays there alone.
  const primary = complete[0];
  if (primary !== undefined) {
    const from = [primary, ...stale, ...readdirSync(target)].find((d) => hasCode(path.join(target, d)));
    if (from === undefined)
      throw new MirrorError(ErrorCodes.Internal, "the search index has no copy of Pagefind's code left", {
        hint: 'remove the pagefind folder of the mirror; the next run builds the whole index again',
      });
    for (const name of codeFiles(path.join(target, from)))
      if (from !== primary) copyFileSync(path.join(target, from, name), path.join(target, primary, name));
  }
  writeFileAtomic(path.join(target, SHARDS_FILE), `${JSON.stringify({ shards: complete })}\n`);
  // What is not a current shard goes: channels with no pages left, an index of an earlier version
  // (files at the top), temp folders of an interrupted run; and the code of every shard but the first.
  const keep = new Set(shards);
  let removed = 0;
  for (const ent of readdirSync(target, { withFileTypes: true })) {
    const at = path.join(target, ent.name);
    if (ent.isDirectory() && keep.has(ent.name)) {
      if (ent.name !== primary) for (const name of codeFiles(at)) rmSync(path.join(at, name));
      continue;
    }
    if (ent.name === SHARDS_FILE) continue;
    if (ent.isDirectory() && existsSync(path.join(at, 'pagefind-entry.json'))) removed++;
    rmSync(at, { recursive: true, force: true });
  }
  if (failed.length > 0) {
    throw new MirrorError(
      ErrorCodes.Internal,
      `the search index could not be built for ${failed.length} of ${stale.length} channel(s): ${failed.slice(0, 3).join('; ')}`,
      {
        hint: 'the site works without it (search.html searches the channels that have an index, or says search is unavailable); the next run tries those channels again',
      },
    );
  }
  const { files, bytes } = sizeOf(target);
  return {
    pages,
    shards: { built: stale.length, kept: shards.length - stale.length, removed },
    files,
    bytes,
    ms: Date.now() - started,
  };
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
