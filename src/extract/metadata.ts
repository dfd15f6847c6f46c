import type { Cheerio, CheerioAPI } from 'cheerio';
import { compileUserPattern } from '../config/patterns.js';
import { parseFeedDate } from '../sources/dates.js';
import { capText, LIMITS } from '../sources/limits.js';
import { namesOnlyDay } from './dates.js';
import { collapseText, type Element, indexTags, query, type TagIndex } from './dom.js';
import { resolveHttpUrl } from './urls.js';

/** What a page says about itself. Every field is optional: pages omit any of them. */
export interface Metadata {
  title?: string | undefined;
  byline?: string | undefined;
  /** ISO 8601 UTC. */
  published?: string | undefined;
  lang?: string | undefined;
  /** Absolute http(s) URL. */
  image?: string | undefined;
}

export interface PageMetadata {
  /** From JSON-LD, then OpenGraph / article / Twitter / Dublin Core meta tags, then `<html lang>`. */
  structured: Metadata;
  /** The `<title>` element, site name stripped when it can be told apart. Least trusted. */
  titleTag?: string | undefined;
  /**
   * True when the structured date names only a day (`<meta name="publishdate" content="2024-04-24">`):
   * a time of that same day from a less trusted source is then more precise, not a contradiction.
   */
  publishedDayOnly?: boolean | undefined;
}

/**
 * The order of trust for an article's metadata, most trusted first. `extractArticle` merges
 * the sources in this order, field by field (the first source that has a value wins):
 *
 *  1. `json-ld`: schema.org Article/NewsArticle in `<script type="application/ld+json">` — the
 *     publisher's explicit, typed statement about this article;
 *  2. `opengraph`: OpenGraph / `article:*` / Twitter / Dublin Core / `<meta name=author|date>`
 *     tags and `<html lang>` — written for link previews, so titles may carry the site name;
 *  3. `page`: what the site rule's `title` / `byline` / `date` selectors read off the page, in
 *     the rule's time zone — what a reader sees, scraped;
 *  4. `feed`: the feed item (its title, author, date, image) — may be stale or truncated;
 *  5. `fallback`: Readability's guesses, then the `<title>` element with the site name stripped.
 *
 * Corrections to that order, each because a higher source is known to be wrong in that case:
 *  - a byline that is only the site's own name (`网易`, `自由時報`: the publisher, not an
 *    author), a number (a CMS user id) or a URL is no byline, and the next source is asked;
 *  - a JSON-LD headline that the `<title>` does not repeat loses to an og:title that it does
 *    (sites put a short SEO headline in JSON-LD);
 *  - a structured date that names only a day yields to a rule date with a time on that day.
 */
export const METADATA_TRUST = ['json-ld', 'opengraph', 'page', 'feed', 'fallback'] as const;

/** schema.org types whose `headline`/`author`/`datePublished` describe the article on the page. */
const ARTICLE_TYPES = new Set([
  'Article',
  'NewsArticle',
  'ReportageNewsArticle',
  'AnalysisNewsArticle',
  'OpinionNewsArticle',
  'BackgroundNewsArticle',
  'ReviewNewsArticle',
  'BlogPosting',
  'LiveBlogPosting',
  'SocialMediaPosting',
  'Report',
  'ScholarlyArticle',
  'TechArticle',
]);

/** The tags `readPageMetadata` reads, for `indexTags`. */
export const PAGE_TAGS: ReadonlySet<string> = new Set(['html', 'title', 'meta', 'script']);

function insideHead(el: Element): boolean {
  for (let p = el.parent; p; p = p.parent) if ('tagName' in p && p.tagName === 'head') return true;
  return false;
}

/**
 * Reads the page's own statements about the article. Within `structured`, JSON-LD wins over
 * meta tags: it is the publisher's explicit, typed description of this article, while
 * OpenGraph is written for link previews (titles often carry the site name).
 */
