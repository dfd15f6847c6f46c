/**
 * GitHub-flavoured Markdown from a cleaned article tree (issue 13.1: the Markdown comes from the
 * tree the renderer already parsed, not from a second parse of its HTML by another DOM).
 *
 * The output is the one the mirror has always published (turndown 7 with the GFM plugin and our
 * rules, which this replaces): ATX headings, `-` bullets, fenced code, `*` and `**` emphasis,
 * inline links, figures as one-line HTML blocks, pipe tables (a table holding lists, headings,
 * rules or quotes stays HTML; a table inside a table, or of one cell, is read cell by cell), and
 * text escaped so that it cannot form Markdown or HTML syntax.
 *
 * Two passes over the tree: white space is collapsed as a browser would lay it out (runs of
 * spaces become one, spaces at the edges of blocks go, `<pre>` is left alone), then each node
 * becomes text, blocks separated by at most one blank line.
 */
import type { AnyNode, Element, Text } from '../extract/dom.js';

/** Elements laid out as blocks (HTML's block-level elements, as the converter always counted them). */
const BLOCK = new Set(
  (
    'address article aside audio blockquote body canvas center dd dir div dl dt fieldset figcaption figure ' +
    'footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html isindex li main menu nav noframes noscript ' +
    'ol output p pre section table tbody td tfoot th thead tr ul'
  ).split(' '),
);
/** Elements without content. */
const VOID = new Set('area base br col command embed hr img input keygen link meta param source track wbr'.split(' '));
/** Elements that mean something even with no text (a link, a table cell). */
const MEANINGFUL_BLANK = new Set('a table thead tbody tfoot th td iframe script audio video'.split(' '));
/** Elements whose neighbours are a line or block edge, for the emphasis test (`neighbour`). */
export const EDGE = new Set(
  (
    'address article aside blockquote body caption dd details div dl dt figcaption figure footer h1 h2 h3 h4 ' +
    'h5 h6 header hr li main ol p pre section summary table tbody td tfoot th thead tr ul br'
  ).split(' '),
);

const isElement = (n: AnyNode | null | undefined): n is Element =>
  n != null && (n.type === 'tag' || n.type === 'script' || n.type === 'style');
const isText = (n: AnyNode | null | undefined): n is Text => n != null && n.type === 'text';
const nameOf = (n: AnyNode | null | undefined): string => (isElement(n) ? n.name : '');

/**
 * Whether a block element sits inside an inline one (`<strong><p>…</p></strong>`, `<a><div>`):
 * markup a browser rebuilds with its adoption rules, which this converter does not repeat.
 */
function blockInInline(node: Element, inInline: boolean): boolean {
  for (const kid of node.children) {
    if (!isElement(kid)) continue;
    const block = BLOCK.has(kid.name);
    if (block && inInline) return true;
    if (blockInInline(kid, inInline || !block)) return true;
  }
  return false;
}

/**
 * The body's Markdown, or undefined when a block sits inside an inline element (see
 * `blockInInline`: the caller converts that body another way). `root` is the cleaned body's document node (cheerio's `$.root()[0]`), whose
 * tree this changes (rows put in table bodies, white space collapsed, comments removed): pass a
 * tree of your own.
 */
export function treeToMarkdown(root: AnyNode): string | undefined {
  if (!('children' in root)) return '';
  if (blockInInline(root as Element, false)) return undefined;
  asParsed(root as Element);
  collapseWhitespace(root as Element);
  const md = new Converter().children(root as Element);
  // Trailing white space of any kind goes (`trimEnd`: a regex ending in `\s+$` is quadratic on a long run).
  return md.replace(/^[\t\r\n]+/, '').trimEnd();
}

// ------------------------------------------------------------------------------- tree shape

/**
 * The tree as an HTML parser builds it from the body's HTML, where htmlparser2's differs (the
 * converter always read the body that way): adjacent texts are one text; cells directly in a table
 * section are in a row, and rows directly in a table in a `<tbody>` (a run per body), so the
 * header-row test and the table's rows read it as a browser has it; a heading that opens directly
 * inside a heading ends that one; line breaks are `\n` (a parser reads `\r\n` and `\r` so); the
 * newline that opens a `<pre>` is not content.
 */
