/**
 * An article body for the static site and the feeds: the sanitised HTML with the same link
 * and image policies as the Markdown page (`applyPolicies`), images given their size and lazy
 * loading. The body stays the sanitised tree: only attribute values this module chose are set,
 * and cheerio escapes them on output.
 */
import { marked } from 'marked';
import { sanitizeBody } from '../../clean/allowlist.js';
import type { Element } from '../../extract/dom.js';
import { loadFragment } from '../../extract/dom.js';
import type { ImageRecord, SafeHtml } from '../../types.js';
import { applyPolicies, type RenderBodyOptions } from '../body.js';

export interface HtmlBodyOptions extends RenderBodyOptions {
  /** What the state knows of each image URL (width and height of stored copies). */
  images?: ReadonlyMap<string, ImageRecord> | undefined;
  /** Add `loading="lazy"` (the site; not feeds). */
  lazy?: boolean | undefined;
}

export function htmlBody(html: SafeHtml, options: HtmlBodyOptions): string {
  const $ = loadFragment(html);
  // Sizes are looked up by the origin URL, before the policy points the image elsewhere.
  const sizes = new Map<Element, ImageRecord>();
  for (const img of $('img').toArray() as Element[]) {
    const rec = img.attribs.src ? options.images?.get(img.attribs.src) : undefined;
    if (rec?.width && rec.height) sizes.set(img, rec);
  }
  applyPolicies($, options);
  for (const img of $('img').toArray() as Element[]) {
    const rec = sizes.get(img);
    if (rec?.width && rec.height) {
      img.attribs.width = String(rec.width);
      img.attribs.height = String(rec.height);
    }
    if (options.lazy) {
      img.attribs.loading = 'lazy';
      img.attribs.decoding = 'async';
    }
  }
  return $.html();
}

/**
 * Markdown the operator or an old page wrote (header, footer, a restored body) as HTML: marked
 * (STACK §5), then the same allowlist as article bodies, so it can hold nothing a body could not.
 */
export function markdownHtml(markdown: string): string {
  return sanitizeBody(marked.parse(markdown, { async: false, gfm: true }) as string);
}
