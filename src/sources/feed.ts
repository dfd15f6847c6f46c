import {
  type AnyFeed,
  type AtomFeed,
  parseFeed as feedsmithParse,
  type JsonFeed,
  type MediaNs,
  type RdfFeed,
  type RssFeed,
} from 'feedsmith';
import { MirrorError } from '../errors.js';
import type { FeedItem } from '../types.js';
import { createDateParser } from './dates.js';
import { capOptional, LIMITS } from './limits.js';
import { absoluteHttpUrl, asString, cleanTitle, resolveHtmlUrls } from './text.js';

export interface ParsedFeed {
  title?: string | undefined;
  items: FeedItem[];
  /**
   * Items the feed lists that were left out: no http(s) link, or a shape that could not be
   * read (absent when none were). `reason` describes the first.
   */
  skipped?: { count: number; reason: string } | undefined;
}

type DateParser = (raw: string | undefined) => string | undefined;

interface Context {
  /** Base for relative links: the feed URL, or the feed's xml:base resolved against it. */
  base: string;
  date: DateParser;
}

/** How many `</item>` cut points a repair tries, from the end, before giving up. */
const REPAIR_ATTEMPTS = 5;

/**
 * Reads an RSS 0.9x/2.0, RSS 1.0 (RDF), Atom or JSON Feed document into FeedItems.
 * Links are made absolute against xml:base and the feed URL; items without a usable
 * http(s) link are skipped (nothing to mirror). Dates are read in `timezone` when they
 * carry no offset.
 *
 * A feed that feedsmith rejects is retried once repaired: a truncated download (common:
 * size caps, dropped connections, bots that save partial files) is cut after its last
 * complete item and closed, so the complete items still come through.
 */
export function parseFeed(text: string, feedUrl: string, timezone: string): ParsedFeed {
  const source = bareContent(text.replace(/^\uFEFF/, ''));
  let parsed: AnyFeed;
  try {
    parsed = feedsmithParse(source);
  } catch (err) {
    const repaired = source.trimStart().startsWith('{') ? repairJson(source) : repairTruncated(source);
    if (repaired === undefined) {
      const empty = emptyFeed(source);
      if (empty) return empty;
      throw feedError(source, feedUrl, err);
    }
    parsed = repaired;
  }
  const tally: SkipTally = { count: 0 };
  skips = tally;
  try {
    const feed = mapFeed(parsed, feedUrl, createDateParser(timezone));
    if (tally.count > 0) feed.skipped = { count: tally.count, reason: describeSkip(tally.first) };
    return feed;
  } catch (err) {
    if (err instanceof MirrorError) throw err;
    throw new MirrorError('FeedParse', `unexpected structure in the feed ${feedUrl}`, {
      cause: err,
      hint: 'the feed parsed but has a shape newsmirror does not handle; report it with the feed attached',
    });
  } finally {
    skips = undefined;
  }
}

interface SkipTally {
  count: number;
  first?: unknown;
}
/** The tally of the `parseFeed` call running now (mapping is synchronous: one at a time). */
let skips: SkipTally | undefined;

function skip(err: unknown): void {
  if (!skips) return;
  skips.count++;
  skips.first ??= err;
}

