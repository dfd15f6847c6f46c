import { load } from 'cheerio';
import { capText, LIMITS } from './limits.js';
import { capNesting } from './nesting.js';

/**
 * Plain text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed.
 * htmlparser2 mode with decodeEntities is safe here because we only read text and never
 * serialise (the CJK-escaping trap in STACK Gotchas is about `.html()`).
 */
export function htmlToText(html: string): string {
  const text =
    html.includes('<') || html.includes('&')
      ? load(capNesting(html), { xml: { xmlMode: false, decodeEntities: true } }, false)
          .root()
          .text()
      : html;
  return collapse(text);
}

/**
 * Titles come with stray markup, entities escaped twice, and line breaks from templates.
 * Cut to `LIMITS.title` (and the markup to `LIMITS.titleMarkup` before it is parsed).
 */
export function cleanTitle(raw: unknown): string {
  const s = asString(raw);
  return s === undefined ? '' : capText(htmlToText(s.slice(0, LIMITS.titleMarkup)), LIMITS.title);
}

/**
 * Runs of spacing become one space. U+3000 (the ideographic space) is not spacing here: in a
 * Chinese title it is content (`标题　副题`), and an ASCII space in its place changes the title.
 */
export function collapse(text: string): string {
  return text.replace(/[\t\n\v\f\r \u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\ufeff]+/g, ' ').trim();
}

/** Parsers sometimes hand back numbers for numeric text (a title such as `2026`). */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Absolute http(s) URL of `href` against `base`, or undefined for anything else (mailto:, javascript:, junk). */
export function absoluteHttpUrl(href: string | undefined, base: string | URL | undefined): string | undefined {
  const h = href?.trim();
  // A URL longer than LIMITS.url is no link anyone can use: treated like a missing one.
  if (!h || h.length > LIMITS.url) return undefined;
  try {
    const url = new URL(h, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

export function withoutFragment(url: string | undefined): string | undefined {
  const i = url?.indexOf('#') ?? -1;
  return i === -1 ? url : url?.slice(0, i);
}

/** Same parser settings as extract's DOM: entities decoded on parse, only `& < > "` re-encoded. */
const HTML_PARSE = { xml: { xmlMode: false, decodeEntities: true, encodeEntities: 'utf8' as const } };
const URL_ATTRS = ['href', 'src', 'poster', 'cite'];
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Item HTML with its relative URLs (`href`, `src`, `srcset`, `poster`, `cite`) made absolute
 * against the item's base (xml:base, else the feed URL), as feed readers do: the page the
 * HTML later lands in has another URL, so a relative link would point elsewhere. HTML with
 * nothing relative in it is returned unchanged, byte for byte.
 */
export function resolveHtmlUrls(html: string | undefined, base: string): string | undefined {
  if (html === undefined || !/\s(?:href|src|srcset|poster|cite)\s*=/i.test(html)) return html;
  const $ = load(capNesting(html), HTML_PARSE, false);
  let changed = false;
  const resolve = (v: string): string => {
    const t = v.trim();
    if (t === '' || HAS_SCHEME.test(t)) return v;
    try {
      const abs = new URL(t, base).href;
      changed = true;
      return abs;
    } catch {
      return v;
    }
  };
  $('[href], [src], [srcset], [poster], [cite]').each((_, el) => {
    for (const name of URL_ATTRS) {
      const v = el.attribs[name];
      if (v !== undefined) el.attribs[name] = resolve(v);
    }
    const srcset = el.attribs.srcset;
    if (srcset !== undefined) {
      // Candidates end at a comma followed by space or after a descriptor: CDN URLs keep theirs (`w_400,h_300`).
      el.attribs.srcset = srcset
        .split(/,\s+|(?<=\s\d+(?:\.\d+)?[wx])\s*,\s*/)
        .map((c) => {
          const [url = '', ...descriptor] = c.trim().split(/\s+/);
          return [resolve(url), ...descriptor].join(' ');
        })
        .join(', ');
    }
  });
  return changed ? $.html() : html;
}