export function readPageMetadata(
  $: CheerioAPI,
  base: string,
  timezone: string,
  tags: TagIndex = indexTags($.root().toArray(), PAGE_TAGS),
): PageMetadata {
  const titles = tags.get('title') ?? [];
  const inHead = titles.find((t) => insideHead(t));
  const titleText =
    (inHead === undefined ? '' : $(inHead).text()) || (titles[0] === undefined ? '' : $(titles[0]).text());
  const titleTag = capText(collapseText(titleText.slice(0, LIMITS.titleMarkup)), LIMITS.titleMarkup);
  const ld = readJsonLd($, tags.get('script') ?? [], base, timezone, titleTag);
  // Every selector below names a <meta>: they are matched against the page's few <meta>
  // elements rather than each walking the whole document.
  const metas = $(tags.get('meta') ?? []);
  const html = tags.get('html')?.[0];
  const meta = (selectors: readonly string[], accept?: (v: string) => string | undefined) =>
    metaValue($, metas, selectors, accept);
  const siteName = meta(['meta[property~="og:site_name"]', 'meta[name="application-name"]']);
  const strip = (t: string | undefined) => (t === undefined ? undefined : stripTitleSuffix(stripSiteName(t, siteName)));
  const names = siteNames(titleTag, [siteName, ld.publisher, meta(['meta[name="application-name"]'])]);
  const rawDate = meta([
    'meta[property~="article:published_time"]',
    'meta[property~="og:published_time"]',
    'meta[name="parsely-pub-date"]',
    'meta[itemprop="datePublished"]',
    'meta[name="pubdate"]',
    'meta[name="publishdate"]',
    'meta[name="publish-date"]',
    'meta[name="dcterms.created"]',
    'meta[name="DC.date.issued"]',
    'meta[name="date"]',
  ]);
  const og: Metadata = {
    title: strip(
      meta([
        // Dublin Core first, as Readability does: sites that bother with it mean it.
        'meta[property~="dc:title"]',
        'meta[name="dc.title" i]',
        'meta[name="dcterm:title" i]',
        'meta[property~="og:title"]',
        'meta[name="og:title"]',
        'meta[name="twitter:title"]',
        'meta[name="parsely-title"]',
      ]),
    ),
    byline: meta(['meta[name="author"]', 'meta[property~="article:author"]', 'meta[name="parsely-author"]'], (v) =>
      personName(v.replace(/^by\s+/i, ''), names),
    ),
    published: date(rawDate, timezone),
    lang: normaliseLang(
      html?.attribs.lang ??
        html?.attribs['xml:lang'] ??
        meta(['meta[http-equiv="content-language"]', 'meta[name="dc.language"]', 'meta[property~="og:locale"]']),
    ),
    image: resolveHttpUrl(
      meta([
        'meta[property~="og:image:secure_url"]',
        'meta[property~="og:image"]',
        'meta[property~="og:image:url"]',
        'meta[name="twitter:image"]',
        'meta[name="twitter:image:src"]',
      ]),
      base,
    ),
  };
  const fromLd: Metadata = { ...ld.metadata, byline: personName(ld.metadata.byline, names) };
  // A JSON-LD headline the <title> does not repeat is often a short SEO variant of the one it does.
  if (
    fromLd.title &&
    og.title &&
    fromLd.title !== og.title &&
    titleTag.includes(og.title) &&
    !titleTag.includes(fromLd.title)
  ) {
    fromLd.title = og.title;
  }
  // An unescaped `"` inside `content="…"` cuts a meta title short: the `<title>` has the rest.
  const headline = stripTitleSuffix(stripSiteName(titleTag, siteName));
  if (
    og.title &&
    headline.length > og.title.length &&
    headline.startsWith(og.title) &&
    /^["']/.test(headline.slice(og.title.length))
  ) {
    og.title = headline;
  }
  // `<html lang>` is what the page renders in; JSON-LD inLanguage is often a site default.
  const structured = merge({ lang: og.lang }, fromLd, og);
  const dayOnly = (raw: string | undefined) => raw !== undefined && DAY_ONLY.test(raw.trim());
  return {
    structured,
    titleTag: titleTag ? headline : undefined,
    publishedDayOnly: fromLd.published ? dayOnly(ld.rawDate) : og.published ? dayOnly(rawDate) : undefined,
  };
}

/** `2024-04-24`, `2024/4/24`, `2024年4月24日`: a day with no time. */
const DAY_ONLY = /^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$/;

/**
 * The names the site calls itself: og:site_name, application-name, the JSON-LD publisher, and
 * the short trailing parts of `<title>` (`…_网易财经`, `… - 自由時報電子報`).
 */
function siteNames(titleTag: string, names: (string | undefined)[]): string[] {
  // Parts are trimmed below: splitting on `\s*[|｜]\s*` would rescan each run of spaces.
  const out = names.flatMap((n) => (n ? n.split(/[|｜]/) : []));
  const kept = stripTitleSuffix(titleTag);
  if (kept.length < titleTag.length) {
    const tail = titleTag.slice(kept.length);
    let from = 0;
    for (const [at, end] of titleSeparators(tail)) {
      out.push(tail.slice(from, at));
      from = end;
    }
    out.push(tail.slice(from));
  }
  return out.map((n) => n.trim()).filter((n) => n.length >= 2);
}

/**
 * A byline that names a person (or a desk), or undefined for what only looks like one: a URL,
 * a number (CMS user ids such as `105092`), or the site's own name (publishers put themselves
 * in `author`: that says nothing about who wrote the article).
 */
function personName(v: string | undefined, siteNames: readonly string[]): string | undefined {
  const t = v?.trim();
  if (!t || /^https?:\/\//i.test(t) || /^\d+$/.test(t)) return undefined;
  if (siteNames.some((n) => n === t || n.includes(t))) return undefined;
  return t;
}

/**
 * Metadata named by a site rule's selectors (`title`, `byline`, `date`): the first match with a
 * value. With `bylinePattern`, a byline candidate must match it and gives its first capture group
 * (`（中央社記者邱俊欽桃園19日電）` → `邱俊欽`). A date may sit inside other text
 * (`来源：央视财经 | 2020年08月03日 07:16`).
 */
export function readRuleMetadata(
  $: CheerioAPI,
  selectors: {
    title?: string[] | undefined;
    byline?: string[] | undefined;
    bylinePattern?: string | undefined;
    date?: string[] | undefined;
  },
  timezone: string,
  select: (selector: string) => Element[] = (selector) => $(selector).toArray() as Element[],
): Metadata & { publishedDayOnly?: boolean | undefined } {
  const pattern = selectors.bylinePattern ? compileUserPattern(selectors.bylinePattern) : undefined;
  const byline = (v: string) => {
    if (!pattern) return v;
    const m = pattern.exec(v);
    return m ? nonEmpty(collapseText(m[1] ?? m[0] ?? '')) : undefined;
  };
  let dateText: string | undefined;
  const dated = (v: string) => {
    const d = date(v, timezone) ?? date(DATE_IN_TEXT.exec(v)?.[0], timezone);
    if (d !== undefined) dateText = v;
    return d;
  };
  const published = selected($, select, selectors.date, dated);
  return {
    title: selected($, select, selectors.title),
    byline: selected($, select, selectors.byline, byline),
    published,
    // `2024年4月24日` names a day, not its midnight.
    publishedDayOnly: dateText !== undefined && namesOnlyDay(dateText),
  };
}

/** A date inside other text: `2019-09-07 13:43:45`, `2024年04月24日23:52`, `2016/03/19 10:48`. */
// Every `\s*` is followed by something that is not a space, so a run of spaces can be split
// only one way (`\s*日?\s*` could split it anywhere: quadratic on a long run).
const DATE_IN_TEXT =
  /\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?(?:\s*(?:(?:上午|下午|晚上|凌晨|中午)\s*)?\d{1,2}\s*[:：时點点]\s*\d{1,2}(?:\s*[:：分]\s*\d{1,2})?)?/u;

/**
 * A byline the generic extractor guessed (Readability takes the first element that looks like
 * an author line), or undefined when it is a reader's comment handle rather than the article's
 * author: it carries a comment's timestamp (`往事随风x8pe[网易山东省德州市手机网友]2019-09-07 17:51:44`),
 * names a reader (`网友`, `reader`, `Leser`), or is longer than any byline.
 */
export function guessedByline(v: string | undefined): string | undefined {
  const t = v?.trim();
  if (!t || t.length > 60) return undefined;
  if (/\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}/.test(t)) return undefined;
  if (/网友|網友|读者|讀者|\b(?:reader|leser|lector)\b/iu.test(t)) return undefined;
  return t;
}

/** The first defined value of each field, in the order given; each cut to its `LIMITS`. */
export function merge(...sources: readonly Metadata[]): Metadata {
  const out: Metadata = {};
  for (const s of sources) {
    out.title ??= nonEmpty(s.title);
    out.byline ??= nonEmpty(s.byline);
    out.published ??= nonEmpty(s.published);
    out.lang ??= nonEmpty(s.lang);
    out.image ??= nonEmpty(s.image);
  }
  if (out.title !== undefined) out.title = capText(out.title, LIMITS.title);
  if (out.byline !== undefined) out.byline = capText(out.byline, LIMITS.byline);
  if (out.lang !== undefined && out.lang.length > LIMITS.lang) out.lang = undefined;
  if (out.image !== undefined && out.image.length > LIMITS.url) out.image = undefined;
  return out;
}

export function date(raw: string | undefined, timezone: string): string | undefined {
  return raw === undefined ? undefined : parseFeedDate(raw, timezone);
}

/** `zh_CN` → `zh-CN`; anything that is not a BCP 47-shaped tag is dropped. */
export function normaliseLang(raw: string | undefined): string | undefined {
  const t = raw?.trim().replace(/_/g, '-');
  if (!t || !/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(t)) return undefined;
  try {
    // Rejects what only looks like a tag, such as a charset (`utf-8`) in content-language.
    Intl.getCanonicalLocales(t);
    return t;
  } catch {
    return undefined;
  }
}

/** The value of an element as metadata: `content` of a meta, `datetime` of a time, else its text. */
function elementValue($: CheerioAPI, el: Element): string | undefined {
  const e = $(el);
  const v =
    el.tagName === 'meta' ? e.attr('content') : el.tagName === 'time' ? (e.attr('datetime') ?? e.text()) : e.text();
  return nonEmpty(collapseText(v ?? ''));
}

function selected(
  $: CheerioAPI,
  select: (selector: string) => Element[],
  selectors: readonly string[] | undefined,
  accept: (v: string) => string | undefined = (v) => v,
): string | undefined {
  for (const sel of selectors ?? []) {
    for (const el of select(sel)) {
      const v = elementValue($, el);
      const ok = v === undefined ? undefined : accept(v);
      if (ok !== undefined) return ok;
    }
  }
  return undefined;
}

function metaValue(
  $: CheerioAPI,
  metas: Cheerio<Element>,
  selectors: readonly string[],
  accept: (v: string) => string | undefined = (v) => v,
): string | undefined {
  const elements = metas.toArray();
  for (const sel of selectors) {
    // Compiled once per selector (`filter` compiled it again on every page).
    const q = query(sel);
    for (const el of q === null ? metas.filter(sel).toArray() : elements.filter(q)) {
      const v = nonEmpty(collapseText($(el).attr('content') ?? ''));
      const ok = v === undefined ? undefined : nonEmpty(accept(v));
      if (ok !== undefined) return ok;
    }
  }
  return undefined;
}

interface JsonLd {
  metadata: Metadata;
  /** The publisher's name, a name of the site. */
  publisher?: string | undefined;
  rawDate?: string | undefined;
}

function readJsonLd(
  $: CheerioAPI,
  scripts: readonly Element[],
  base: string,
  timezone: string,
  titleTag: string,
): JsonLd {
  const articles: Record<string, unknown>[] = [];
  for (const el of scripts) {
    if (el.attribs.type?.trim().toLowerCase() !== 'application/ld+json') continue;
    try {
      const raw = $(el)
        .text()
        .replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, '');
      collectArticles(JSON.parse(raw), articles, 0);
    } catch {
      // Malformed JSON-LD is common (trailing commas, raw newlines); the meta tags still count.
    }
  }
  const a = articles[0];
  if (a === undefined) return { metadata: {} };
  const rawDate = text(a.datePublished) ?? text(a.dateCreated);
  return {
    metadata: {
      title: pickHeadline(text(a.headline), text(a.name), titleTag, names(a.publisher)),
      byline: names(a.author),
      published: date(rawDate, timezone),
      lang: normaliseLang(text(a.inLanguage) ?? text(asRecord(a.inLanguage)?.alternateName)),
      image: resolveHttpUrl(imageUrl(a.image), base),
    },
    publisher: names(a.publisher),
    rawDate,
  };
}