function describeSkip(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

/**
 * Some RSS feeds carry the whole article in a bare `<content>` element of each item instead
 * of `<content:encoded>` (the epochtimes.com section feeds in corpus/news do); feedsmith
 * ignores an element it does not know, so it is read as `content:encoded`. Only for RSS
 * documents that use no `content:encoded` themselves.
 */
function bareContent(text: string): string {
  if (!text.includes('<content>') || text.includes('<content:encoded') || !/<rss[\s>]/.test(text)) return text;
  return text.replaceAll('<content>', '<content:encoded>').replaceAll('</content>', '</content:encoded>');
}

function feedError(text: string, feedUrl: string, cause: unknown): MirrorError {
  const head = text.slice(0, 1024).trimStart().toLowerCase();
  const looksHtml = head.startsWith('<!doctype html') || head.startsWith('<html') || /<html[\s>]/.test(head);
  if (text.trim() === '') {
    return new MirrorError('FeedParse', `the feed ${feedUrl} is empty`, {
      cause,
      hint: 'the server answered with an empty body; it is retried next run',
    });
  }
  return new MirrorError('FeedParse', `cannot read ${feedUrl} as RSS, Atom, RDF or JSON Feed`, {
    cause,
    hint: looksHtml
      ? 'the URL serves an HTML page, not a feed: configure the channel with `listing:` selectors instead'
      : 'the document is not a well-formed feed; check it with a feed validator',
  });
}

/**
 * feedsmith detects JSON Feed by its `version` URL; some generators write `"version": "1.0"`.
 * An object with an `items` array is given the URL and tried again.
 */
function repairJson(text: string): AnyFeed | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { items?: unknown }).items))
    return undefined;
  try {
    return feedsmithParse({ ...json, version: 'https://jsonfeed.org/version/1.1' });
  } catch {
    return undefined;
  }
}

/**
 * feedsmith rejects a feed with nothing in it (`<rss version="2.0"></rss>`, an Atom `<feed>`
 * without entries, items with no field it knows). A complete document whose root is a feed
 * and none of whose items carries a link lists nothing to mirror: that is an empty feed, not
 * an error to report every run (gofeed and feedparser read these as empty feeds too).
 */
function emptyFeed(text: string): ParsedFeed | undefined {
  const body = withoutMarkupNoise(text).trimStart();
  const root = body.match(/^<((?:[A-Za-z_][\w.-]*:)?(rss|RDF|feed))\b/);
  if (!root || !endsWithClosing(body, root[1] ?? '')) return undefined;
  for (const item of elements(body, /<(?:[\w.-]+:)?(?:item|entry)\b/g, /<\/(?:[\w.-]+:)?(?:item|entry)\s*>/g)) {
    if (/<(?:[\w.-]+:)?(?:link|guid)\b|rdf:about=/.test(item)) return undefined;
  }
  // `[^<>]*`, not `[^>]*`: a `<title` without `>` then ends at the next `<` instead of the document's end.
  const title = elements(body, /<title\b[^<>]*>/g, /<\/title>/g, 1, true)[0];
  return withTitle(cleanTitle(title?.replace(/^<!\[CDATA\[|\]\]>$/g, '')), []);
}

/**
 * The document without comments, processing instructions and doctypes. A scan, not
 * `/<!--[\s\S]*?-->|…/g`: that regex searched the rest of the document from every `<!--`
 * that has no end (a 400 KB feed of `<!--` took 17 s; issue 17.3). Once an end is missing
 * after one start, it is missing after every later one.
 */
function withoutMarkupNoise(text: string): string {
  const ends: [string, string, number][] = [
    ['<!--', '-->', 0],
    ['<?', '?>', 0],
  ];
  let out = '';
  let from = 0;
  let i = text.indexOf('<');
  let noDoctypeEnd = false;
  while (i !== -1) {
    let end = -1;
    for (const e of ends) {
      if (e[2] !== -1 && text.startsWith(e[0], i)) {
        const close = text.indexOf(e[1], i + e[0].length);
        if (close === -1) e[2] = -1;
        else end = close + e[1].length;
        break;
      }
    }
    if (end === -1 && !noDoctypeEnd && text[i + 1] === '!' && text.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      const close = text.indexOf('>', i + 9);
      if (close === -1) noDoctypeEnd = true;
      else end = close + 1;
    }
    if (end !== -1) {
      out += text.slice(from, i);
      from = end;
    }
    i = text.indexOf('<', end === -1 ? i + 1 : end);
  }
  return out + text.slice(from);
}

