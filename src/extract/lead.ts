import type { CheerioAPI } from 'cheerio';
import { type AnyNode, collapseText, type Element } from './dom.js';

/**
 * The standfirst the generic extractor left behind. News and blog pages put a lead paragraph
 * under the headline, in the page's header rather than in the body's container, and Readability
 * keeps only the container: the first sentences of the article went missing. The page says which
 * text is its lead: the description in its meta tags. When that description is shown on the
 * page near the `<h1>` (inside the headline's container, at most four levels up, below `<body>`) and the body
 * does not hold it, the element that shows it is the lead, and its text goes before the body.
 *
 * A site-wide description (the same words on every page, "News and insights from …") is not
 * shown next to an article's headline, so it is not taken.
 */
export function missingLead($: CheerioAPI, described: readonly string[], bodyText: string): string | undefined {
  const prefixes = described
    .map((d) => d.replace(/(?:\.\.\.|…)$/u, '').slice(0, PREFIX))
    .filter((p) => p.length >= MIN_PREFIX);
  if (prefixes.length === 0) return undefined;
  const body = collapseText(bodyText);
  if (prefixes.some((p) => body.includes(p))) return undefined;
  const h1 = ($('h1').toArray() as Element[]).find((h) => collapseText($(h).text()) !== '');
  if (h1 === undefined) return undefined;
  let box: AnyNode = h1;
  for (let up = 0; up < 4 && box.parent?.type === 'tag' && !PAGE.has((box.parent as Element).tagName); up++)
    box = box.parent;
  if (box === h1) return undefined;
  // The smallest element that shows the description: its own text is the lead.
  let lead: string | undefined;
  for (const el of $(box).find(SHOWS).toArray() as Element[]) {
    if (el === h1 || $(el).find(SHOWS).length > 0) continue;
    const text = collapseText($(el).text());
    if (text.length <= MAX_LEAD && prefixes.some((p) => text.includes(p))) {
      lead = text;
      break;
    }
  }
  return lead;
}

/** Characters of the description compared: meta descriptions are often cut short. */
const PREFIX = 60;
const MIN_PREFIX = 30;
const MAX_LEAD = 1000;
const PAGE = new Set(['body', 'html']);
const SHOWS = 'p, h2, h3, div, span, li, section, strong';

/** The page's descriptions of itself, read before its `<meta>` elements are stripped. */
export function pageDescriptions($: CheerioAPI): string[] {
  return ['meta[name="description"]', 'meta[property="og:description"]', 'meta[name="twitter:description"]']
    .map((sel) => collapseText($(sel).attr('content') ?? ''))
    .filter((d) => d !== '');
}

/** The lead as the paragraph that goes before the body. */
export function leadParagraph(text: string): string {
  return `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`;
}
