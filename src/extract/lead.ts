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
export function missingLead(
  $: CheerioAPI,
  described: readonly string[],
  bodyText: string,
  headings: readonly Element[],
): string | undefined {
  // Compared without any white space (U+3000 included): the page, the body's text and the
  // description space their words differently.
  const prefixes = described
    .map((d) => bare(d.replace(/(?:\.\.\.|…)$/u, '')).slice(0, PREFIX))
    .filter((p) => p.length >= MIN_PREFIX);
  if (prefixes.length === 0) return undefined;
  const body = bare(bodyText);
  if (prefixes.some((p) => body.includes(p))) return undefined;
  const h1 = headings.find((h) => collapseText($(h).text()) !== '');
  if (h1 === undefined) return undefined;
  let box: AnyNode = h1;
  for (let up = 0; up < 4 && box.parent?.type === 'tag' && !PAGE.has((box.parent as Element).tagName); up++)
    box = box.parent;
  if (box === h1) return undefined;
  // The innermost element that shows the description: its text is the lead. One descent from
  // the headline's container, into the child that holds the description, costs a few text reads
  // (testing every element against its descendants cost 8 ms a page on the bench's pages).
  const shows = (el: Element) => {
    const text = $(el).text();
    const squeezed = bare(text);
    return prefixes.some((p) => squeezed.includes(p)) ? collapseText(text) : undefined;
  };
  let at = box as Element;
  let lead = shows(at);
  if (lead === undefined) return undefined;
  for (;;) {
    let deeper: Element | undefined;
    for (const kid of at.children) {
      if (kid.type !== 'tag' || kid === h1) continue;
      const text = shows(kid as Element);
      if (text !== undefined) {
        deeper = kid as Element;
        lead = text;
        break;
      }
    }
    if (deeper === undefined) break;
    at = deeper;
  }
  return at === box || lead.length > MAX_LEAD ? undefined : lead;
}

const bare = (text: string) => text.replace(/\s+/gu, '');

/** Characters of the description compared: meta descriptions are often cut short. */
const PREFIX = 60;
const MIN_PREFIX = 30;
const MAX_LEAD = 1000;
const PAGE = new Set(['body', 'html']);

/**
 * The page's descriptions of itself (the first `<meta name="description">`, `property=
 * "og:description"` and `name="twitter:description"`), from its `<meta>` elements, read before
 * they are stripped.
 */
export function pageDescriptions(metas: readonly Element[]): string[] {
  return DESCRIPTIONS.map(([attr, value]) =>
    collapseText(metas.find((m) => m.attribs[attr] === value)?.attribs.content ?? ''),
  ).filter((d) => d !== '');
}

const DESCRIPTIONS: readonly (readonly [string, string])[] = [
  ['name', 'description'],
  ['property', 'og:description'],
  ['name', 'twitter:description'],
];

/** The lead as the paragraph that goes before the body. */
export function leadParagraph(text: string): string {
  return `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`;
}