function asParsed(node: Element): void {
  for (const kid of node.children) if (isElement(kid)) asParsed(kid);
  mergeTexts(node);
  for (const kid of node.children)
    if (isText(kid) && kid.data.includes('\r')) kid.data = kid.data.replace(/\r\n?/g, '\n');
  if (node.name === 'pre') {
    const first = node.children[0];
    if (isText(first) && first.data.startsWith('\n')) {
      first.data = first.data.slice(1);
      if (first.data === '') remove(first);
    }
  }
  if (node.name === 'thead' || node.name === 'tbody' || node.name === 'tfoot') wrapRuns(node, CELLS, 'tr');
  if (node.name === 'table') {
    wrapRuns(node, CELLS, 'tr');
    wrapRuns(node, ROWS, 'tbody');
  }
  for (let i = 0; i < node.children.length; i++) {
    const kid = node.children[i] as AnyNode;
    if (isElement(kid) && HEADINGS.has(kid.name)) splitHeading(kid);
  }
}

const CELLS = new Set(['td', 'th']);
const ROWS = new Set(['tr']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function mergeTexts(node: Element): void {
  if (!node.children.some((k, i) => isText(k) && isText(node.children[i + 1]))) return;
  const kids: AnyNode[] = [];
  for (const kid of node.children) {
    const last = kids[kids.length - 1];
    if (isText(kid) && isText(last)) last.data += kid.data;
    else kids.push(kid);
  }
  setChildren(node, kids);
}

/** Each run of children named in `names` put in a new element `wrapper`, as a parser implies one. */
function wrapRuns(node: Element, names: ReadonlySet<string>, wrapper: string): void {
  if (!node.children.some((k) => names.has(nameOf(k)))) return;
  const kids: AnyNode[] = [];
  const made: Element[] = [];
  let open: Element | undefined;
  for (const kid of node.children) {
    if (!names.has(nameOf(kid))) {
      kids.push(kid);
      if (isElement(kid)) open = undefined;
      continue;
    }
    if (open === undefined) {
      open = { type: 'tag', name: wrapper, attribs: {}, children: [], parent: node } as unknown as Element;
      made.push(open);
      kids.push(open);
    }
    open.children.push(kid as Element);
  }
  setChildren(node, kids);
  for (const m of made) setChildren(m, [...m.children]);
}

/** `<h4>a<h4>b</h4>c</h4>` is read `<h4>a</h4><h4>b</h4>c`: what follows the inner heading leaves the outer. */
function splitHeading(heading: Element): void {
  const at = heading.children.findIndex((k) => isElement(k) && HEADINGS.has(k.name));
  if (at === -1) return;
  const parent = heading.parent as Element;
  const moved = heading.children.slice(at);
  setChildren(heading, heading.children.slice(0, at));
  const siblings = [...parent.children];
  siblings.splice(siblings.indexOf(heading) + 1, 0, ...moved);
  setChildren(parent, siblings);
}

function setChildren(node: Element, kids: AnyNode[]): void {
  node.children = kids as Element['children'];
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i] as AnyNode;
    k.parent = node;
    k.prev = kids[i - 1] ?? null;
    k.next = kids[i + 1] ?? null;
  }
}

function remove(node: AnyNode): void {
  const parent = node.parent as Element | null;
  if (parent === null) return;
  setChildren(
    parent,
    parent.children.filter((k) => k !== node),
  );
}

/**
 * White space as laid out: in text, each run of ASCII white space becomes one space; a space that
 * follows a space or starts a block goes, and so does one that ends a block or comes before a
 * `<br>`; text left empty goes; `<pre>` is kept as written. An image or other void element keeps the
 * space after it. Comments go.
 */
function collapseWhitespace(root: Element): void {
  let prevText: Text | null = null;
  let keepLeadingSpace = false;
  const element = (el: Element) => {
    if (BLOCK.has(el.name) || el.name === 'br') {
      if (prevText) prevText.data = prevText.data.replace(/ $/, '');
      prevText = null;
      keepLeadingSpace = false;
    } else if (VOID.has(el.name) || el.name === 'pre') {
      prevText = null;
      keepLeadingSpace = true;
    } else if (prevText) {
      keepLeadingSpace = false;
    }
  };
  const walk = (node: Element) => {
    for (const kid of [...node.children]) {
      if (isText(kid)) {
        let text = kid.data.replace(/[ \r\n\t]+/g, ' ');
        if ((prevText === null || prevText.data.endsWith(' ')) && !keepLeadingSpace && text.startsWith(' '))
          text = text.slice(1);
        if (text === '') {
          remove(kid);
          continue;
        }
        kid.data = text;
        prevText = kid;
      } else if (isElement(kid)) {
        // An element is met on the way in and, when it has content, again on the way out.
        element(kid);
        if (kid.name === 'pre' || kid.children.length === 0) continue;
        walk(kid);
        element(kid);
      } else {
        remove(kid);
      }
    }
  };
  if (root.children.length > 0) walk(root);
  const last = prevText as Text | null;
  if (last) {
    last.data = last.data.replace(/ $/, '');
    if (last.data === '') remove(last);
  }
}

