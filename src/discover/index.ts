import { createHash } from 'node:crypto';
import { compileUserPattern } from '../config/patterns.js';
import type { SiteRule } from '../config/schema.js';
import type { DiscoveredItem, FeedItem } from '../types.js';

/** What discovery may ask about the state; the pipeline passes the store's look-ups in. */
export interface KnownLookup {
  byUrl(url: string): { id: string; fingerprint: string; channel: string } | undefined;
  idTaken(id: string): boolean;
}

export interface DiscoverContext {
  outlet: string;
  channel: string;
  rule?: SiteRule | undefined;
  /** Compiled `filters.titleExclude` (`compileUserPattern`: they run on titles an origin writes). */
  titleExclude: readonly { test(text: string): boolean }[];
  known: KnownLookup;
  /** URLs and ids already claimed earlier in this run (across channels); read-only here. */
  claimed: ReadonlySet<string>;
  /**
   * Look at no more than the newest `limit` items (retention keeps no more pages per channel,
   * so older ones would be fetched only to be dropped: a feed of 100,000 items must not cost
   * 100,000 fetches). The rest count as filtered.
   */
  limit?: number | undefined;
}

export interface DiscoverResult {
  items: DiscoveredItem[];
  unchanged: number;
  filtered: number;
  /** Items that another channel of this run (or of an earlier run) already has. */
  duplicates: number;
  /**
   * Known articles without a fingerprint (restored by `rebuild-state` from the published
   * pages, which do not carry the feed's words): the fingerprint the source gives now, to
   * remember without refetching. Update detection works again from the next change on.
   */
  adopted: { id: string; fingerprint: string }[];
}

const PAGE_EXT = /\.(s?html?|php|aspx?|jsp|cms)$/i;
const GENERIC_SEGMENTS = new Set(['index', 'default', 'article', 'content', 'detail', 'news', 'story', 'view']);

/**
 * The stable article id of a URL. A rule's `idPattern` wins (first capture group);
 * otherwise the last meaningful path segment without its extension
 * (`…/n13900968.htm` → `n13900968`), made safe for a file name, and a short hash
 * of the URL when the URL has no usable segment (`/index.php?id=…`).
 */
export function articleId(url: string, rule?: SiteRule): string {
  if (rule?.idPattern) {
    const m = compileUserPattern(rule.idPattern).exec(url);
    const g = m?.[1];
    if (g) {
      const safe = safeId(g);
      if (safe) return safe;
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `u${shortHash(url)}`;
  }
  const segments = parsed.pathname.split('/').filter(Boolean);
  for (let i = segments.length - 1; i >= 0 && i >= segments.length - 2; i--) {
    let seg = segments[i] ?? '';
    try {
      seg = decodeURIComponent(seg);
    } catch {
      // keep the raw segment
    }
    seg = seg.replace(PAGE_EXT, '');
    if (GENERIC_SEGMENTS.has(seg.toLowerCase())) continue;
    const safe = safeId(seg);
    // Query strings often carry the real identity (`article.php?id=123`).
    if (safe && safe.length >= 3 && !parsed.search) return safe;
    if (safe && safe.length >= 3) return `${safe}-${shortHash(parsed.search)}`;
  }
  return `u${shortHash(url)}`;
}

function safeId(raw: string): string {
  const id = trimDashes(raw.normalize('NFKC').replace(/[^A-Za-z0-9_-]+/g, '-')).slice(0, 80);
  // A Windows device name cannot be a file (`pages/x/CON.md`): the writer refuses it, and one
  // such article would stop every run at the write.
  return /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(id) ? `${id}_` : id;
}

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 10);
}

/** A hash of what the source says about an item: when it changes, the item is looked at again. */
export function itemFingerprint(item: FeedItem): string {
  return createHash('sha256')
    .update(
      JSON.stringify([item.title, item.published ?? '', item.updated ?? '', item.summary ?? '', item.content ?? '']),
    )
    .digest('hex')
    .slice(0, 32);
}