/** `body` ends with `</name>` (spaces allowed before `>` and after it). */
function endsWithClosing(body: string, name: string): boolean {
  const t = body.trimEnd();
  if (!t.endsWith('>')) return false;
  return t.slice(0, -1).trimEnd().endsWith(`</${name}`);
}

/**
 * The spans from each `open` match to the first `close` match after it, left to right, at
 * most `limit`: what `/open[\s\S]*?close/g` matches, without searching again from every
 * start that has no close (none after one start means none after any later one).
 */
function elements(
  text: string,
  open: RegExp,
  close: RegExp,
  limit = Number.POSITIVE_INFINITY,
  inner = false,
): string[] {
  const out: string[] = [];
  open.lastIndex = 0;
  for (let m = open.exec(text); m !== null && out.length < limit; m = open.exec(text)) {
    close.lastIndex = m.index + m[0].length;
    const c = close.exec(text);
    if (c === null) break;
    const end = c.index + c[0].length;
    out.push(inner ? text.slice(m.index + m[0].length, c.index) : text.slice(m.index, end));
    open.lastIndex = end;
  }
  return out;
}

/** Cuts the document after one of its last complete items and closes the open root. */
function repairTruncated(text: string): AnyFeed | undefined {
  const root = text.match(/<([A-Za-z_][\w.-]*:)?(rss|RDF|feed)\b/);
  if (!root) return undefined;
  const rootName = `${root[1] ?? ''}${root[2]}`;
  const closing = root[2] === 'rss' ? `</channel></${rootName}>` : `</${rootName}>`;
  const ends = [...text.matchAll(/<\/(?:[\w.-]+:)?(?:item|entry)\s*>/g)].map((m) => m.index + m[0].length);
  for (const end of ends.reverse().slice(0, REPAIR_ATTEMPTS)) {
    try {
      return feedsmithParse(text.slice(0, end) + closing);
    } catch {
      // The cut may sit inside an unclosed CDATA of a later item; try an earlier item end.
    }
  }
  return undefined;
}

function mapFeed(parsed: AnyFeed, feedUrl: string, date: DateParser): ParsedFeed {
  switch (parsed.format) {
    case 'rss':
      return mapRss(parsed.feed, feedUrl, date);
    case 'rdf':
      return mapRdf(parsed.feed, feedUrl, date);
    case 'atom':
      return mapAtom(parsed.feed, feedUrl, date);
    case 'json':
      return mapJson(parsed.feed, feedUrl, date);
  }
}

function withTitle(title: string, items: FeedItem[]): ParsedFeed {
  return title === '' ? { items } : { title, items };
}

/**
 * The items that map to a FeedItem. An item whose mapping throws is left out alone (issue
 * 17.4: one item nested 5,000 deep failed the whole channel), so the channel's other items
 * are still mirrored; it is counted in the feed's `skipped`, which the run reports.
 */
function collect<T>(items: T[] | undefined, map: (item: T) => FeedItem | undefined): FeedItem[] {
  const out: FeedItem[] = [];
  for (const item of items ?? []) {
    let mapped: FeedItem | undefined;
    try {
      mapped = map(item);
    } catch (err) {
      skip(err);
      continue;
    }
    if (mapped) out.push(mapped);
    else skip(new Error('an item has no link newsmirror can fetch (http or https)'));
  }
  return out;
}

/** An item's HTML field, cut to `max` before it is parsed, its URLs made absolute. */
function itemHtml(value: string | undefined, max: number, base: string): string | undefined {
  return resolveHtmlUrls(capOptional(nonEmpty(value), max), base);
}

/** xml:base, when present, resolved against the enclosing base. */
function rebase(base: string, xmlBase: string | undefined): string {
  if (!xmlBase) return base;
  try {
    return new URL(xmlBase, base).href;
  } catch {
    return base;
  }
}

