/**
 * `newsmirror rebuild-state`: the state rebuilt from the published mirror, for an operator
 * who lost the database (a new server, a CI cache that expired, a deleted file). Every
 * article page carries a `<!-- newsmirror:article {…} -->` comment with the article's
 * identity, dates, version and content hash; the page itself carries the byline, the
 * lead image block and the body.
 *
 * The body cannot be turned back into the clean HTML it was rendered from (Markdown is
 * lossy), so a restored article keeps the lead block and body *as published* (Markdown,
 * `Article.restored`) and render shows them as they are: `build` reproduces the same
 * pages. Its fingerprint is unknown (pages do not carry the feed's words); the next poll
 * adopts what the feed says then, without refetching (discover's `adopted`), so a run
 * after a rebuild fetches only the feeds. When an article is fetched again (its feed entry
 * changes), the clean body replaces the restored one.
 *
 * Lost for good: the fetch cache (each feed is fetched once in full), failures and runs,
 * pending items (rediscovered from the feeds), view counts, and pages that retention had
 * already removed (they are mirrored again if their feeds still list them). Images that could
 * not be mirrored are not lost: a page shows a placeholder for each, without the origin's URL,
 * so such a page goes back into `pending`, and the next sync fetches it again and retries its
 * images.
 *
 * The mirror may come from anywhere (a fork, a pulled repository), so every page is read as
 * untrusted: one page that cannot be read back, or that claims an id or URL another page
 * has, is rejected with the reason and the others are restored; symbolic links are never
 * followed; an image is copied into the cache only if its bytes are the ones its name says.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MirrorConfig } from '../config/schema.js';
import { describeError, ErrorCodes, MirrorError } from '../errors.js';
import type { Article, DiscoveredItem, RestoredBody, SafeHtml } from '../types.js';
import type { Store } from './database.js';

export interface RebuildOptions {
  /** The image cache (the pipeline's `imageCacheDir`): mirrored images are copied back into it. */
  imageCacheDir?: string | undefined;
}

export interface RebuildResult {
  /** Article pages found in the mirror. */
  pages: number;
  /** Articles added to the state. */
  restored: number;
  /** Articles the state already had (left as they are). */
  kept: number;
  /** Pages that could not be read back, and why. */
  rejected: { path: string; reason: string }[];
  /** Images copied from the mirror back into the image cache. */
  assets: number;
  /** Restored pages that show an image placeholder: pending again, so that a sync retries their images. */
  refetch: number;
}

interface PageMeta {
  id: string;
  outlet: string;
  channel: string;
  url: string;
  title: string;
  published: string | null;
  datePrecision?: unknown;
  sortAt?: unknown;
  firstSeen: string;
  updatedAt: string;
  version: number;
  hash: string;
  extractor: Article['extractor'];
}

const SAFE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const ASSET = /assets\/[0-9a-f]{2}\/[0-9a-f]{32}\.[a-z0-9]{2,5}/g;
/** A part of the byline line that render wrote for a date: `2026-11-20 10:00`, `2026-11-20`, `更新 2026-11-21 08:00`. */
const DATED = /\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?$/;

