/**
 * Finding an outlet's sources from one address (for `newsmirror add`): the address itself
 * when it is a feed or a sitemap; otherwise the feeds its page names (`<link rel="alternate">`
 * of every feed type, feed links in the body, else the usual paths such as `/feed`) and its
 * sitemaps (`Sitemap:` lines of robots.txt, else `/sitemap.xml`; the news sitemaps of an index).
 *
 * Every fetch goes through the run's fetcher (its SSRF guard, size caps and redirect limit).
 * A hostile page cannot make this fetch much: at most `MAX_CANDIDATES` feed links and
 * `MAX_SITEMAPS` sitemaps are looked at.
 */
import { load } from 'cheerio';
import { ErrorCodes, errorCode, MirrorError } from '../errors.js';
import type { Fetcher } from '../fetch/index.js';
import { isSitemap, parseFeed, readSitemap } from '../sources/index.js';
import { capNesting } from '../sources/nesting.js';
import { absoluteHttpUrl, collapse, withoutFragment } from '../sources/text.js';
import type { FeedItem, FetchedDocument } from '../types.js';

/** Feed links of one page that are looked at. */
export const MAX_CANDIDATES = 20;
/** Sitemaps (from robots.txt, or news sitemaps of an index) that are looked at. */
export const MAX_SITEMAPS = 10;
/** Paths tried when a page names no feed. */
export const USUAL_FEED_PATHS = ['/feed', '/rss', '/rss.xml', '/atom.xml', '/index.xml', '/feed.xml'] as const;

const FEED_TYPES =
  /^(application\/(rss|atom|rdf|feed)\+(xml|json)|application\/(rss|atom)|application\/json|text\/xml|application\/xml)$/i;
const FEED_HREF = /(^|[/._-])(rss|atom|feeds?|rdf)([/._-]|$)|\.(rss|atom|rdf)$/i;

export type FoundVia = 'address' | 'alternate link' | 'body link' | 'usual path' | 'robots.txt' | 'sitemap index';

export interface FoundSource {
  kind: 'feed' | 'sitemap';
  url: string;
  via: FoundVia;
  title?: string | undefined;
  /** Entries it lists now (for an index: the pages of the sitemaps it lists). */
  items: number;
  /** A Google News sitemap. */
  news?: boolean | undefined;
  /** Its entries, newest first, for trying a few articles. */
  entries: FeedItem[];
}

export interface BrokenSource {
  url: string;
  via: FoundVia;
  /** Why it is not offered: an HTTP status, HTML where a feed was promised, a parse error. */
  reason: string;
}

export interface Discovery {
  address: string;
  /** Where the address led (after redirects). */
  finalUrl: string;
  /** The site's name (og:site_name or the page's title), when the address is a page. */
  siteTitle?: string | undefined;
  /** The page's language (`<html lang>`). */
  lang?: string | undefined;
  sources: FoundSource[];
  broken: BrokenSource[];
}

/** An http(s) address, or a UsageInvalid error that says how to write one. */
export function parseAddress(address: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(address);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol)) {
    const bare = /^[\w.-]+\.[a-z]{2,}(\/|$)/i.test(address);
    throw new MirrorError(ErrorCodes.UsageInvalid, `not an http(s) address: ${address}`, {
      hint: bare
        ? `write the address with its scheme: \`newsmirror add https://${address}\``
        : 'give the address of the outlet’s home page or of one of its feeds, e.g. `newsmirror add https://example.com/`',
    });
  }
  return url;
}