/**
 * Some sites put a description in `headline` and the title in `name`: trust the one `<title>`
 * repeats. A `name` that is the publisher's is the site's name, never the title.
 */
function pickHeadline(
  headline: string | undefined,
  name: string | undefined,
  titleTag: string,
  publisher: string | undefined,
): string | undefined {
  if (name !== undefined && name === publisher) return headline;
  if (headline && name && headline !== name && titleTag.includes(name) && !titleTag.includes(headline)) return name;
  return headline ?? name;
}

function collectArticles(node: unknown, out: Record<string, unknown>[], depth: number): void {
  if (depth > 4 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collectArticles(n, out, depth + 1);
    return;
  }
  const rec = node as Record<string, unknown>;
  const types = Array.isArray(rec['@type']) ? rec['@type'] : [rec['@type']];
  if (types.some((t) => typeof t === 'string' && ARTICLE_TYPES.has(t))) out.push(rec);
  collectArticles(rec['@graph'], out, depth + 1);
  collectArticles(rec.mainEntity, out, depth + 1);
}

function names(v: unknown): string | undefined {
  const list = (Array.isArray(v) ? v : [v])
    .map((x) => text(x) ?? text(asRecord(x)?.name))
    .filter((x): x is string => x !== undefined && !/^https?:\/\//i.test(x));
  return list.length > 0 ? [...new Set(list)].join(', ') : undefined;
}

function imageUrl(v: unknown): string | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  return text(first) ?? text(asRecord(first)?.url) ?? text(asRecord(first)?.contentUrl);
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? nonEmpty(collapseText(v)) : undefined;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}