export function rebuildState(config: MirrorConfig, store: Store, options: RebuildOptions = {}): RebuildResult {
  const dir = config.output.dir;
  const result: RebuildResult = { pages: 0, restored: 0, kept: 0, rejected: [], assets: 0, refetch: 0 };
  const pagesDir = path.join(dir, 'pages');
  const top = lstatSync(pagesDir, { throwIfNoEntry: false });
  if (!top) return result;
  if (top.isSymbolicLink()) {
    throw new MirrorError(
      ErrorCodes.SymlinkInMirror,
      `pages in the mirror ${dir} is a symbolic link; nothing was read`,
      {
        hint: `replace the link (${pagesDir}) with the folder of published pages, then run rebuild-state again`,
      },
    );
  }
  const reject = (rel: string, reason: string) => result.rejected.push({ path: rel, reason });
  /** Pages read so far, by id and by URL: a later page that claims either is rejected. */
  const byId = new Map<string, string>();
  const byUrl = new Map<string, string>();
  const articles: { rel: string; article: Article }[] = [];
  const channels = readdirSync(pagesDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const channel of channels) {
    if (channel.isSymbolicLink()) reject(`pages/${channel.name}`, 'it is a symbolic link (never followed)');
    if (!channel.isDirectory()) continue;
    for (const entry of readdirSync(path.join(pagesDir, channel.name), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const name = entry.name;
      if (!name.endsWith('.md') || name.startsWith('.')) continue;
      const rel = `pages/${channel.name}/${name}`;
      result.pages++;
      if (!entry.isFile()) {
        reject(rel, entry.isSymbolicLink() ? 'it is a symbolic link (never followed)' : 'it is not a file');
        continue;
      }
      const read = readPage(readFileSync(path.join(dir, rel), 'utf8'), channel.name, name.slice(0, -3));
      if (typeof read === 'string') {
        reject(rel, read);
        continue;
      }
      const claimed = byId.get(read.id) ?? byUrl.get(read.url);
      if (claimed) {
        reject(rel, `its id or URL (${read.url}) is also that of ${claimed}`);
        continue;
      }
      byId.set(read.id, rel);
      byUrl.set(read.url, rel);
      const known = store.getArticle(read.id) ?? store.getArticleByUrl(read.url);
      if (known) {
        if (known.id === read.id && known.channel === read.channel) result.kept++;
        else reject(rel, `the state already holds its id or URL as pages/${known.channel}/${known.id}.md`);
        continue;
      }
      const assets: string[] = [];
      let bad: string | undefined;
      for (const asset of new Set(`${read.restored.head}\n${read.restored.body}`.match(ASSET) ?? [])) {
        const restored = restoreAsset(dir, asset, options.imageCacheDir, result);
        if (restored === true) assets.push(asset);
        else if (restored !== false) bad ??= restored;
      }
      if (bad) reject(rel, bad);
      else articles.push({ rel, article: { ...read, restored: { ...read.restored, assets } } });
    }
  }
  store.transaction(() => {
    for (const { rel, article } of articles) {
      try {
        // No fingerprint: the next poll adopts the feed's (see discover's `adopted`).
        store.saveArticle(article, '');
        result.restored++;
        if (Object.values(config.layout.labels).some((l) => showsPlaceholder(article.restored, l.imagePlaceholder))) {
          store.addPending(refetchItem(article), new Date().toISOString());
          result.refetch++;
        }
      } catch (err) {
        // A constraint the checks above missed fails this page alone (the statement is undone,
        // the transaction goes on). A damaged state file ends the rebuild.
        if (err instanceof MirrorError && err.code === ErrorCodes.StateCorrupt) throw err;
        reject(rel, `the state refused it: ${describeError(err)}`);
      }
    }
  });
  return result;
}

/**
 * An image the page shows, back into the cache (render copies assets from there): true when
 * it is there, false when the mirror does not have it either, or why it may not be used. The
 * cache is content-addressed and trusted by every later run, so only a regular file whose
 * bytes hash to its name goes in: not a link (it could point at any file of the machine, which
 * the next sync would then publish), not other bytes under an image's name.
 */
function restoreAsset(
  dir: string,
  asset: string,
  cacheDir: string | undefined,
  result: RebuildResult,
): boolean | string {
  const published = path.join(dir, asset);
  const st = lstatSync(published, { throwIfNoEntry: false });
  if (st?.isSymbolicLink()) return `its image ${asset} is a symbolic link (never followed)`;
  if (cacheDir === undefined) return st?.isFile() ?? false;
  const cached = path.join(cacheDir, asset);
  if (existsSync(cached)) return true;
  if (!st) return false;
  if (!st.isFile()) return `its image ${asset} is not a file`;
  const bytes = readFileSync(published);
  const name = path.basename(asset).replace(/\.[a-z0-9]+$/, '');
  if (!createHash('sha256').update(bytes).digest('hex').startsWith(name)) {
    return `its image ${asset} does not hold the bytes its name says`;
  }
  mkdirSync(path.dirname(cached), { recursive: true });
  copyFileSync(published, cached);
  result.assets++;
  return true;
}

const META_START = '<!-- newsmirror:article ';
const META_END = ' -->';

/**
 * The metadata comment render wrote, which is the page's last line (`renderArticlePage` ends
 * every page with it). Only that line: the body above it is the origin's text, and a body
 * that shows such a comment (in a code block, say) must not rename its page, give it another
 * title or dates, or take another page's URL. Pages from before U+2028 was escaped may hold it
 * raw: it is not a line end here.
 */
function lastMetaComment(text: string): unknown {
  if (!text.endsWith(`${META_END}\n`)) return undefined;
  const line = text.slice(text.lastIndexOf('\n', text.length - 2) + 1, -1);
  if (!line.startsWith(`${META_START}{`)) return undefined;
  return JSON.parse(line.slice(META_START.length, -META_END.length));
}

/**
 * An article read back from its page (the layout of render's `renderArticlePage`), or why
 * not. Sections: title, rule, menu; the byline line; the lead block; `<hr/>`, the promo
 * block and `<hr/>` (or `<hr/>` alone); the body; `<hr/>` and the share block to the end.
 */
function readPage(text: string, channel: string, id: string): (Article & { restored: RestoredBody }) | string {
  let meta: PageMeta;
  try {
    meta = lastMetaComment(text) as PageMeta;
  } catch {
    return 'its newsmirror:article comment is not valid JSON';
  }
  if (typeof meta !== 'object' || meta === null) return 'its last line is not a newsmirror:article comment';
  for (const key of [
    'id',
    'outlet',
    'channel',
    'url',
    'title',
    'firstSeen',
    'updatedAt',
    'hash',
    'extractor',
  ] as const) {
    if (typeof meta[key] !== 'string') return `its comment has no ${key}`;
  }
  if (meta.id !== id || meta.channel !== channel) return `its comment names ${meta.channel}/${meta.id}`;
  if (!SAFE_NAME.test(meta.id) || !SAFE_NAME.test(meta.channel)) return 'its id or channel is not a safe file name';
  if (!/^https?:\/\//i.test(meta.url)) return 'its original URL is not http(s)';
  if (!Number.isInteger(meta.version) || meta.version < 1) return 'its comment has no version';

  const lines = text.split('\n');
  const rules = lines.flatMap((l, i) => (l === '<hr/>' ? [i] : []));
  if (!lines[0]?.startsWith('### ') || !lines[3]?.startsWith('#### ') || rules.length < 2) {
    return 'its layout is not one newsmirror renders';
  }
  let i = 5;
  let byline: string | undefined;
  const sub = /^<sub>(.*)<\/sub>$/.exec(lines[i] ?? '');
  if (sub) {
    const parts = (sub[1] ?? '').split(' · ');
    // After the byline: the date (or the marked first-seen time), and for a later edition the update time.
    for (let dates = meta.version > 1 ? 2 : 1; dates > 0 && DATED.test(parts[parts.length - 1] ?? ''); dates--) {
      parts.pop();
    }
    byline = parts.length > 0 ? unescapeText(parts.join(' · ')) : undefined;
    i += 2;
  }
  let head = '';
  if (lines[i]?.startsWith('<figure>')) {
    head = lines[i] ?? '';
    i += 2;
  }
  if (i !== rules[0]) return 'its layout is not one newsmirror renders';
  // Three rules: the promo block sits between the first two. The body never holds a raw
  // `<hr/>` line (render writes `---`, and escapes `<` in text).
  const bodyStart = (rules.length >= 3 ? (rules[1] ?? 0) : (rules[0] ?? 0)) + 2;
  const bodyEnd = (rules[rules.length - 1] ?? 0) - 1;
  const body = lines.slice(bodyStart, bodyEnd).join('\n').trim();
  const unsafe = unsafeMarkup(`${head}\n${body}`);
  if (unsafe) return `it holds markup newsmirror does not publish (${unsafe.slice(0, 40)})`;
  return {
    id: meta.id,
    outlet: meta.outlet,
    channel: meta.channel,
    url: meta.url,
    title: meta.title,
    byline: byline || undefined,
    published: meta.published ?? undefined,
    datePrecision: meta.datePrecision === 'day' || meta.datePrecision === 'none' ? meta.datePrecision : undefined,
    sortAt:
      typeof meta.sortAt === 'string' && !Number.isNaN(Date.parse(meta.sortAt))
        ? new Date(meta.sortAt).toISOString()
        : undefined,
    // A restored article has no clean HTML; render uses `restored` instead.
    html: '' as SafeHtml,
    extractor: meta.extractor,
    hash: meta.hash,
    firstSeen: meta.firstSeen,
    updatedAt: meta.updatedAt,
    version: meta.version,
    restored: { head, body, assets: [] },
  };
}

/**
 * Whether a restored page shows render's placeholder for an image it could not mirror: in a
 * figure `<em>[…]</em>` (render writes no other raw `<em>[` there: it escapes `<` in text),
 * elsewhere the escaped text `\[<layout.imagePlaceholder>…\]`.
 */
function showsPlaceholder(restored: RestoredBody | undefined, placeholder: string): boolean {
  const text = `${restored?.head ?? ''}\n${restored?.body ?? ''}`;
  return /<figure>(?:<img [^>]*\/>)*<em>\[/.test(text) || text.includes(`\\[${placeholder}`);
}

/** A restored article as a pending item: fetched again, as an update of itself (same id). */
function refetchItem(a: Article): DiscoveredItem {
  return {
    url: a.url,
    title: a.title,
    id: a.id,
    outlet: a.outlet,
    channel: a.channel,
    status: 'updated',
    fingerprint: '',
  };
}

/** Undo render's `mdText` (entities, then backslash escapes). */
function unescapeText(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\\(.)/g, '$1');
}

/**
 * A guard against a page edited by hand in the repository (pages are published as
 * they are read back): executable markup that render never writes. Code and escaped
 * `\<` are text, not markup.
 */
function unsafeMarkup(markdown: string): string | undefined {
  const text = markdown
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '')
    .replace(/\\</g, '');
  const m =
    /<\s*\/?\s*(?:script|iframe|frame|object|embed|applet|style|form|input|button|base|meta|link|svg|math|template)\b/i.exec(
      text,
    ) ??
    /<[a-z][^<>]*\son[a-z]+\s*=/i.exec(text) ??
    /(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data):/i.exec(text) ??
    /\]\(\s*<?\s*(?:javascript|vbscript|data):/i.exec(text);
  return m?.[0];
}
