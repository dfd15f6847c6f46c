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
 * already removed (they are mirrored again if their feeds still list them).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MirrorConfig } from '../config/schema.js';
import { readMetaComment } from '../render/markdown.js';
import type { Article, RestoredBody, SafeHtml } from '../types.js';
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
}

interface PageMeta {
  id: string;
  outlet: string;
  channel: string;
  url: string;
  title: string;
  published: string | null;
  firstSeen: string;
  updatedAt: string;
  version: number;
  hash: string;
  extractor: Article['extractor'];
}

const SAFE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const ASSET = /assets\/[0-9a-f]{2}\/[0-9a-f]{32}\.[a-z0-9]{2,5}/g;
const DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

export function rebuildState(config: MirrorConfig, store: Store, options: RebuildOptions = {}): RebuildResult {
  const dir = config.output.dir;
  const result: RebuildResult = { pages: 0, restored: 0, kept: 0, rejected: [], assets: 0 };
  const pagesDir = path.join(dir, 'pages');
  if (!existsSync(pagesDir)) return result;
  const articles: Article[] = [];
  for (const channel of readdirSync(pagesDir, { withFileTypes: true })) {
    if (!channel.isDirectory()) continue;
    for (const name of readdirSync(path.join(pagesDir, channel.name)).sort()) {
      if (!name.endsWith('.md') || name.startsWith('.')) continue;
      const rel = `pages/${channel.name}/${name}`;
      result.pages++;
      const read = readPage(readFileSync(path.join(dir, rel), 'utf8'), channel.name, name.slice(0, -3));
      if (typeof read === 'string') {
        result.rejected.push({ path: rel, reason: read });
        continue;
      }
      if (store.getArticle(read.id) || store.getArticleByUrl(read.url)) {
        result.kept++;
        continue;
      }
      const assets: string[] = [];
      for (const asset of new Set(`${read.restored.head}\n${read.restored.body}`.match(ASSET) ?? [])) {
        if (restoreAsset(dir, asset, options.imageCacheDir, result)) assets.push(asset);
      }
      articles.push({ ...read, restored: { ...read.restored, assets } });
    }
  }
  store.transaction(() => {
    // No fingerprint: the next poll adopts the feed's (see discover's `adopted`).
    for (const a of articles) store.saveArticle(a, '');
  });
  result.restored = articles.length;
  return result;
}

/** An image the page shows: back into the cache (render copies assets from there). */
function restoreAsset(dir: string, asset: string, cacheDir: string | undefined, result: RebuildResult): boolean {
  const published = path.join(dir, asset);
  if (cacheDir === undefined) return existsSync(published);
  const cached = path.join(cacheDir, asset);
  if (existsSync(cached)) return true;
  if (!existsSync(published)) return false;
  mkdirSync(path.dirname(cached), { recursive: true });
  copyFileSync(published, cached);
  result.assets++;
  return true;
}

/**
 * An article read back from its page (the layout of render's `renderArticlePage`), or why
 * not. Sections: title, rule, menu; the byline line; the lead block; `<hr/>`, the promo
 * block and `<hr/>` (or `<hr/>` alone); the body; `<hr/>` and the share block to the end.
 */
function readPage(text: string, channel: string, id: string): (Article & { restored: RestoredBody }) | string {
  let meta: PageMeta;
  try {
    meta = readMetaComment(text, 'article') as PageMeta;
  } catch {
    return 'its newsmirror:article comment is not valid JSON';
  }
  if (!meta) return 'it has no newsmirror:article comment';
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
    if (meta.published && DATE.test(parts[parts.length - 1] ?? '')) parts.pop();
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
    /<[a-z][^>]*\son[a-z]+\s*=/i.exec(text) ??
    /(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data):/i.exec(text) ??
    /\]\(\s*<?\s*(?:javascript|vbscript|data):/i.exec(text);
  return m?.[0];
}