/** `|`, `｜`, `_`, `–`, `—` and `::` always separate a site name; `-` only with spaces around it. */
const NAME_SEPARATORS = new Set(['|', '｜', '_', '–', '—']);

/** The length of the separator `s` ends with (spaces before it included), or 0. */
function separatorAtEnd(s: string): number {
  const t = s.trimEnd();
  const c = t[t.length - 1];
  let sep = 0;
  if (c !== undefined && NAME_SEPARATORS.has(c)) sep = 1;
  else if (t.endsWith('::')) sep = 2;
  else if (c === '-' && t.length < s.length && isSpace(t[t.length - 2])) sep = 1;
  if (sep === 0) return 0;
  return s.length - t.slice(0, t.length - sep).trimEnd().length;
}

/** The length of the separator `s` starts with (spaces after it included), or 0. */
function separatorAtStart(s: string): number {
  const t = s.trimStart();
  const c = t[0];
  let sep = 0;
  if (c !== undefined && NAME_SEPARATORS.has(c)) sep = 1;
  else if (t.startsWith('::')) sep = 2;
  else if (c === '-' && t.length < s.length && isSpace(t[1])) sep = 1;
  if (sep === 0) return 0;
  return s.length - t.slice(sep).trimStart().length;
}

/**
 * `Headline | Site` or `Site - Headline` → `Headline`, when the site name is known. String
 * operations, not a regex built from the name: `\s*` before a separator rescans every run of
 * spaces, which made a `<title>` of U+3000 quadratic (issue 17.3).
 */