// ------------------------------------------------------------------------------- text

const texts = new WeakMap<AnyNode, string>();

/** A node's text (its descendants' text, in order), read once per node: the tree no longer changes. */
function textOf(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!isElement(node) && node.type !== 'root') return '';
  const known = texts.get(node);
  if (known !== undefined) return known;
  let t = '';
  for (const kid of (node as Element).children) t += textOf(kid);
  texts.set(node, t);
  return t;
}

function holds(el: Element, names: ReadonlySet<string>): boolean {
  for (const kid of el.children) if (isElement(kid) && (names.has(kid.name) || holds(kid, names))) return true;
  return false;
}

function attr(el: Element, name: string): string | null {
  return el.attribs[name] ?? null;
}

/** Markdown syntax in text escaped: what CommonMark would read as syntax, and HTML or entities GitHub would. */
const ESCAPES: readonly [RegExp, string][] = [
  [/\\/g, '\\\\'],
  [/\*/g, '\\*'],
  [/^-/g, '\\-'],
  [/^\+ /g, '\\+ '],
  [/^(=+)/g, '\\$1'],
  [/^(#{1,6}) /g, '\\$1 '],
  [/`/g, '\\`'],
  [/^~~~/g, '\\~~~'],
  [/\[/g, '\\['],
  [/\]/g, '\\]'],
  [/^>/g, '\\>'],
  [/_/g, '\\_'],
  [/^(\d+)\. /g, '$1\\. '],
  // `<` before a letter, `/`, `!` or `?` would start raw HTML or an autolink; `&name;` an entity;
  // `~` is strikethrough on GitHub (even single); `1) ` at the start an ordered list.
  [/<(?=[A-Za-z/!?])/g, '\\<'],
  [/&(?=#?[A-Za-z0-9]+;)/g, '&amp;'],
  [/~/g, '\\~'],
  [/^(\d{1,9})\) /, '$1\\) '],
];

/** Text escaped so that it cannot form Markdown or HTML syntax (`ESCAPES`, in order). */
export function escapeText(text: string): string {
  // Most text (all of most Chinese text) holds no character any escape starts from.
  if (!MAY_ESCAPE.test(text)) return text;
  let out = text;
  for (const [re, to] of ESCAPES) out = out.replace(re, to);
  return out;
}

/** A character some pattern of `ESCAPES` needs, anywhere or (`-+=#>` and digits) at the start. */
const MAY_ESCAPE = /[\\*`[\]_<&~]|^[-+=#>\d]/;

const trimLeadingNewlines = (s: string) => s.replace(/^\n*/, '');
function trimTrailingNewlines(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '\n') end--;
  return s.slice(0, end);
}

/** `a` followed by `b`, with the newlines where they meet merged: as many as the larger side has, at most two. */
function join(a: string, b: string): string {
  const a1 = trimTrailingNewlines(a);
  const b1 = trimLeadingNewlines(b);
  const newlines = Math.min(2, Math.max(a.length - a1.length, b.length - b1.length));
  return a1 + '\n'.repeat(newlines) + b1;
}

/** The white space at the edges of a text: ASCII white space, and other white space next to the text. */
function edges(text: string) {
  const m = /^(([ \t\r\n]*)(\s*))(?:(?=\S)[\s\S]*\S)?((\s*?)([ \t\r\n]*))$/.exec(text) as RegExpExecArray;
  return {
    leading: m[1] as string,
    leadingAscii: m[2] as string,
    leadingOther: m[3] as string,
    trailing: m[4] as string,
    trailingOther: m[5] as string,
    trailingAscii: m[6] as string,
  };
}

// ------------------------------------------------------------------------------- conversion

class Converter {
  /** The nodes inside `<code>`, whose text is not escaped. */
  private readonly code = new WeakSet<AnyNode>();

  children(parent: Element): string {
    let out = '';
    for (const kid of parent.children) {
      if (nameOf(kid) === 'code' || this.code.has(parent)) this.code.add(kid);
      if (isText(kid)) out = join(out, this.code.has(kid) ? kid.data : escapeText(kid.data));
      else if (isElement(kid)) out = join(out, this.element(kid));
    }
    return out;
  }

  private element(el: Element): string {
    const block = BLOCK.has(el.name);
    let leading = '';
    let trailing = '';
    if (!block) {
      const e = edges(textOf(el));
      leading = e.leadingAscii && flankedBySpace(el, 'left') ? e.leadingOther : e.leading;
      trailing = e.trailingAscii && flankedBySpace(el, 'right') ? e.trailingOther : e.trailing;
    }
    let content = this.children(el);
    if (leading || trailing) content = content.trim();
    return leading + this.replace(el, content, block) + trailing;
  }

  private replace(el: Element, content: string, block: boolean): string {
    if (isBlank(el)) return block ? '\n\n' : '';
    switch (el.name) {
      case 'del':
      case 's':
      case 'strike':
        return delimited(el, content, '~~', 'del');
      case 'strong':
      case 'b':
        return delimited(el, content, '**', 'strong');
      case 'em':
      case 'i':
        return delimited(el, content, '*', 'em');
      case 'a': {
        const href = attr(el, 'href');
        if (!href) return content;
        return content.trim() === '' ? content : `[${content}](${destination(href)})`;
      }
      case 'img':
        return image(el);
      case 'figure':
        return figure(el, content);
      case 'thead':
      case 'tbody':
      case 'tfoot':
        return content;
      case 'caption':
      case 'colgroup':
      case 'col':
        return '';
      case 'table':
        return table(el, content);
      case 'tr':
        return tableRow(el, content);
      case 'th':
      case 'td':
        return skipTable(parentTable(el)) ? content : cell(content, el);
      case 'p':
        return `\n\n${content}\n\n`;
      case 'br':
        return '  \n';
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        return `\n\n${'#'.repeat(Number(el.name[1]))} ${content}\n\n`;
      case 'blockquote':
        return `\n\n${trimTrailingNewlines(trimLeadingNewlines(content)).replace(/^/gm, '> ')}\n\n`;
      case 'ul':
      case 'ol': {
        const parent = el.parent as Element | null;
        if (nameOf(parent) === 'li' && lastElementChild(parent as Element) === el) return `\n${content}`;
        return `\n\n${content}\n\n`;
      }
      case 'li':
        return listItem(el, content);
      case 'pre':
        if (nameOf(el.children[0]) === 'code') return fencedCode(el.children[0] as Element);
        break;
      case 'hr':
        return '\n\n---\n\n';
      case 'code':
        if (!(nameOf(el.parent) === 'pre' && el.prev === null && el.next === null)) return inlineCode(content);
        break;
    }
    return block ? `\n\n${content}\n\n` : content;
  }
}

/** Whether the element's outside on `side` is white space already (so its own edge space can go). */
function flankedBySpace(el: Element, side: 'left' | 'right'): boolean {
  const sibling = side === 'left' ? el.prev : el.next;
  const edge = side === 'left' ? / $/ : /^ /;
  if (isText(sibling)) return edge.test(sibling.data);
  if (isElement(sibling) && !BLOCK.has(sibling.name)) return edge.test(textOf(sibling));
  return false;
}

function isBlank(el: Element): boolean {
  return (
    !VOID.has(el.name) &&
    !MEANINGFUL_BLANK.has(el.name) &&
    /^\s*$/.test(textOf(el)) &&
    !holds(el, VOID) &&
    !holds(el, MEANINGFUL_BLANK)
  );
}

function lastElementChild(el: Element): Element | undefined {
  for (let i = el.children.length - 1; i >= 0; i--) {
    const k = el.children[i];
    if (isElement(k)) return k;
  }
  return undefined;
}

function listItem(el: Element, content: string): string {
  const parent = el.parent as Element | null;
  let prefix = '-   ';
  if (nameOf(parent) === 'ol') {
    const index = (parent as Element).children.filter(isElement).indexOf(el);
    const start = attr(parent as Element, 'start');
    prefix = `${start ? Number(start) + index : index + 1}.  `;
  }
  const paragraph = content.endsWith('\n');
  const body = trimTrailingNewlines(trimLeadingNewlines(content)) + (paragraph ? '\n' : '');
  return prefix + body.replace(/\n/gm, `\n${' '.repeat(prefix.length)}`) + (el.next ? '\n' : '');
}

function fencedCode(code: Element): string {
  const language = /language-(\S+)/.exec(attr(code, 'class') ?? '')?.[1] ?? '';
  const text = textOf(code);
  let size = 3;
  for (const m of text.matchAll(/^`{3,}/gm)) if (m[0].length >= size) size = m[0].length + 1;
  const fence = '`'.repeat(size);
  return `\n\n${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}\n\n`;
}

/**
 * Whether inline code needs a space inside its delimiters: it starts or ends with a backtick, or it
 * starts and ends with a space around something else (CommonMark would strip one space each side).
 * Written as a scan: the pattern `^ .*?[^ ].* $` is quadratic on a long run of spaces.
 */
function needsPadding(text: string): boolean {
  if (text.startsWith('`') || text.endsWith('`')) return true;
  if (text.length < 3 || !text.startsWith(' ') || !text.endsWith(' ')) return false;
  const middle = text.slice(1, -1);
  // `.` matches no line break: the middle may hold one only as the character that is not a space.
  const breaks = middle.match(/[\n\r\u2028\u2029]/g)?.length ?? 0;
  return breaks === 0 ? /[^ ]/.test(middle) : breaks === 1;
}

function inlineCode(content: string): string {
  if (!content) return '';
  const text = content.replace(/\r?\n|\r/g, ' ');
  const pad = needsPadding(text) ? ' ' : '';
  const runs: string[] = text.match(/`+/gm) ?? [];
  let delimiter = '`';
  while (runs.includes(delimiter)) delimiter += '`';
  return delimiter + pad + text + pad + delimiter;
}

// ------------------------------------------------------------------------------- our rules

/** A link destination that cannot end early: parentheses and spaces percent-encoded. */
export function destination(url: string): string {
  return url.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function collapse(text: string): string {
  return text.replace(/[ \t\n\r\f]+/g, ' ').trim();
}

function image(el: Element): string {
  return imageMarkdown(attr(el, 'src'), attr(el, 'alt'));
}

/** `![alt](src)`, alt and destination escaped; nothing without a source. */
export function imageMarkdown(src: string | null, alt: string | null): string {
  if (!src) return '';
  return `![${collapse(alt ?? '').replace(/[\\[\]]/g, '\\$&')}](${destination(src)})`;
}

function descendants(el: Element, out: Element[] = []): Element[] {
  for (const kid of el.children) {
    if (!isElement(kid)) continue;
    out.push(kid);
    descendants(kid, out);
  }
  return out;
}

/**
 * `<figure><img src alt><figcaption>…</figcaption></figure>` on one line, as an HTML block
 * (blank lines around it). GitHub renders an HTML block as is, so the caption is escaped
 * as HTML text and not as Markdown. An image that could not be mirrored stays in its figure as
 * its placeholder, caption kept.
 */
function figure(el: Element, content: string): string {
  const all = descendants(el);
  const pictures = all.filter(
    (d) => (d.name === 'img' && attr(d, 'src')) || (d.name === 'span' && attr(d, 'data-nm-placeholder') !== null),
  );
  const caption = all.find((d) => d.name === 'figcaption');
  return figureHtml(
    pictures.map((p) =>
      p.name === 'img' ? { src: attr(p, 'src') ?? '', alt: attr(p, 'alt') ?? '' } : { placeholder: textOf(p) },
    ),
    caption === undefined ? '' : textOf(caption),
    content,
  );
}

/** A figure's pictures (images, or the placeholders of images not mirrored) and caption as one HTML line. */
export function figureHtml(
  pictures: readonly ({ src: string; alt: string } | { placeholder: string })[],
  caption: string,
  content: string,
): string {
  if (pictures.length === 0) return `\n\n${content}\n\n`;
  const shown = pictures
    .map((p) =>
      'placeholder' in p
        ? `<em>${escapeHtml(collapse(p.placeholder))}</em>`
        : `<img src="${escapeHtml(p.src)}" alt="${escapeHtml(collapse(p.alt))}"/>`,
    )
    .join('');
  const captionText = collapse(caption);
  return `\n\n<figure>${shown}${captionText ? `<figcaption>${escapeHtml(captionText)}</figcaption>` : ''}</figure>\n\n`;
}

/**
 * The character a reader's Markdown parser sees next to the element on one side: undefined at a
 * line or block edge, `!`/`)` for an image, else the neighbouring text's character (white space
 * the converter moves out of the element counts as that side's neighbour).
 */
function neighbour(el: Element, side: 'before' | 'after'): string | undefined {
  const own = textOf(el);
  if (side === 'before' && /^\s/u.test(own)) return ' ';
  if (side === 'after' && /\s$/u.test(own)) return ' ';
  let cur: AnyNode | null = el;
  while (cur) {
    for (let sib = side === 'before' ? cur.prev : cur.next; sib; sib = side === 'before' ? sib.prev : sib.next) {
      if (EDGE.has(nameOf(sib))) return undefined;
      if (nameOf(sib) === 'img') return side === 'before' ? ')' : '!';
      const text = textOf(sib);
      if (text !== '') {
        const chars = Array.from(text);
        return side === 'before' ? chars[chars.length - 1] : chars[0];
      }
    }
    cur = cur.parent;
    if (!cur || cur.type === 'root' || EDGE.has(nameOf(cur))) return undefined;
  }
  return undefined;
}

const WS = /^\s$/u;
const PUNCT = /^[\p{P}\p{S}]$/u;

/** CommonMark §6.2: can a delimiter run open here (left-flanking) / close here (right-flanking)? */
function canOpen(first: string, before: string | undefined): boolean {
  return !WS.test(first) && (!PUNCT.test(first) || before === undefined || WS.test(before) || PUNCT.test(before));
}

function canClose(last: string, after: string | undefined): boolean {
  return !WS.test(last) && (!PUNCT.test(last) || after === undefined || WS.test(after) || PUNCT.test(after));
}

/**
 * Emphasis written with `delimiter` when CommonMark's flanking rules let it open and close
 * where it stands, otherwise as HTML. `**加粗的句子。**后文` shows literal asterisks on
 * GitHub (the closing `**` follows punctuation and precedes a letter: STACK §4), so it is
 * written `<strong>加粗的句子。</strong>后文`, whose content is still Markdown.
 */
function delimited(el: Element, content: string, delimiter: string, tag: string): string {
  return emphasis(
    content,
    delimiter,
    tag,
    () => neighbour(el, 'before'),
    () => neighbour(el, 'after'),
  );
}

/** `content` between `delimiter`s, or in `<tag>` where the delimiters would not open or close (`before`/`after`: the characters beside it). */
export function emphasis(
  content: string,
  delimiter: string,
  tag: string,
  before: () => string | undefined,
  after: () => string | undefined,
): string {
  if (content.trim() === '') return '';
  const chars = Array.from(content);
  const first = chars[0] ?? '';
  const last = chars[chars.length - 1] ?? '';
  const safe = canOpen(first, before()) && canClose(last, after());
  return safe ? `${delimiter}${content}${delimiter}` : `<${tag}>${content}</${tag}>`;
}

// ------------------------------------------------------------------------------- tables

/** Elements that make a table stay HTML: Markdown table cells hold one line of inline content. */
const NOT_IN_CELLS = new Set(['ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'blockquote']);
const ALIGN: Readonly<Record<string, string>> = { left: ':---', right: '---:', center: ':---:' };

function parentTable(el: Element): Element | null {
  for (let p = el.parent; p; p = p.parent) if (nameOf(p) === 'table') return p as Element;
  return null;
}

/** The table's rows as a browser lists them: the head's, the bodies' (in order), the foot's. */
function rowsOf(table: Element): Element[] {
  const head: Element[] = [];
  const body: Element[] = [];
  const foot: Element[] = [];
  for (const kid of table.children) {
    if (!isElement(kid)) continue;
    if (kid.name === 'tr') body.push(kid);
    const list = kid.name === 'thead' ? head : kid.name === 'tfoot' ? foot : kid.name === 'tbody' ? body : undefined;
    if (list) for (const r of kid.children) if (nameOf(r) === 'tr') list.push(r as Element);
  }
  return [...head, ...body, ...foot];
}

const skipped = new WeakMap<Element, boolean>();

/** A table read cell by cell, as paragraphs: one of a single cell, or one holding a table. */
function skipTable(table: Element | null): boolean {
  if (table === null) return true;
  const known = skipped.get(table);
  if (known !== undefined) return known;
  const rows = rowsOf(table);
  const skip = (rows.length === 1 && (rows[0] as Element).children.length <= 1) || holds(table, new Set(['table']));
  skipped.set(table, skip);
  return skip;
}

function columnCount(table: Element): number {
  return Math.max(0, ...rowsOf(table).map((r) => r.children.length));
}

function alignment(node: AnyNode | undefined): string {
  return isElement(node) ? (attr(node, 'align') ?? '').toLowerCase() : '';
}

/** The alignment most of the column's cells have (ties: the one met first, none before all). */
function columnAlignment(table: Element, column: number): string {
  // Only the alignments a Markdown table has (and none) are counted.
  const votes = new Map<string, number>([
    ['', 0],
    ['left', 0],
    ['right', 0],
    ['center', 0],
  ]);
  let align = '';
  for (const row of rowsOf(table)) {
    if (column >= row.children.length) continue;
    const a = alignment(row.children[column]);
    const n = votes.get(a);
    if (n === undefined) continue;
    votes.set(a, n + 1);
    if (n + 1 > (votes.get(align) ?? 0)) align = a;
  }
  return align;
}

const border = (align: string) => (align ? (ALIGN[align] ?? '---') : '---');

function cell(content: string, node: Element | null, at?: number): string {
  const index = at ?? (node?.parent ? (node.parent as Element).children.indexOf(node) : 0);
  let text = content.trim().replace(/\n\r/g, '<br>').replace(/\n/g, '<br>').replace(/\|+/g, '\\|');
  while (text.length < 3) text += ' ';
  const span = Number(node ? (attr(node, 'colspan') ?? 1) : 1);
  for (let i = 1; i < span; i++) text += ' |    ';
  return `${index === 0 ? '| ' : ' '}${text} |`;
}

function isHeadingRow(tr: Element): boolean {
  const parent = tr.parent as Element;
  if (parent.name === 'thead') return true;
  if (parent.children[0] !== tr) return false;
  if (!(parent.name === 'table' || isFirstBody(parent))) return false;
  return tr.children.every((c) => nameOf(c) === 'th');
}

function isFirstBody(el: Element): boolean {
  if (el.name !== 'tbody') return false;
  const prev = el.prev;
  return prev === null || (nameOf(prev) === 'thead' && /^\s*$/.test(textOf(prev)));
}

function tableRow(tr: Element, content: string): string {
  const table = parentTable(tr);
  if (skipTable(table)) return content;
  let borders = '';
  if (isHeadingRow(tr)) {
    const columns = columnCount(table as Element);
    for (let i = 0; i < columns; i++) {
      const node = tr.children[i];
      borders += cell(border(columnAlignment(table as Element, i)), isElement(node) ? node : null, i);
    }
  }
  return `\n${content}${borders ? `\n${borders}` : ''}`;
}

function table(el: Element, content: string): string {
  if (holds(el, NOT_IN_CELLS)) return `\n\n<div class="joplin-table-wrapper">${outerHtml(el)}</div>\n\n`;
  if (skipTable(el)) return content;
  const lines = content.replace(/\n+/g, '\n');
  // The line under the first: the divider, when the first row was a header (a table of one line
  // is tested whole).
  const split = lines.trim().split('\n');
  const second = split.length >= 2 ? (split[1] as string) : split.join(',');
  const columns = columnCount(el);
  let emptyHeader = '';
  if (columns && !/\| :?---/.test(second)) {
    emptyHeader = `|${'     |'.repeat(columns)}\n|`;
    for (let i = 0; i < columns; i++) emptyHeader += ` ${border(columnAlignment(el, i))} |`;
  }
  return `\n\n${`${emptyHeader}${lines}`.trimStart()}\n\n`;
}

/** A table kept as HTML, serialised as a browser would (`&nbsp;` written out). */
function outerHtml(node: AnyNode): string {
  if (isText(node))
    return node.data
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\u00a0/g, '&nbsp;');
  if (!isElement(node)) return '';
  const attrs = Object.entries(node.attribs)
    .map(
      ([k, v]) =>
        ` ${k}="${v
          .replace(/&/g, '&amp;')
          .replace(/"/g, '&quot;')
          .replace(/\u00a0/g, '&nbsp;')}"`,
    )
    .join('');
  if (VOID.has(node.name)) return `<${node.name}${attrs}>`;
  return `<${node.name}${attrs}>${node.children.map(outerHtml).join('')}</${node.name}>`;
}
