/**
 * How well newsmirror reads an outlet's articles: a few of them fetched, extracted and
 * cleaned exactly as `sync` does (same fetcher, site rules, extractor and cleaner), but
 * kept in memory. `add` and `check` show these samples; nothing is written anywhere.
 */
import { cleanArticle, plainText } from '../clean/index.js';
import type { ImagePolicy, SiteRule } from '../config/schema.js';
import { describeError, errorCode } from '../errors.js';
import { extractArticle } from '../extract/index.js';
import type { Fetcher } from '../fetch/index.js';
import { imageUrlsOf } from '../images/index.js';
import { findRule } from '../sites/index.js';
import type { FeedItem } from '../types.js';

/** A body shorter than this many characters is reported (a teaser, a paywall, a wrong container). */
export const SHORT_BODY = 150;
/** Characters of the body shown as an excerpt. */
const EXCERPT = 160;

export interface ArticleSample {
  url: string;
  /** False when the page could not be fetched or no body was found. */
  ok: boolean;
  /** `rule`, `feed`, `readability` or `density` (README "Site rules"). */
  extractor?: string | undefined;
  /** The site rule that applied; none: the fallback extractor. */
  rule?: string | undefined;
  title?: string | undefined;
  published?: string | undefined;
  byline?: string | undefined;
  /** Characters of body text after cleaning. */
  bodyChars: number;
  images: number;
  excerpt?: string | undefined;
  warnings: string[];
  /** `Code: message` of the failure, when not ok. */
  error?: string | undefined;
  /** The page and the body text read from it (for rule suggestions; left out of JSON). */
  page?: { html: string; text: string } | undefined;
}

export interface SampleOptions {
  rules: readonly SiteRule[];
  /** The outlet's `rule:` name, if it names one. */
  ruleName?: string | undefined;
  timezone: string;
  images: ImagePolicy;
  signal?: AbortSignal | undefined;
}

/** Fetch, extract and clean one listed article as `sync` would, and say what came out. */
export async function sampleArticle(fetcher: Fetcher, item: FeedItem, o: SampleOptions): Promise<ArticleSample> {
  const rule = findRule(item.url, o.rules, o.ruleName);
  try {
    let html = '';
    let url = item.url;
    if (!(rule?.feedContentComplete && item.content)) {
      const doc = await fetcher.fetchDocument(item.url, { signal: o.signal });
      html = doc.text;
      url = doc.finalUrl;
    }
    const extracted = extractArticle({ html, url, item, rule, timezone: o.timezone });
    const now = new Date().toISOString();
    const article = cleanArticle(
      { ...extracted, url: item.url },
      { id: 'check', outlet: '', channel: '', firstSeen: now, updatedAt: now, version: 1 },
      { rule, images: o.images },
    );
    const text = plainText(article.html).replace(/\s+/g, ' ').trim();
    const warnings: string[] = [];
    if (!article.title) warnings.push('no title');
    if (!article.published) warnings.push('no date: the page would show when it was first seen');
    const summary = plainText(item.summary ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    if (summary.length > text.length) {
      warnings.push(`body shorter than the feed's summary (${text.length} < ${summary.length} characters)`);
    } else if (text.length < SHORT_BODY) warnings.push(`short body (${text.length} characters)`);
    return {
      url: item.url,
      ok: true,
      extractor: extracted.extractor,
      rule: extracted.rule,
      title: article.title || undefined,
      published: article.published,
      byline: article.byline,
      bodyChars: text.length,
      images: imageUrlsOf(article).length,
      excerpt: text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text,
      warnings,
      page: html ? { html, text } : undefined,
    };
  } catch (err) {
    if (o.signal?.aborted) throw err;
    const error = `${errorCode(err)}: ${describeError(err)}`;
    return { url: item.url, ok: false, rule: rule?.name, bodyChars: 0, images: 0, warnings: [error], error };
  }
}

/** The sample as the lines `add` and `check` print (indented under the source). */
export function sampleLines(s: ArticleSample): string[] {
  if (!s.ok) return [`  ✗ ${s.url}`, `      ${s.error}`];
  const how = s.rule ? `rule ${s.rule}` : `fallback (${s.extractor})`;
  return [
    `  ${s.warnings.length === 0 ? '✓' : '!'} ${s.title ?? '(no title)'}`,
    `      ${s.url}`,
    `      ${how}; date ${s.published ?? '-'}; byline ${s.byline ?? '-'}; body ${s.bodyChars} characters; ${s.images} image${s.images === 1 ? '' : 's'}`,
    ...(s.excerpt ? [`      “${s.excerpt}”`] : []),
    ...s.warnings.map((w) => `      warning: ${w}`),
  ];
}