function stripSiteName(title: string, siteName: string | undefined): string {
  const name = siteName?.trim();
  if (!name) return title;
  let stripped = title;
  const end = stripped.trimEnd();
  if (end.endsWith(name)) {
    const before = end.slice(0, end.length - name.length);
    const sep = separatorAtEnd(before);
    if (sep > 0) stripped = before.slice(0, before.length - sep);
  }
  const start = stripped.trimStart();
  if (start.startsWith(name)) {
    const after = start.slice(name.length);
    const sep = separatorAtStart(after);
    if (sep > 0) stripped = after.slice(sep);
  }
  return stripped.trim() === '' ? title : stripped;
}

/**
 * `<title>` usually ends with the section and site name: `Headline - Site`, `标题_财经_网站`,
 * `標題 | 社會 | 通訊社`. Trailing parts short enough to be names (at most 16 characters, and
 * shorter than what is left) are dropped one at a time. A hyphen without spaces separates only next to a
 * CJK character, so `COVID-19` stays whole.
 */
export function stripTitleSuffix(title: string): string {
  const separators = titleSeparators(title);
  const lead = title.length - title.trimStart().length;
  let end = title.length;
  for (let i = separators.length - 1; i >= 0; i--) {
    const [at, sepEnd] = separators[i] as [number, number];
    const last = title.slice(sepEnd, end).trim();
    // The length of `title.slice(0, at).trim()`, without copying it each time round.
    let restEnd = at;
    while (restEnd > lead && isSpace(title[restEnd - 1])) restEnd--;
    const rest = Math.max(0, restEnd - lead);
    if (last.length > 16 || last.length >= rest) break;
    end = at;
  }
  return title.slice(0, end).trim() || title;
}

