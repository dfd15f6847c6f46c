import { createHash } from 'node:crypto';
import { compileUserPattern } from '../config/patterns.js';
import type { SiteRule } from '../config/schema.js';
import { normaliseLang } from '../extract/metadata.js';
import { resolveHttpUrl } from '../extract/urls.js';
import { capText, LIMITS } from '../sources/limits.js';
import type { Article, ExtractedArticle, LeadImage, SafeHtml } from '../types.js';
import { sanitizeBody } from './allowlist.js';
import { cleanBodyDom } from './body.js';
import { plainText } from './text.js';

export { articleLine, articleText } from './plain-text.js';
export { plainText } from './text.js';

export interface CleanMeta {
  id: string;
  outlet: string;
  channel: string;
  firstSeen: string;
  updatedAt: string;
  version: number;
}

export interface CleanOptions {
  rule?: SiteRule | undefined;
  images: 'mirror' | 'hotlink' | 'drop';
}

/**
 * The only place an `Article` (and a `SafeHtml`) is made. The body goes through the DOM
 * passes of `cleanBodyDom` and then, last, the GitHub allowlist: whatever a pass misses,
 * nothing outside the allowlist reaches a renderer. Title, byline and caption become plain
 * text; the lead image URL must be absolute http(s). Pure: `extracted` is not changed.
 *
 * `hash` covers what a reader sees (title, lead image, caption, body): a change means a
 * new version of the article.
 */
export function cleanArticle(extracted: ExtractedArticle, meta: CleanMeta, options: CleanOptions): Article {
  const rule = options.rule;
  const base = extracted.url;
  const lead = options.images === 'drop' ? undefined : cleanLead(extracted.leadImage, base);
  const body = cleanBodyDom(extracted.html, { base, rule, images: options.images, lead });
  const html = sanitizeBody(body.html).trim() as SafeHtml;
  const leadImage = body.lead === undefined ? undefined : cleanLead(body.lead, base);
  // Cut again here: an ExtractedArticle may come from elsewhere than extract (the library API).
  const title = capText(cleanTitle(extracted.title, rule?.updatedMarker), LIMITS.title) || untitled(html, meta.id);
  const byline = capText(plainText(extracted.byline), LIMITS.byline) || undefined;
  const hash = createHash('sha256')
    .update([title, leadImage?.src ?? '', leadImage?.caption ?? '', html].join('\u0000'))
    .digest('hex');
  return {
    id: meta.id,
    outlet: meta.outlet,
    channel: meta.channel,
    url: extracted.url,
    title,
    byline,
    published: extracted.published,
    datePrecision: extracted.datePrecision,
    lang: normaliseLang(extracted.lang),
    leadImage,
    html,
    extractor: extracted.extractor,
    confidence: extracted.confidence,
    hash,
    firstSeen: meta.firstSeen,
    updatedAt: meta.updatedAt,
    version: meta.version,
  };
}

/**
 * A title for an article that has none (feeds of untitled posts, a title that was only
 * markup): the start of its text, as feed readers show such items; the id if it has no
 * text. An empty title would make an empty, unclickable link in every index.
 */
function untitled(html: string, id: string): string {
  const text = plainText(html.replace(/<\/(?:p|div|h\d|li|figcaption|blockquote|td|th)>|<br\s*\/?>/gi, '$& '));
  const chars = Array.from(text);
  return chars.length === 0 ? id : chars.length <= 60 ? text : `${chars.slice(0, 60).join('').trimEnd()}…`;
}

/** Plain-text title without the rule's "updated" marker (its presence is discovery's business). */
function cleanTitle(raw: string, updatedMarker: string | undefined): string {
  const text = plainText(raw);
  if (!updatedMarker) return text;
  return plainText(compileUserPattern(updatedMarker).replaceAll(text, ' '));
}

function cleanLead(lead: LeadImage | undefined, base: string): LeadImage | undefined {
  const src = resolveHttpUrl(lead?.src, base);
  if (lead === undefined || src === undefined) return undefined;
  return {
    src,
    alt: capText(plainText(lead.alt), LIMITS.caption) || undefined,
    caption: capText(plainText(lead.caption), LIMITS.caption) || undefined,
  };
}