/** An HTML page, by its first bytes (a feed served as text/html is still a feed), else by its type. */
function looksLikeHtml(doc: FetchedDocument): boolean {
  const head = doc.text.slice(0, 512).replace(/^\uFEFF/, '');
  if (/^\s*(<!doctype html|<html)/i.test(head)) return true;
  if (/^\s*(<\?xml|<rss|<feed|<rdf:RDF|<urlset|<sitemapindex|\{)/i.test(head)) return false;
  return /html/i.test(doc.contentType);
}

function readFeed(doc: FetchedDocument, url: string, via: FoundVia, timezone: string): FoundSource | string {
  if (looksLikeHtml(doc)) return 'not a feed: it serves an HTML page';
  try {
    const feed = parseFeed(doc.text, doc.finalUrl, timezone);
    return { kind: 'feed', url, via, title: feed.title, items: feed.items.length, entries: feed.items };
  } catch (err) {
    return `not a feed: ${(err as Error).message}`;
  }
}

const reasonOf = (err: unknown) => `${errorCode(err)}: ${err instanceof Error ? err.message : String(err)}`;

export interface DiscoverOptions {
  timezone: string;
  signal?: AbortSignal | undefined;
}

/** Everything `add` can offer for `address` (see the module comment). */
export async function discoverSources(address: string, fetcher: Fetcher, o: DiscoverOptions): Promise<Discovery> {
  const start = parseAddress(address);
  const fetchDoc = (url: string) => fetcher.fetchDocument(url, { signal: o.signal, gunzip: true });
  const page = await fetchDoc(start.href);
  const found: Discovery = { address, finalUrl: page.finalUrl, sources: [], broken: [] };
  const seen = new Set<string>();
  const add = (s: FoundSource) => {
    if (seen.has(s.url)) return;
    seen.add(s.url);
    found.sources.push(s);
  };

  const trySitemap = async (url: string, via: FoundVia, quiet: boolean): Promise<void> => {
    if (seen.has(url)) return;
    try {
      const read = await readSitemap(
        url,
        { fetch: (u) => fetchDoc(u), validators: () => undefined },
        o.timezone,
        // An index is looked into (one level) only to count its pages and find news sitemaps.
        1,
      );
      add({ kind: 'sitemap', url, via, items: read.items.length, news: read.news, entries: read.items });
      // The news sitemaps an index lists (documents after the first) are offered on their own:
      // they are what a channel wants.
      for (const d of read.documents.slice(1, 1 + MAX_SITEMAPS)) {
        if (/news/i.test(d.url)) await trySitemap(d.url, 'sitemap index', true);
      }
    } catch (err) {
      if (!quiet) found.broken.push({ url, via, reason: reasonOf(err) });
    }
  };

  // The address is itself a feed or a sitemap.
  if (!looksLikeHtml(page)) {
    if (isSitemap(page.text)) {
      await trySitemap(page.finalUrl, 'address', false);
      return found;
    }
    const feed = readFeed(page, page.finalUrl, 'address', o.timezone);
    if (typeof feed !== 'string') {
      add(feed);
      return found;
    }
  }

  const $ = load(capNesting(page.text), { xml: { xmlMode: false, decodeEntities: true } });
  const base = absoluteHttpUrl($('base[href]').first().attr('href'), page.finalUrl) ?? page.finalUrl;
  found.siteTitle =
    collapse($('meta[property="og:site_name"]').attr('content') ?? '') ||
    collapse($('title').first().text()) ||
    undefined;
  found.lang = $('html').attr('lang') || undefined;

  const candidates: { url: string; via: FoundVia; title?: string | undefined }[] = [];
  const candidate = (href: string | undefined, via: FoundVia, title?: string) => {
    const url = withoutFragment(absoluteHttpUrl(href, base));
    if (url && !candidates.some((c) => c.url === url) && candidates.length < MAX_CANDIDATES) {
      candidates.push({ url, via, title });
    }
  };
  for (const el of $('link[href]').toArray()) {
    const rel = ($(el).attr('rel') ?? '').toLowerCase().split(/\s+/);
    if (rel.includes('alternate') && FEED_TYPES.test(($(el).attr('type') ?? '').trim())) {
      candidate($(el).attr('href'), 'alternate link', collapse($(el).attr('title') ?? '') || undefined);
    }
  }
  const alternates = candidates.length;
  for (const el of $('body a[href]').toArray()) {
    const href = $(el).attr('href') ?? '';
    const type = ($(el).attr('type') ?? '').trim();
    let path = href;
    try {
      path = new URL(href, base).pathname;
    } catch {
      continue;
    }
    if ((type && FEED_TYPES.test(type)) || FEED_HREF.test(path)) candidate(href, 'body link');
  }
  if (alternates === 0) for (const p of USUAL_FEED_PATHS) candidate(new URL(p, base).href, 'usual path');

  for (const c of candidates) {
    try {
      const doc = await fetchDoc(c.url);
      const feed = readFeed(doc, doc.finalUrl, c.via, o.timezone);
      if (typeof feed === 'string') {
        // A guessed path or a body link that is no feed is no news: only a named feed is reported.
        if (c.via === 'alternate link') found.broken.push({ url: c.url, via: c.via, reason: feed });
        continue;
      }
      add({ ...feed, title: feed.title ?? c.title });
    } catch (err) {
      if (c.via === 'alternate link') found.broken.push({ url: c.url, via: c.via, reason: reasonOf(err) });
    }
  }

  // Sitemaps: robots.txt names them; else the usual place.
  const origin = new URL(page.finalUrl).origin;
  let named: string[] = [];
  try {
    const robots = await fetchDoc(`${origin}/robots.txt`);
    named = [...robots.text.matchAll(/^[ \t]*sitemap[ \t]*:[ \t]*(\S+)/gim)]
      .map((m) => absoluteHttpUrl(m[1], origin))
      .filter((u): u is string => u !== undefined)
      .slice(0, MAX_SITEMAPS);
  } catch {
    // no robots.txt: fine
  }
  for (const url of named) await trySitemap(url, 'robots.txt', false);
  if (named.length === 0) await trySitemap(`${origin}/sitemap.xml`, 'usual path', true);
  return found;
}

/** Why nothing could be offered, as an error with what to try instead. */
export function nothingFound(found: Discovery): MirrorError {
  const broken = found.broken.map((b) => `${b.url} (${b.reason})`).join('; ');
  return new MirrorError(ErrorCodes.NoSourceFound, `no feed or sitemap found at ${found.address}`, {
    hint: `${broken ? `the page names ${broken}; ` : ''}give a feed's address if you know one, or add a channel with a \`listing:\` of the site's front page by hand (README "Configuration")`,
  });
}
