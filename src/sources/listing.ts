import { type CheerioAPI, load } from 'cheerio';
import { MirrorError } from '../errors.js';
import type { FeedItem } from '../types.js';
import { createDateParser } from './dates.js';
import { capText, LIMITS } from './limits.js';
import { capNesting } from './nesting.js';
import { absoluteHttpUrl, collapse, withoutFragment } from './text.js';

export interface ListingSelectors {
  /** One entry of the list. */
  item: string;
  /** The link inside an entry; `:self` when the entry is the `<a>` itself. */
  link: string;
  /** The title inside an entry (default: the link's text). */
  title?: string | undefined;
  /** The date inside an entry (its `datetime` attribute if it has one, else its text). */
  date?: string | undefined;
}

/**
 * Reads the entries of an HTML listing page with the channel's CSS selectors. Links are
 * resolved against the page (and its `<base href>`); the first entry for a URL wins, as
 * listing pages repeat headlines (a lead story also in the list, a "most read" box).
 */
export function parseListing(html: string, pageUrl: string, sel: ListingSelectors, timezone: string): FeedItem[] {
  // htmlparser2 mode is ~4× faster than parse5; decoding entities is safe as we only read text.
  const $ = load(capNesting(html), { xml: { xmlMode: false, decodeEntities: true } });
  checkSelectors($, sel);
  const base = absoluteHttpUrl($('base[href]').first().attr('href'), pageUrl) ?? pageUrl;
  const parseDate = createDateParser(timezone);
  const items: FeedItem[] = [];
  const seen = new Set<string>();
  for (const node of $(sel.item).toArray()) {
    const entry = $(node);
    const found = sel.link === ':self' ? entry : entry.find(sel.link).first();
    // An entry that is itself the <a> with the default `link: a` finds nothing inside: use it.
    const link = found.length === 0 && entry.is('a[href]') ? entry : found;
    // `#comments`-style links point at the same article as the headline next to them.
    const url = withoutFragment(absoluteHttpUrl(link.attr('href'), base));
    if (!url || seen.has(url)) continue;
    const titleEl = sel.title ? entry.find(sel.title).first() : link;
    // An image link has no text; its title or alt attribute names it.
    const title = capText(
      collapse(titleEl.text()) ||
        collapse(titleEl.attr('title') ?? '') ||
        collapse(titleEl.find('img[alt]').attr('alt') ?? ''),
      LIMITS.title,
    );
    if (title === '') continue;
    seen.add(url);
    const date = sel.date ? entry.find(sel.date).first() : undefined;
    items.push({
      url,
      title,
      published: date?.length ? parseDate(date.attr('datetime') ?? collapse(date.text())) : undefined,
    });
  }
  return items;
}

/** Fails on the first invalid selector with a message that names it (css-select's does not). */
function checkSelectors($: CheerioAPI, sel: ListingSelectors): void {
  const all: [string, string | undefined][] = [
    ['item', sel.item],
    ['link', sel.link === ':self' ? undefined : sel.link],
    ['title', sel.title],
    ['date', sel.date],
  ];
  for (const [what, selector] of all) {
    if (selector === undefined) continue;
    try {
      $.root().find(selector);
    } catch (err) {
      throw new MirrorError('ListingParse', `invalid ${what} selector "${selector}"`, {
        cause: err,
        hint: 'fix the CSS selector under `listing:` in the config',
      });
    }
  }
}
