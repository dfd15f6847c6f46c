/**
 * Sitemaps as a channel source (sitemaps.org 0.9, Google News and image extensions).
 *
 * `parseSitemap` reads one document (a `<urlset>` of pages or a `<sitemapindex>` of further
 * sitemaps); `readSitemap` fetches a channel's sitemap and follows an index down to a depth
 * limit. The fetching is passed in (the fetch stage's client, with its SSRF guard, caps and
 * conditional requests), so this module does no I/O of its own.
 *
 * Hostile input is bounded: the fetcher caps every body (gzip files included, after
 * inflating) at `fetch.maxBytes`; a document lists at most `SITEMAP_LIMITS.entries` entries
 * (the protocol's own cap), an index is followed `maxDepth` levels down and at most
 * `SITEMAP_LIMITS.children` of its sitemaps are read (newest first); a channel keeps its
 * `SITEMAP_LIMITS.items` newest pages. The XML parser (htmlparser2) expands no declared
 * entities, so an entity bomb stays the size it was sent at.
 *
 * Other hosts: a sitemap may only list pages and sitemaps on its own host (as the protocol
 * says; `www.` on either side is ignored). Entries elsewhere are dropped and counted, so a
 * sitemap cannot turn a channel into a crawler of other sites.
 */
import { type CheerioAPI, load } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { MirrorError } from '../errors.js';
import type { CacheValidators, FeedItem, FetchedDocument } from '../types.js';
import { createDateParser } from './dates.js';
import { capOptional, capText, DEFAULT_SITEMAP_DEPTH, LIMITS, SITEMAP_LIMITS } from './limits.js';
import { capNesting } from './nesting.js';
import { absoluteHttpUrl, collapse, withoutFragment } from './text.js';

export { DEFAULT_SITEMAP_DEPTH, SITEMAP_LIMITS };

export interface SitemapRef {
  url: string;
  lastmod?: string | undefined;
}

export interface ParsedSitemap {
  kind: 'urlset' | 'index';
  /** Pages (for a urlset), in document order. */
  items: FeedItem[];
  /** Sitemaps (for an index), in document order. */
  sitemaps: SitemapRef[];
  /** True when at least one entry carries `<news:news>`. */
  news: boolean;
  /** Entries left out: other hosts, no usable URL, beyond the entry cap. */
  dropped: number;
}

const local = (name: string): string => {
  const i = name.lastIndexOf(':');
  return (i < 0 ? name : name.slice(i + 1)).toLowerCase();
};

function elements(node: AnyNode): Element[] {
  return 'children' in node ? (node.children.filter((c) => c.type === 'tag') as Element[]) : [];
}

function child(node: Element, name: string): Element | undefined {
  return elements(node).find((c) => local(c.name) === name);
}

function text($: CheerioAPI, node: Element | undefined, max: number): string | undefined {
  if (!node) return undefined;
  const t = collapse($(node).text().slice(0, max));
  return t === '' ? undefined : t;
}