/** JavaScript's `\s`, one character at a time. */
function isSpace(c: string | undefined): boolean {
  return c !== undefined && isSpaceCode(c.charCodeAt(0));
}

/** JavaScript's `\s` by code unit: a comparison or two where a regex per character cost ten times more. */
function isSpaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** A Han character starts at `lastIndex` (sticky: tested in place, nothing allocated). */
const HAN_AT = /\p{Script=Han}/uy;

/** `s` has a Han character at `i` (or, with punctuation, CJK punctuation U+3000–303F or a full-width form). */
function cjkAt(s: string, i: number, withPunctuation: boolean): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (withPunctuation && ((c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef))) return true;
  HAN_AT.lastIndex = i;
  return HAN_AT.test(s);
}

/** Where the code point that ends just before `i` starts. */
function codePointStartBefore(s: string, i: number): number {
  const low = s.charCodeAt(i - 1);
  return low >= 0xdc00 && low <= 0xdfff && i >= 2 ? i - 2 : i - 1;
}

/**
 * The `[start, end)` spans of `title`'s separators, left to right, as the regex
 * `\s+[-–—|]\s+ | \s*[|｜_]\s* | (?<=[Han CJK-punct full-width])-{1,2} | -{1,2}(?=Han)` would
 * match them, in one pass: that regex rescanned each run of spaces from every position in it
 * (20,000 U+3000 took 3.4 s, 80,000 took 33 s; issue 17.3).
 */
export function titleSeparators(title: string): [number, number][] {
  const n = title.length;
  // spaceEnd[i]: where the run of spaces that starts at i ends (i itself when title[i] is no space).
  const spaceEnd = new Int32Array(n + 2);
  spaceEnd[n] = n;
  spaceEnd[n + 1] = n + 1;
  for (let i = n - 1; i >= 0; i--) spaceEnd[i] = isSpaceCode(title.charCodeAt(i)) ? (spaceEnd[i + 1] as number) : i;
  const out: [number, number][] = [];
  let i = 0;
  while (i < n) {
    const j = spaceEnd[i] as number;
    const c = title[j];
    let end = -1;
    if (j > i && (c === '-' || c === '–' || c === '—' || c === '|') && isSpace(title[j + 1])) {
      end = spaceEnd[j + 1] as number;
    } else if (c === '|' || c === '｜' || c === '_') {
      end = spaceEnd[j + 1] as number;
    } else if (title[i] === '-') {
      const two = title[i + 1] === '-';
      if (i > 0 && cjkAt(title, codePointStartBefore(title, i), true)) end = i + (two ? 2 : 1);
      else if (two && cjkAt(title, i + 2, false)) end = i + 2;
      else if (cjkAt(title, i + 1, false)) end = i + 1;
    }
    if (end > i) {
      out.push([i, end]);
      i = end;
    } else i++;
  }
  return out;
}
