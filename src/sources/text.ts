import { load } from 'cheerio';

/**
 * Plain text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed.
 * htmlparser2 mode with decodeEntities is safe here because we only read text and never
 * serialise (the CJK-escaping trap in STACK Gotchas is about `.html()`).
 */
export function htmlToText(html: string): string {
  const text =
    html.includes('<') || html.includes('&')
      ? load(html, { xml: { xmlMode: false, decodeEntities: true } }, false)
          .root()
          .text()
      : html;
  return collapse(text);
}

/** Titles come with stray markup, entities escaped twice, and line breaks from templates. */
export function cleanTitle(raw: unknown): string {
  const s = asString(raw);
  return s === undefined ? '' : htmlToText(s);
}

export function collapse(text: string): string {
  return text.replace(/[\s\u00a0\u200b\ufeff]+/g, ' ').trim();
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
  if (!h) return undefined;
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