function mapRss(feed: RssFeed.Feed<string>, feedUrl: string, date: DateParser): ParsedFeed {
  const feedBase = rebase(feedUrl, feed.xml?.base);
  return withTitle(
    cleanTitle(feed.title),
    collect(feed.items, (item) => rssItem(item, { base: rebase(feedBase, item.xml?.base), date })),
  );
}

function rssItem(item: RssFeed.Item<string>, ctx: Context): FeedItem | undefined {
  // RSS 2.0: a guid is a permalink unless it says isPermaLink="false".
  const guid = item.guid?.isPermaLink === false ? undefined : asString(item.guid?.value);
  const guidLink = guid && /^https?:\/\//i.test(guid.trim()) ? guid : undefined;
  const url = absoluteHttpUrl(
    asString(item.link) ?? guidLink ?? alternateLink(item.atom?.links) ?? undefined,
    ctx.base,
  );
  if (!url) return undefined;
  const person = item.authors?.[0];
  const author = first(item.dc?.creators) ?? asString(person?.name) ?? asString(person?.email);
  return {
    url,
    title: cleanTitle(item.title ?? first(item.dc?.titles)),
    published: ctx.date(
      asString(item.pubDate) ??
        first(item.dc?.dates) ??
        asString(item.dcterms?.issued) ??
        asString(item.dcterms?.created),
    ),
    updated: ctx.date(asString(item.atom?.updated) ?? asString(item.dcterms?.modified)),
    author: capOptional(nonEmpty(author), LIMITS.byline),
    summary: itemHtml(asString(item.description), LIMITS.summary, ctx.base),
    content: itemHtml(asString(item.content?.encoded), LIMITS.content, ctx.base),
    image: imageOf(
      [...(item.enclosures ?? []).filter(isImageEnclosure).map((e) => e.url), ...mediaImages(item.media)],
      ctx.base,
    ),
  };
}

function mapRdf(feed: RdfFeed.Feed<string>, feedUrl: string, date: DateParser): ParsedFeed {
  const feedBase = rebase(feedUrl, feed.xml?.base);
  return withTitle(
    cleanTitle(feed.title),
    collect(feed.items, (item) => rdfItem(item, { base: rebase(feedBase, item.xml?.base), date })),
  );
}

function rdfItem(item: RdfFeed.Item<string>, ctx: Context): FeedItem | undefined {
  const url = absoluteHttpUrl(asString(item.link) ?? asString(item.rdf?.about), ctx.base);
  if (!url) return undefined;
  return {
    url,
    title: cleanTitle(item.title ?? first(item.dc?.titles)),
    published: ctx.date(first(item.dc?.dates) ?? asString(item.dcterms?.issued) ?? asString(item.dcterms?.created)),
    updated: ctx.date(asString(item.dcterms?.modified)),
    author: capOptional(nonEmpty(first(item.dc?.creators)), LIMITS.byline),
    summary: itemHtml(asString(item.description), LIMITS.summary, ctx.base),
    content: itemHtml(asString(item.content?.encoded), LIMITS.content, ctx.base),
    image: imageOf(mediaImages(item.media), ctx.base),
  };
}

function mapAtom(feed: AtomFeed.Feed<string>, feedUrl: string, date: DateParser): ParsedFeed {
  const feedBase = rebase(feedUrl, feed.xml?.base);
  return withTitle(
    cleanTitle(feed.title?.value),
    collect(feed.entries, (entry) => atomEntry(entry, { base: rebase(feedBase, entry.xml?.base), date })),
  );
}

