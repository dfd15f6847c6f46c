import type { CheerioAPI } from 'cheerio';
import { parseFeedDate } from '../sources/dates.js';
import { collapseText, type Element } from './dom.js';
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
}

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

/**
 * Reads the page's own statements about the article. Within `structured`, JSON-LD wins over
 * meta tags: it is the publisher's explicit, typed description of this article, while
 * OpenGraph is written for link previews (titles often carry the site name).
 */
export function readPageMetadata($: CheerioAPI, base: string, timezone: string): PageMetadata {
  const titleTag = collapseText($('head title').first().text() || $('title').first().text());
  const ld = readJsonLd($, base, timezone, titleTag);
  const siteName = meta($, ['meta[property="og:site_name"]', 'meta[name="application-name"]']);
  const strip = (t: string | undefined) => (t === undefined ? undefined : stripTitleSuffix(stripSiteName(t, siteName)));
  const og: Metadata = {
    title: strip(
      meta($, [
        'meta[property="og:title"]',
        'meta[name="og:title"]',
        'meta[name="twitter:title"]',
        'meta[name="parsely-title"]',
      ]),
    ),
    byline: meta($, ['meta[name="author"]', 'meta[property="article:author"]', 'meta[name="parsely-author"]'], (v) =>
      /^https?:\/\//i.test(v) ? undefined : v.replace(/^by\s+/i, ''),
    ),
    published: date(
      meta($, [
        'meta[property="article:published_time"]',
        'meta[property="og:published_time"]',
        'meta[name="parsely-pub-date"]',
        'meta[itemprop="datePublished"]',
        'meta[name="pubdate"]',
        'meta[name="publishdate"]',
        'meta[name="publish-date"]',
        'meta[name="dcterms.created"]',
        'meta[name="DC.date.issued"]',
        'meta[name="date"]',
      ]),
      timezone,
    ),
    lang: normaliseLang(
      $('html').attr('lang') ??
        $('html').attr('xml:lang') ??
        meta($, ['meta[http-equiv="content-language"]', 'meta[name="dc.language"]', 'meta[property="og:locale"]']),
    ),
    image: resolveHttpUrl(
      meta($, [
        'meta[property="og:image:secure_url"]',
        'meta[property="og:image"]',
        'meta[property="og:image:url"]',
        'meta[name="twitter:image"]',
        'meta[name="twitter:image:src"]',
      ]),
      base,
    ),
  };
  return {
    // `<html lang>` is what the page renders in; JSON-LD inLanguage is often a site default.
    structured: merge({ lang: og.lang }, ld, og),
    titleTag: titleTag ? stripTitleSuffix(stripSiteName(titleTag, siteName)) : undefined,
  };
}

/** Metadata named by a site rule's selectors (`title`, `byline`, `date`): the first match with a value. */
export function readRuleMetadata(
  $: CheerioAPI,
  selectors: { title?: string[] | undefined; byline?: string[] | undefined; date?: string[] | undefined },
  timezone: string,
): Metadata {
  return {
    title: selected($, selectors.title),
    byline: selected($, selectors.byline),
    published: date(selected($, selectors.date), timezone),
  };
}

/** The first defined value of each field, in the order given. */
export function merge(...sources: readonly Metadata[]): Metadata {
  const out: Metadata = {};
  for (const s of sources) {
    out.title ??= nonEmpty(s.title);
    out.byline ??= nonEmpty(s.byline);
    out.published ??= nonEmpty(s.published);
    out.lang ??= nonEmpty(s.lang);
    out.image ??= nonEmpty(s.image);
  }
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

function selected($: CheerioAPI, selectors: readonly string[] | undefined): string | undefined {
  for (const sel of selectors ?? []) {
    for (const el of $(sel).toArray() as Element[]) {
      const v = elementValue($, el);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

function meta(
  $: CheerioAPI,
  selectors: readonly string[],
  accept: (v: string) => string | undefined = (v) => v,
): string | undefined {
  for (const sel of selectors) {
    for (const el of $(sel).toArray()) {
      const v = nonEmpty(collapseText($(el).attr('content') ?? ''));
      const ok = v === undefined ? undefined : nonEmpty(accept(v));
      if (ok !== undefined) return ok;
    }
  }
  return undefined;
}

function readJsonLd($: CheerioAPI, base: string, timezone: string, titleTag: string): Metadata {
  const articles: Record<string, unknown>[] = [];
  for (const el of $('script[type="application/ld+json"]').toArray()) {
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
  if (a === undefined) return {};
  return {
    title: pickHeadline(text(a.headline), text(a.name), titleTag),
    byline: names(a.author),
    published: date(text(a.datePublished) ?? text(a.dateCreated), timezone),
    lang: normaliseLang(text(a.inLanguage) ?? text(asRecord(a.inLanguage)?.alternateName)),
    image: resolveHttpUrl(imageUrl(a.image), base),
  };
}

/** Some sites put a description in `headline` and the title in `name`: trust the one `<title>` repeats. */
function pickHeadline(headline: string | undefined, name: string | undefined, titleTag: string): string | undefined {
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

const SEPARATOR = String.raw`\s*(?:[|｜_–—]|\s-\s|::)\s*`;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `Headline | Site` or `Site - Headline` → `Headline`, when the site name is known. */
function stripSiteName(title: string, siteName: string | undefined): string {
  if (!siteName) return title;
  const name = escapeRegExp(siteName.trim());
  const stripped = title
    .replace(new RegExp(`${SEPARATOR}${name}\\s*$`, 'u'), '')
    .replace(new RegExp(`^\\s*${name}${SEPARATOR}`, 'u'), '');
  return stripped.trim() === '' ? title : stripped;
}

/**
 * `<title>` usually ends with the section and site name: `Headline - Site`, `标题_财经_网站`,
 * `標題 | 社會 | 通訊社`. Trailing parts short enough to be names (at most 16 characters, and
 * shorter than what is left) are dropped one at a time. A hyphen without spaces separates only next to a
 * CJK character, so `COVID-19` stays whole.
 */
export function stripTitleSuffix(title: string): string {
  const separators = [...title.matchAll(TITLE_SEPARATOR)];
  let end = title.length;
  for (let i = separators.length - 1; i >= 0; i--) {
    const sep = separators[i];
    const at = sep?.index ?? 0;
    const last = title.slice(at + (sep?.[0].length ?? 0), end).trim();
    const rest = title.slice(0, at).trim();
    if (last.length > 16 || last.length >= rest.length) break;
    end = at;
  }
  return title.slice(0, end).trim() || title;
}

const TITLE_SEPARATOR =
  /\s+[-–—|]\s+|\s*[|｜_]\s*|(?<=[\p{Script=Han}\u3000-\u303f\uff00-\uffef])-{1,2}|-{1,2}(?=\p{Script=Han})/gu;
