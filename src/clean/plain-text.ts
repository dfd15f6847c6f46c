import type { AnyNode, Element } from '../extract/dom.js';
import { loadFragment } from '../extract/dom.js';
import { isCjk } from './text.js';

/**
 * The plain text of a cleaned article body: what `extract --json` prints as `text`, what feed
 * summaries and page descriptions start from, and what the conformance suite scores.
 *
 * - paragraphs, headings, quotes, figures and tables are blocks, separated by a blank line;
 * - list items, definition terms and descriptions, table rows, captions and `<br>` start a line;
 * - table cells are separated by a tab, so `1 | Kyle Busch | 50` stays three cells;
 * - figure captions are left out unless `captions` is set: the text is the article's own words,
 *   and a caption is a label on an image that a plain-text reader does not have (a feed summary
 *   that opens with "Photo: agency" says nothing; on the 330 open-web pages of the conformance
 *   suite, 19 of the snippets annotated as not article text were captions or credits, 3 that are
 *   were). With `captions`, a caption's credit (`<small>`, `<cite>` at its end) stays apart from
 *   the caption, on its own line;
 * - inside `<pre>` the text is kept as written; elsewhere runs of ASCII whitespace become one
 *   space, and a line break between two CJK characters (a pretty-printer's, not a word space) goes.
 *
 * Scripts and styles are never text (the cleaned body has none; a body from elsewhere may).
 */
export function articleText(html: string, options: { captions?: boolean } = {}): string {
  const $ = loadFragment(html);
  const out = new TextBuilder();
  walk($.root().toArray()[0]?.children ?? [], out, false, options.captions === true);
  return out.done();
}

/** One line: `articleText` with every break collapsed to a space (summaries, descriptions). */
export function articleLine(html: string, options: { captions?: boolean } = {}): string {
  return articleText(html, options)
    .split('\n')
    .map(trimAscii)
    .filter((line) => line !== '')
    .join(' ');
}

const isAsciiSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/**
 * `text` without ASCII whitespace at either end, trimmed by index: U+3000 and U+00A0 are
 * content, and an anchored whitespace regex rescans every run inside the text.
 */
function trimAscii(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isAsciiSpace(text[start])) start++;
  while (end > start && isAsciiSpace(text[end - 1])) end--;
  return text.slice(start, end);
}

const BLOCK = new Set(
  'p div section article main header footer aside nav h1 h2 h3 h4 h5 h6 blockquote pre figure table ul ol dl hr address details summary center form fieldset'.split(
    ' ',
  ),
);
const LINE = new Set('li dt dd tr caption figcaption thead tbody tfoot legend option'.split(' '));
const CELL = new Set(['td', 'th']);
const SKIP = new Set('script style template noscript head title iframe object embed svg math select button'.split(' '));

function walk(nodes: readonly AnyNode[], out: TextBuilder, pre: boolean, captions: boolean): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      out.text((node as unknown as { data: string }).data, pre);
      continue;
    }
    if (node.type !== 'tag') continue;
    const el = node as Element;
    const tag = el.tagName;
    if (SKIP.has(tag)) continue;
    if (tag === 'br') {
      out.line();
      continue;
    }
    if (tag === 'img') continue;
    if (CELL.has(tag)) {
      out.cell();
      walk(el.children, out, pre, captions);
      continue;
    }
    if (tag === 'figcaption' && !captions) continue;
    const block = BLOCK.has(tag);
    const line = LINE.has(tag);
    if (block) out.block();
    else if (line) out.line();
    if (tag === 'tr') out.row();
    if (tag === 'figcaption') {
      caption(el, out, pre);
    } else {
      walk(el.children, out, pre || tag === 'pre', captions);
    }
    if (block) out.block();
    else if (line) out.line();
  }
}

/** A caption, with a trailing credit (`<small>`, `<cite>`, or "Credit:/Photo:/Foto:/图：…") on a line of its own. */
function caption(el: Element, out: TextBuilder, pre: boolean): void {
  const kids = el.children.filter((k) => !(k.type === 'text' && (k as unknown as { data: string }).data.trim() === ''));
  const last = kids.at(-1);
  if (kids.length > 1 && last?.type === 'tag' && ['small', 'cite'].includes((last as Element).tagName)) {
    walk(kids.slice(0, -1), out, pre, true);
    out.line();
    walk([last], out, pre, true);
    return;
  }
  walk(el.children, out, pre, true);
}

/**
 * Text assembled with pending separators: a separator is written only when text follows it,
 * and the strongest pending one wins (a blank line over a line break over a cell's tab), so
 * nested blocks never stack empty lines.
 */
class TextBuilder {
  private readonly parts: string[] = [];
  /** 0 nothing, 1 space, 2 tab, 3 line, 4 blank line. */
  private pending = 0;
  private atRowStart = false;
  private lastChar = '';

  text(data: string, pre: boolean): void {
    if (pre) {
      if (data === '') return;
      this.flush(data[0]);
      this.parts.push(data);
      this.lastChar = data.at(-1) ?? '';
      return;
    }
    // Runs of ASCII whitespace are one space; U+00A0 and U+3000 are content.
    const pieces = data.split(/([ \t\n\r\f]+)/);
    for (const piece of pieces) {
      if (piece === '') continue;
      if (/^[ \t\n\r\f]+$/.test(piece)) {
        // A line break between two CJK characters is no space: decided when the next text comes.
        if (this.pending < 1) this.pending = /[\n\r]/.test(piece) ? -1 : 1;
        continue;
      }
      this.flush(piece[0]);
      this.parts.push(piece);
      this.lastChar = piece.at(-1) ?? '';
    }
  }

  block(): void {
    this.pending = 4;
    this.atRowStart = false;
  }

  line(): void {
    if (this.pending < 3) this.pending = 3;
    this.atRowStart = false;
  }

  row(): void {
    this.atRowStart = true;
  }

  cell(): void {
    if (this.atRowStart) {
      // The first cell of a row follows the row's line break, not a tab.
      this.atRowStart = false;
      return;
    }
    if (this.pending < 2) this.pending = 2;
  }

  private flush(next: string | undefined): void {
    if (this.parts.length > 0) {
      if (this.pending === 4) this.parts.push('\n\n');
      else if (this.pending === 3) this.parts.push('\n');
      else if (this.pending === 2) this.parts.push('\t');
      else if (this.pending === 1) this.parts.push(' ');
      else if (this.pending === -1 && !(isCjk(this.lastChar) && isCjk(next))) this.parts.push(' ');
    }
    this.pending = 0;
    this.atRowStart = false;
  }

  /** Separators are only written between two texts, so only a `<pre>` can leave spacing at either end. */
  done(): string {
    return trimAscii(this.parts.join(''));
  }
}