function atomEntry(entry: AtomFeed.Entry<string>, ctx: Context): FeedItem | undefined {
  const url = absoluteHttpUrl(alternateLink(entry.links), ctx.base);
  if (!url) return undefined;
  const published = ctx.date(asString(entry.published) ?? first(entry.dc?.dates));
  const updated = ctx.date(asString(entry.updated));
  // An out-of-line content (`src=`) is a link, not the article.
  const content = entry.content?.src ? undefined : asString(entry.content?.value);
  const enclosures = (entry.links ?? [])
    .filter((l) => l.rel === 'enclosure' && l.type?.startsWith('image/'))
    .map((l) => asString(l.href));
  return {
    url,
    title: cleanTitle(entry.title?.value ?? first(entry.dc?.titles)),
    // Atom 0.3 and many generators give only <updated>: it is the best publication date there is.
    published: published ?? updated,
    updated,
    author: capOptional(nonEmpty(asString(entry.authors?.[0]?.name) ?? first(entry.dc?.creators)), LIMITS.byline),
    summary: itemHtml(asString(entry.summary?.value), LIMITS.summary, ctx.base),
    content: itemHtml(content, LIMITS.content, ctx.base),
    image: imageOf([...enclosures, ...mediaImages(entry.media)], ctx.base),
  };
}

function mapJson(feed: JsonFeed.Feed<string>, feedUrl: string, date: DateParser): ParsedFeed {
  return withTitle(
    cleanTitle(feed.title),
    collect(feed.items, (item) => jsonItem(item, { base: feedUrl, date })),
  );
}

function jsonItem(item: JsonFeed.Item<string>, ctx: Context): FeedItem | undefined {
  const url = absoluteHttpUrl(asString(item.url) ?? asString(item.external_url), ctx.base);
  if (!url) return undefined;
  const published = ctx.date(asString(item.date_published));
  return {
    url,
    title: cleanTitle(item.title),
    published,
    updated: ctx.date(asString(item.date_modified)),
    author: capOptional(nonEmpty(asString(item.authors?.[0]?.name)), LIMITS.byline),
    summary: capOptional(nonEmpty(asString(item.summary)), LIMITS.summary),
    content: itemHtml(asString(item.content_html), LIMITS.content, ctx.base),
    image: imageOf([asString(item.image), asString(item.banner_image)], ctx.base),
  };
}

/**
 * The entry's web page: a `rel="alternate"` link (no rel means alternate, RFC 4287 §4.2.7.2).
 * An explicit rel and an HTML type win over a bare `<link href>`, which feeds also use for
 * other representations.
 */
function alternateLink(links: { href?: string; rel?: string; type?: string }[] | undefined): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const l of links ?? []) {
    const href = asString(l.href);
    if (!href || (l.rel ?? 'alternate') !== 'alternate') continue;
    const score = (l.rel ? 2 : 0) + (l.type === undefined ? 0 : l.type.includes('html') ? 1 : -2);
    if (score > bestScore) {
      best = href;
      bestScore = score;
    }
  }
  return best;
}

function isImageEnclosure(e: { url?: string; type?: string }): boolean {
  if (e.type) return e.type.startsWith('image/');
  return /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i.test(e.url ?? '');
}

/** media:content images first (the article picture), then thumbnails, then groups. */
function mediaImages(media: MediaNs.ItemOrFeed | undefined): (string | undefined)[] {
  if (!media) return [];
  const isImage = (c: MediaNs.Content) =>
    c.medium === 'image' || c.type?.startsWith('image/') || (!c.medium && !c.type && isImageEnclosure(c));
  const groups = media.groups ?? [];
  return [
    ...(media.contents ?? []).filter(isImage).map((c) => c.url),
    ...(media.thumbnails ?? []).map((t) => t.url),
    ...groups.flatMap((g) => (g.contents ?? []).filter(isImage).map((c) => c.url)),
    ...groups.flatMap((g) => (g.thumbnails ?? []).map((t) => t.url)),
  ];
}

function imageOf(candidates: (string | undefined)[], base: string): string | undefined {
  for (const c of candidates) {
    const url = absoluteHttpUrl(asString(c), base);
    if (url) return url;
  }
  return undefined;
}

function first(values: unknown[] | undefined): string | undefined {
  for (const v of values ?? []) {
    const s = asString(v)?.trim();
    if (s) return s;
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}
