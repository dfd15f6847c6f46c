import { loadFragment } from './dom.js';

/**
 * Extraction quality as character-bigram F1 between two texts, after normalising whitespace:
 * runs collapse to one space, and a space next to a CJK character is dropped (pretty-printed
 * HTML puts line breaks between Chinese words that no reader sees).
 * Bigrams of characters (not words) so that Chinese, which has no spaces, scores as fairly
 * as English. Counts are a multiset: a bigram that occurs twice must be found twice.
 * 1 for identical texts, 0 when nothing overlaps.
 */
export function bigramF1(candidate: string, reference: string): number {
  const a = bigrams(normalise(candidate));
  const b = bigrams(normalise(reference));
  if (a.total === 0 && b.total === 0) return 1;
  if (a.total === 0 || b.total === 0) return 0;
  let overlap = 0;
  for (const [g, n] of a.counts) overlap += Math.min(n, b.counts.get(g) ?? 0);
  if (overlap === 0) return 0;
  const precision = overlap / a.total;
  const recall = overlap / b.total;
  return (2 * precision * recall) / (precision + recall);
}

/** Text of an HTML fragment, with a space at every block boundary so words do not run together. */
export function htmlText(html: string): string {
  const $ = loadFragment(html);
  $('script, style, template, noscript').remove();
  $('p, div, br, li, tr, td, th, h1, h2, h3, h4, h5, h6, blockquote, figure, figcaption, pre, section, article').each(
    (_, el) => {
      $(el).prepend(' ').append(' ');
    },
  );
  return normalise($.root().text());
}

const CJK = '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3000-\\u303f\\uff00-\\uffef]';
const SPACE_BY_CJK = new RegExp(`(?<=${CJK}) | (?=${CJK})`, 'gu');

function normalise(text: string): string {
  return text.replace(/\s+/gu, ' ').trim().replace(SPACE_BY_CJK, '');
}

function bigrams(text: string): { counts: Map<string, number>; total: number } {
  const chars = Array.from(text);
  const counts = new Map<string, number>();
  // A one-character text has no bigram; let the character stand for itself.
  const grams = chars.length === 1 ? chars : chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
  for (const g of grams) counts.set(g, (counts.get(g) ?? 0) + 1);
  return { counts, total: grams.length };
}
