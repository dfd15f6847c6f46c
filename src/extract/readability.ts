import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

export interface ReadabilityResult {
  html: string;
  text: string;
  title?: string | undefined;
  byline?: string | undefined;
  published?: string | undefined;
  lang?: string | undefined;
}

/**
 * How much of a page (scripts and styles already removed) Readability reads: far more than any
 * article, and a bound on its work, which grows faster than the page on hostile markup.
 */
const MAX_INPUT = 2_000_000;

/**
 * linkedom makes a text node of each run of text between two character references, and
 * Readability's retries parse the page again from its HTML: text of 40,000 `&lt;` took 7 s
 * and grew faster than the text. The articles of the Readability suite have at most 5,000
 * references; a page with four times that is not an article, and is left to the others.
 */
const MAX_ENTITIES = 20_000;

function tooManyEntities(html: string): boolean {
  let n = 0;
  for (let i = html.indexOf('&'); i !== -1; i = html.indexOf('&', i + 1)) if (++n > MAX_ENTITIES) return true;
  return false;
}

/**
 * Mozilla Readability on a linkedom DOM (STACK §2: same output as jsdom, 15× faster).
 * Readability mutates the document it is given, so every call parses its own. linkedom
 * leaves `baseURI` null, so relative URLs would stay relative: a `<base href>` pointing at
 * the page fixes that (an existing `<base>` keeps precedence, as in a browser).
 * `firstPassOnly`: undefined unless Readability's first pass found the article (the input
 * lacks what that pass removes itself: `withoutNonText`'s `unlikely`).
 */
export function readabilityExtract(
  html: string,
  pageUrl: string,
  options: { firstPassOnly?: boolean } = {},
): ReadabilityResult | undefined {
  const input = html.length > MAX_INPUT ? html.slice(0, MAX_INPUT) : html;
  if (tooManyEntities(input)) return undefined;
  const { document } = parseHTML(asDocument(input));
  // linkedom makes a text node of each run between entities: text full of `&lt;` became
  // hundreds of thousands of nodes, each walked again and again by Readability. One per run.
  document.documentElement?.normalize();
  const head = document.head ?? document.documentElement;
  if (head && !document.querySelector('base[href]')) {
    const base = document.createElement('base');
    base.setAttribute('href', pageUrl);
    head.insertBefore(base, head.firstChild);
  }
  // linkedom's Document is structurally a DOM Document; Readability reads only standard members.
  const reader = new Readability(document as unknown as Document);
  const article = reader.parse();
  // Readability records each pass that found too little text (0.6's `_attempts`); a page it
  // was given without its unlikely candidates must not be judged by a later pass.
  if (options.firstPassOnly && !firstPassSucceeded(reader)) return undefined;
  const text = article?.textContent?.trim() ?? '';
  if (!article?.content || text === '') return undefined;
  return {
    html: article.content,
    text,
    title: article.title ?? undefined,
    byline: article.byline ?? undefined,
    published: article.publishedTime ?? undefined,
    lang: article.lang ?? undefined,
  };
}

function firstPassSucceeded(reader: Readability): boolean {
  const attempts = (reader as unknown as { _attempts?: unknown })._attempts;
  return Array.isArray(attempts) && attempts.length === 0;
}

/**
 * linkedom puts nodes that are not inside `<body>` out of `document.body`'s reach: give them one.
 * Found with searches that each look at a character once: the regexes this replaces
 * (`<head[\s>][\s\S]*?<\/head\s*>` and friends) rescanned the rest of the page from every
 * `<head`, which took 53 s on a 960 KB page without `<body>` (issue 17.3).
 */
function asDocument(html: string): string {
  if (/<body[\s>]/i.test(html)) return html;
  let head = '<head></head>';
  let rest = html;
  const open = /<head[\s>]/i.exec(html);
  if (open) {
    const close = /<\/head\s*>/gi;
    close.lastIndex = open.index + open[0].length;
    const end = close.exec(html);
    if (end) {
      head = html.slice(open.index, end.index + end[0].length);
      rest = html.slice(0, open.index) + html.slice(end.index + end[0].length);
    }
  }
  return `<!DOCTYPE html><html>${head}<body>${withoutTags(withoutTags(rest, /<!doctype/gi, 1), /<\/?html/gi)}</body></html>`;
}

/**
 * `text` without the tags that start with `start` (up to the next `>`), at most `limit` of
 * them. Once no `>` follows a start, none follows a later one either: the search stops.
 */
function withoutTags(text: string, start: RegExp, limit = Number.POSITIVE_INFINITY): string {
  let out = '';
  let from = 0;
  start.lastIndex = 0;
  for (let n = 0; n < limit; n++) {
    const m = start.exec(text);
    if (!m) break;
    const end = text.indexOf('>', m.index + m[0].length);
    if (end === -1) break;
    out += text.slice(from, m.index);
    from = end + 1;
    start.lastIndex = from;
  }
  return out + text.slice(from);
}
