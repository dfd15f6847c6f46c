import type { CheerioAPI } from 'cheerio';
import { hanCount } from './density.js';
import { collapseText, loadFragment } from './dom.js';
import { shared, wordsOf } from './headline.js';

export { LOW_CONFIDENCE } from '../quality.js';

/**
 * How sure the generic extractor can be that it found the article, from 0 to 1 (two decimals).
 * A site rule's or a complete feed's body is what its author chose: 1. For the fallback, three
 * signals, each from 0 to 1:
 *
 * - **length**: characters of body text over 500, a Han character counting twice (it carries
 *   about a word). A body of 250 characters is at the bar: teasers, paywall notices and
 *   login messages are shorter;
 * - **headline**: the share of the headline in the body, over one half (a share of a half or more
 *   is 1). Latin titles: words of four letters or more, when the title has two; Chinese titles:
 *   pairs of consecutive Han characters (other characters skipped). A title with nothing to count gives 1 (no evidence);
 * - **links**: 1 while links are at most 30 % of the text, falling to 0 at 70 % (a list of
 *   other stories, a menu).
 *
 * The confidence is the weaker of length and links, times (0.5 + headline / 2): many pages title
 * themselves with the site's name or a teaser line, so a body that shares nothing with the title
 * is not flagged for that alone (it is halved, to the bar); a short body, a list of links, or a
 * short-ish body about something else is. On the 330 open-web pages of the conformance suite,
 * 3 % are flagged.
 */
export function extractionConfidence(input: {
  extractor: 'rule' | 'feed' | 'readability' | 'density';
  title: string | undefined;
  /** The body, or its tree (the pruned one the extractor has) with `lead`, the standfirst put before it. */
  html: string | CheerioAPI;
  lead?: string | undefined;
}): number {
  if (input.extractor === 'rule' || input.extractor === 'feed') return 1;
  const $ = typeof input.html === 'string' ? loadFragment(input.html) : input.html;
  const text = collapseText((input.lead ?? '') + $.root().text());
  const links = collapseText($('a').text()).length;
  const weighted = text.length + hanCount(text);
  const length = Math.min(1, weighted / 500);
  const headline = Math.min(1, headlineShare(input.title ?? '', text) / 0.5);
  const density = text.length === 0 ? 1 : links / text.length;
  const linkScore = Math.max(0, Math.min(1, (0.7 - density) / 0.4));
  return Math.round(Math.min(length, linkScore) * (0.5 + headline / 2) * 100) / 100;
}

/** The share of the title found in the text (1 when the title has nothing to count). */
function headlineShare(title: string, text: string): number {
  if (hanCount(title) >= 2) {
    const pairs = new Set<string>();
    const han = [...title].filter((c) => hanCount(c) === 1);
    for (let i = 0; i + 1 < han.length; i++) pairs.add(`${han[i]}${han[i + 1]}`);
    if (pairs.size === 0) return 1;
    let found = 0;
    for (const p of pairs) if (text.includes(p)) found++;
    return found / pairs.size;
  }
  const words = wordsOf(title);
  return words.size < 2 ? 1 : shared(words, text) / words.size;
}
