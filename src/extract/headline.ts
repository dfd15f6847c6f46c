import type { CheerioAPI } from 'cheerio';
import { hanCount } from './density.js';
import { type AnyNode, collapseText, type Element } from './dom.js';
import { type ReadabilityResult, readabilityExtract } from './readability.js';

/**
 * A second opinion for pages where Readability settled on a block that is not about the
 * article: a login form's messages, the next story in an endless-scroll page, a product
 * carousel. The signal is the title: an article's text uses the words of its headline, and a
 * block that shares under a quarter of them (with a headline of at least two words) is suspect. Then the
 * page's `<h1>` that states the title marks where the article is: Readability runs again on
 * the smallest container around that heading with enough text to be an article, and its
 * answer is taken when it shares more of the headline.
 *
 * Latin-script titles only: a Chinese headline has no word breaks to count, and Chinese pages
 * have their own second opinion (`density.ts`).
 */
export function headlineCandidate(
  $: CheerioAPI,
  title: string | undefined,
  current: ReadabilityResult | undefined,
  base: string,
): ReadabilityResult | undefined {
  if (!title || hanCount(title) > 0) return undefined;
  const words = wordsOf(title);
  if (words.size < 2) return undefined;
  const before = current ? shared(words, current.text) / words.size : 0;
  if (before >= 0.25) return undefined;
  let heading: Element | undefined;
  let best = 0;
  for (const h of $('h1').toArray() as Element[]) {
    const share = shared(words, $(h).text()) / words.size;
    if (share > best) {
      best = share;
      heading = h;
    }
  }
  if (heading === undefined || best < 0.5) return undefined;
  let box: AnyNode = heading;
  while (box.parent?.type === 'tag' && collapseText($(box).text()).length < MIN_ARTICLE) box = box.parent;
  const tag = (box as Element).tagName;
  if (tag === 'body' || tag === 'html') return undefined;
  const alt = readabilityExtract(`<!DOCTYPE html><html><head></head><body>${$.html(box)}</body></html>`, base);
  if (!alt || alt.text.length < 300 || shared(words, alt.text) / words.size < before) return undefined;
  return alt;
}

/** Characters of text around the headline that make a container big enough to hold an article. */
const MIN_ARTICLE = 1500;

/** Words of four letters or more, lower-cased: short words are shared by any two texts. */
export function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/\p{L}{4,}/gu) ?? []);
}

/**
 * How many of `words` (from `wordsOf`) are words of `text`: found in the lower-cased text with no
 * letter on either side. Each word is looked up in the text, rather than the text split into a set
 * of its words: a headline has a few words, and a body thousands.
 */
export function shared(words: ReadonlySet<string>, text: string): number {
  const lower = text.toLowerCase();
  let n = 0;
  for (const w of words) if (holdsWord(lower, w)) n++;
  return n;
}

const LETTER = /\p{L}/u;

function holdsWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const end = at + word.length;
    const before = at === 0 ? '' : String.fromCodePoint(codePointBefore(text, at));
    const after = end >= text.length ? '' : String.fromCodePoint(text.codePointAt(end) as number);
    if (!LETTER.test(before) && !LETTER.test(after)) return true;
  }
  return false;
}

/** The code point that ends just before index `at` (a surrogate pair read as one). */
function codePointBefore(text: string, at: number): number {
  const low = text.charCodeAt(at - 1);
  if (low >= 0xdc00 && low <= 0xdfff && at >= 2) {
    const high = text.charCodeAt(at - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(at - 2) as number;
  }
  return low;
}
