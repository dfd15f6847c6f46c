import type { CheerioAPI } from 'cheerio';
import { type AnyNode, collapseText, type Element } from './dom.js';

/**
 * A Chinese-aware article finder, used beside Readability on pages written in Chinese.
 *
 * Readability scores a paragraph by its commas (`,` and `，`) and by its length in steps of
 * 100 characters: numbers tuned for languages with spaces. Chinese packs a sentence into
 * 20–40 characters, separates clauses with `，、；` and ends them with `。！？`, so a short but
 * complete Chinese paragraph scores like an English caption, and a block of Latin boilerplate
 * (a "your browser does not support Chinese" notice in three languages) can outscore a short
 * article. Here, per paragraph:
 *
 *   score = (1 + clause marks + min(3, ⌊Han characters / 40⌋ + ⌊other characters / 100⌋)) × (1 − link density)
 *
 * with `，。、；！？：` (and their ASCII forms) as clause marks, characters counted rather than
 * words, and paragraphs of fewer than 10 Han / 25 other characters, or mostly Latin text, ignored. A paragraph's score
 * goes to its parent in full and to its grandparent in half, as in Readability; the container
 * with the highest score, discounted by its own link density, is the article.
 */
export interface DensityResult {
  html: string;
  text: string;
  score: number;
}

/** Clause and sentence marks, full-width and ASCII. */
const CLAUSE_MARKS = /[，。、；！？：,;!?]/g;
const NOT_HAN = /\P{Script=Han}+/gu;
const NOT_LATIN = /[^A-Za-z]+/g;
/** Elements whose text is a paragraph when they hold no block of their own. */
const TEXT_BLOCKS = new Set(['p', 'pre', 'td', 'blockquote', 'li', 'div', 'section', 'article', 'dd']);
const BLOCKS = 'p, div, section, article, table, ul, ol, dl, blockquote, pre, h1, h2, h3, h4, h5, h6, figure';
/** Containers that are never the article. */
const NEVER = new Set(['nav', 'header', 'footer', 'aside', 'form', 'button', 'select', 'noscript', 'template']);
const FURNITURE =
  /(?:^|[-_\s])(?:nav|menu|header|footer|sidebar|side|comments?|share|social|related|recommend\w*|hot|rank\w*|breadcrumbs?|copyright|ad|ads|advert\w*|banner|login|search)(?:$|[-_\s])/i;

export function hanCount(text: string): number {
  // The Han characters themselves, then counted as code points (a few lie outside the BMP):
  // one string allocated, where `match` would build an array of one-character strings.
  const han = text.replace(NOT_HAN, '');
  let n = han.length;
  for (let i = 0; i < han.length; i++) {
    const c = han.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

/** Share of Han characters among the letters of a text: how Chinese a page is. */
export function hanRatio(text: string): number {
  const han = hanCount(text);
  const latin = text.replace(NOT_LATIN, '').length;
  return han + latin === 0 ? 0 : han / (han + latin);
}

function linkDensity($: CheerioAPI, el: Element, textLength: number): number {
  if (textLength === 0) return 0;
  const links = collapseText($(el).find('a').text()).length;
  return Math.min(1, links / textLength);
}

/** The score of one paragraph's text (see the module comment). */
export function paragraphScore(text: string): number {
  const han = hanCount(text);
  const other = text.length - han;
  if (han < 10 && text.length < 25) return 0;
  // This scorer looks for the Chinese article: Latin blocks (notices, English boilerplate) do not count.
  if (hanRatio(text) < 0.3) return 0;
  const marks = (text.match(CLAUSE_MARKS) ?? []).length;
  return 1 + marks + Math.min(3, Math.floor(han / 40) + Math.floor(other / 100));
}

function isFurniture(el: Element): boolean {
  if (NEVER.has(el.tagName)) return true;
  const attrs = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`.replace(/([a-z0-9])([A-Z])/g, '$1-$2');
  return FURNITURE.test(attrs);
}

/** Inside furniture: every ancestor is checked, so a paragraph in a sidebar never counts. */
function inFurniture(el: Element): boolean {
  for (let p: AnyNode | null = el; p && p.type === 'tag'; p = p.parent) if (isFurniture(p as Element)) return true;
  return false;
}

/**
 * The best article container of a parsed page (scripts and styles already removed), or
 * undefined when no container scores at least `minScore`. `$` is only read.
 */
export function densityExtract($: CheerioAPI, minScore = 5): DensityResult | undefined {
  const scores = new Map<Element, number>();
  for (const el of $(BLOCKS).toArray() as Element[]) {
    if (!TEXT_BLOCKS.has(el.tagName)) continue;
    // A div with blocks inside is a container, scored through its children.
    if (el.tagName !== 'p' && el.tagName !== 'pre' && $(el).children(BLOCKS).length > 0) continue;
    const text = collapseText($(el).text());
    const base = paragraphScore(text);
    if (base === 0 || inFurniture(el)) continue;
    const score = base * (1 - linkDensity($, el, text.length));
    const parent = el.parent?.type === 'tag' ? (el.parent as Element) : undefined;
    if (!parent) continue;
    scores.set(parent, (scores.get(parent) ?? 0) + score);
    const grand = parent.parent?.type === 'tag' ? (parent.parent as Element) : undefined;
    if (grand) scores.set(grand, (scores.get(grand) ?? 0) + score / 2);
  }
  let best: Element | undefined;
  let bestScore = 0;
  for (const [el, raw] of scores) {
    if (el.tagName === 'body' || el.tagName === 'html') continue;
    const text = collapseText($(el).text());
    const score = raw * (1 - linkDensity($, el, text.length));
    if (score > bestScore) {
      best = el;
      bestScore = score;
    }
  }
  if (best === undefined || bestScore < minScore) return undefined;
  return { html: $(best).html() ?? '', text: collapseText($(best).text()), score: bestScore };
}