/** Dashes trimmed off both ends; not `/^-+|-+$/g`, which restarts at every dash of a run (quadratic). */
function trimDashes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === '-') start++;
  while (end > start && s[end - 1] === '-') end--;
  return s.slice(start, end);
}

/** Strip the "updated" marker a site puts in titles; report whether it was there. */
export function stripUpdatedMarker(title: string, rule?: SiteRule): { title: string; marked: boolean } {
  if (!rule?.updatedMarker) return { title, marked: false };
  // Spacing collapsed, but U+3000 kept: in a Chinese title it is content (issue 16.15).
  const stripped = compileUserPattern(rule.updatedMarker)
    .replaceAll(title, '')
    .replace(/[^\S\u3000]+/g, ' ')
    .trim();
  return { title: stripped || title, marked: stripped !== title };
}

/** Canonical form of an article URL: no fragment, no tracking parameters. */
export function canonicalUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    for (const key of [...u.searchParams.keys()]) {
      if (/^(utm_|spm$|from$|share|fbclid$|gclid$)/i.test(key)) u.searchParams.delete(key);
    }
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * Decide, for each item of one channel, whether it is new, updated or already
 * mirrored; drop filtered titles and items other channels already carry.
 */
export function discoverItems(feedItems: readonly FeedItem[], ctx: DiscoverContext): DiscoverResult {
  const out: DiscoveredItem[] = [];
  let unchanged = 0;
  let filtered = 0;
  let duplicates = 0;
  const adopted: DiscoverResult['adopted'] = [];
  const local = new Set<string>();
  const considered = newestItems(feedItems, ctx.limit);
  filtered += feedItems.length - considered.length;
  for (const raw of considered) {
    const url = canonicalUrl(raw.url);
    if (ctx.claimed.has(url) || local.has(url)) {
      duplicates++;
      continue;
    }
    local.add(url);
    if (ctx.titleExclude.some((re) => re.test(raw.title))) {
      filtered++;
      continue;
    }
    // A marker changes the raw title, so the fingerprint changes and a known item is
    // looked at again; the page itself shows the title without the marker.
    const { title } = stripUpdatedMarker(raw.title, ctx.rule);
    const item: FeedItem = { ...raw, url, title };
    const fingerprint = itemFingerprint({ ...item, title: raw.title });
    const known = ctx.known.byUrl(url);
    if (known) {
      if (known.channel !== ctx.channel) {
        // The same article in two channels stays where it was first mirrored.
        duplicates++;
        continue;
      }
      if (known.fingerprint === fingerprint) {
        unchanged++;
        continue;
      }
      if (known.fingerprint === '') {
        adopted.push({ id: known.id, fingerprint });
        unchanged++;
        continue;
      }
      out.push({ ...item, id: known.id, outlet: ctx.outlet, channel: ctx.channel, status: 'updated', fingerprint });
      continue;
    }
    let id = articleId(url, ctx.rule);
    if (ctx.known.idTaken(id) || ctx.claimed.has(`id:${id}`) || local.has(`id:${id}`))
      id = `${id}-${shortHash(url).slice(0, 6)}`;
    local.add(`id:${id}`);
    out.push({
      ...item,
      id,
      outlet: ctx.outlet,
      channel: ctx.channel,
      status: 'new',
      fingerprint,
    });
  }
  return { items: out, unchanged, filtered, duplicates, adopted };
}

/** The newest `limit` items (by date; undated ones after the dated, in source order), or all. */
function newestItems(items: readonly FeedItem[], limit: number | undefined): readonly FeedItem[] {
  if (limit === undefined || items.length <= limit) return items;
  const time = (i: FeedItem) => {
    const t = i.published ? Date.parse(i.published) : Number.NaN;
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  return items
    .map((item, index) => ({ item, index, t: time(item) }))
    .sort((a, b) => (b.t === a.t ? a.index - b.index : b.t > a.t ? 1 : -1))
    .slice(0, limit)
    .sort((a, b) => a.index - b.index)
    .map((x) => x.item);
}