/** W3C datetimes with a zone (what sitemaps are asked to write): read without the general parser. */
const W3C_ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The feeds' date parser, with a fast path for zoned W3C datetimes and a memo: a sitemap of
 * 50,000 entries repeats a few values (a day's `lastmod`) or writes them all in one form, and
 * the general parser costs far more per date than the rest of an entry.
 */
function sitemapDateParser(timezone: string): (raw: string | undefined) => string | undefined {
  const general = createDateParser(timezone);
  const memo = new Map<string, string | undefined>();
  return (raw) => {
    if (raw === undefined) return undefined;
    if (W3C_ZONED.test(raw)) {
      const t = Date.parse(raw);
      if (!Number.isNaN(t)) return new Date(t).toISOString();
    }
    let v = memo.get(raw);
    if (v === undefined && !memo.has(raw)) {
      v = general(raw);
      if (memo.size < 10_000) memo.set(raw, v);
    }
    return v;
  };
}

/** The host a sitemap may list pages on: its own, `www.` ignored. */
function siteHost(url: string): string {
  return new URL(url).hostname.replace(/^www\./, '');
}

/** Whether a document looks like a sitemap (its root element is `urlset` or `sitemapindex`). */
export function isSitemap(text: string): boolean {
  const head = text.slice(0, 4096);
  let at = 0;
  // Skip the XML declaration, processing instructions, comments and a doctype.
  for (;;) {
    const lt = head.indexOf('<', at);
    if (lt < 0) return false;
    const next = head[lt + 1];
    if (next !== '?' && next !== '!') {
      return /^<(?:[\w-]+:)?(?:urlset|sitemapindex)[\s>]/i.test(head.slice(lt, lt + 64));
    }
    const end = head.startsWith('<!--', lt) ? head.indexOf('-->', lt + 4) : head.indexOf('>', lt);
    if (end < 0) return false;
    at = end + 1;
  }
}

/**
 * Reads one sitemap document. Dates without an offset are read in `timezone`.
 * Throws `SitemapParse` when the document is neither a urlset nor a sitemap index.
 */
export function parseSitemap(xml: string, sitemapUrl: string, timezone: string): ParsedSitemap {
  const $ = load(capNesting(xml.replace(/^\uFEFF/, '')), { xml: { xmlMode: true, decodeEntities: true } });
  const root = elements($.root()[0] as AnyNode).find((e) => ['urlset', 'sitemapindex'].includes(local(e.name)));
  if (!root) {
    throw new MirrorError('SitemapParse', `${sitemapUrl} is not a sitemap (no <urlset> or <sitemapindex>)`, {
      hint: 'check the URL in a browser: a sitemap is XML whose root element is <urlset> or <sitemapindex>',
    });
  }
  const date = sitemapDateParser(timezone);
  const host = siteHost(sitemapUrl);
  const out: ParsedSitemap = {
    kind: local(root.name) === 'urlset' ? 'urlset' : 'index',
    items: [],
    sitemaps: [],
    news: false,
    dropped: 0,
  };
  const seen = new Set<string>();
  let read = 0;
  for (const entry of elements(root)) {
    const name = local(entry.name);
    if (name !== 'url' && name !== 'sitemap') continue;
    if (++read > SITEMAP_LIMITS.entries) {
      out.dropped++;
      continue;
    }
    const loc = withoutFragment(absoluteHttpUrl(text($, child(entry, 'loc'), LIMITS.url + 1), sitemapUrl));
    if (!loc || siteHost(loc) !== host || seen.has(loc)) {
      out.dropped++;
      continue;
    }
    seen.add(loc);
    const lastmod = date(text($, child(entry, 'lastmod'), LIMITS.date));
    if (out.kind === 'index') {
      if (name === 'sitemap') out.sitemaps.push({ url: loc, lastmod });
      continue;
    }
    const news = child(entry, 'news');
    const image = child(entry, 'image');
    const item: FeedItem = { url: loc, title: '' };
    if (news) {
      out.news = true;
      item.title = capText(text($, child(news, 'title'), LIMITS.titleMarkup) ?? '', LIMITS.title);
      item.published = date(text($, child(news, 'publication_date'), LIMITS.date));
    }
    if (lastmod) item.updated = lastmod;
    const imageUrl = image ? absoluteHttpUrl(text($, child(image, 'loc'), LIMITS.url + 1), loc) : undefined;
    if (imageUrl) item.image = imageUrl;
    const caption = image ? capOptional(text($, child(image, 'title'), LIMITS.caption), LIMITS.caption) : undefined;
    if (!item.title && caption) item.title = caption;
    out.items.push(item);
  }
  return out;
}

const when = (item: { published?: string | undefined; updated?: string | undefined; lastmod?: string | undefined }) =>
  Date.parse(item.published ?? item.updated ?? item.lastmod ?? '') || 0;

/** Newest first by publication date (else last modification); undated entries keep their order, after the dated ones. */
export function newestFirst<T extends { published?: string; updated?: string; lastmod?: string }>(list: T[]): T[] {
  return list
    .map((v, i) => ({ v, i, t: when(v) }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map((x) => x.v);
}

export interface SitemapIo {
  /** Fetch one sitemap (a conditional request when `validators` are given; gzip files inflated). */
  fetch(url: string, validators: CacheValidators | undefined): Promise<FetchedDocument>;
  /** The validators remembered for a URL (none for a dry run). */
  validators(url: string): CacheValidators | undefined;
}

export interface SitemapRead {
  /** The channel's own sitemap as fetched (a 304: nothing changed since the last run). */
  doc: FetchedDocument;
  /** Every document fetched with a body (whose validators the caller keeps). */
  documents: FetchedDocument[];
  /** The newest pages, at most `SITEMAP_LIMITS.items`. */
  items: FeedItem[];
  news: boolean;
  dropped: number;
}

/**
 * Reads a channel's sitemap: a urlset gives its pages; an index is followed `maxDepth`
 * levels down (its newest `SITEMAP_LIMITS.children` sitemaps at each level). Each sitemap is
 * asked for conditionally: one that has not changed (304) lists nothing new, like a feed.
 * A sitemap of an index that fails is skipped when another one answered; the first error
 * is thrown when nothing could be read.
 */
export async function readSitemap(
  url: string,
  io: SitemapIo,
  timezone: string,
  maxDepth: number = DEFAULT_SITEMAP_DEPTH,
): Promise<SitemapRead> {
  const depthLimit = Math.max(0, Math.min(maxDepth, SITEMAP_LIMITS.maxDepth));
  const doc = await io.fetch(url, io.validators(url));
  const result: SitemapRead = { doc, documents: [], items: [], news: false, dropped: 0 };
  const visited = new Set<string>([url]);
  let firstError: unknown;
  let tried = 0;
  let failed = 0;
  const visit = async (d: FetchedDocument, depth: number): Promise<void> => {
    if (d.notModified) return;
    result.documents.push(d);
    const parsed = parseSitemap(d.text, d.finalUrl, timezone);
    result.items.push(...parsed.items);
    result.news ||= parsed.news;
    result.dropped += parsed.dropped;
    if (parsed.kind !== 'index' || depth >= depthLimit) return;
    const children = newestFirst(parsed.sitemaps.filter((s) => !visited.has(s.url)));
    result.dropped += Math.max(0, children.length - SITEMAP_LIMITS.children);
    for (const ref of children.slice(0, SITEMAP_LIMITS.children)) {
      visited.add(ref.url);
      tried++;
      try {
        await visit(await io.fetch(ref.url, io.validators(ref.url)), depth + 1);
      } catch (err) {
        failed++;
        firstError ??= err;
      }
    }
  };
  await visit(doc, 0);
  // An index none of whose sitemaps could be read is the channel's failure, not an empty channel.
  if (tried > 0 && failed === tried) throw firstError;
  const unique = new Map<string, FeedItem>();
  for (const item of result.items) if (!unique.has(item.url)) unique.set(item.url, item);
  result.items = newestFirst([...unique.values()]).slice(0, SITEMAP_LIMITS.items);
  return result;
}
