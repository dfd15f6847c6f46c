import { gfm } from '@joplin/turndown-plugin-gfm';
import TurndownService from 'turndown';
import type { Element } from '../extract/dom.js';
import { loadFragment } from '../extract/dom.js';
import type { SafeHtml } from '../types.js';

export interface RenderBodyOptions {
  /**
   * `keep`: links stay links. `mirror`: a link becomes the mirror path `resolveLink` returns
   * for it (already relative to the page), or plain text. `neutralize`: always plain text.
   */
  links: 'mirror' | 'neutralize' | 'keep';
  resolveLink: (absoluteUrl: string) => string | undefined;
  /**
   * The mirror path of an image (policy `mirror`), relative to the page. `undefined` keeps
   * the origin URL; `null` means the image is not available, and `imagePlaceholder` shows
   * instead (with the image's alt text), so a page never hot-links what it could not mirror.
   */
  resolveImage?: ((absoluteUrl: string) => string | null | undefined) | undefined;
  imagePlaceholder?: string | undefined;
}

/**
 * Sanitised article HTML → GitHub-flavoured Markdown (turndown + the maintained GFM plugin,
 * STACK §4), with three rules of our own: figures stay HTML (`<figure>`/`<figcaption>` are
 * on GitHub's allowlist, and Markdown has no caption), emphasis that GitHub would not render
 * next to CJK punctuation is written as HTML, and text that could form Markdown or HTML
 * syntax is escaped. Link and image policies are applied to the HTML first, so the shared
 * converter holds no per-call state.
 */
export function renderBody(html: SafeHtml, options: RenderBodyOptions): string {
  return converter().turndown(prepare(html, options));
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** Building the service and its rules costs more than converting an article: build it once, on first use. */
const converter = once(createConverter);

function prepare(html: string, options: RenderBodyOptions): string {
  const $ = applyPolicies(loadFragment(html), options);
  // The GFM plugin writes a table caption unescaped and counts whitespace text nodes as
  // columns: give the caption its own paragraph and drop layout whitespace inside tables.
  for (const cap of $('table > caption').toArray()) {
    const table = $(cap).parent();
    table.before($('<p></p>').append($(cap).contents()));
    $(cap).remove();
  }
  $('table, thead, tbody, tfoot, tr')
    .contents()
    .filter((_, n) => n.type === 'text' && /^[ \t\n\r\f]*$/.test(n.data))
    .remove();
  return $.html();
}

/**
 * The link and image policies applied to a parsed body, in place (the HTML site's renderer
 * applies the same ones): links resolved or unwrapped, images pointed at their mirrored copy
 * or replaced by the placeholder.
 */
export function applyPolicies<T extends ReturnType<typeof loadFragment>>($: T, options: RenderBodyOptions): T {
  for (const a of $('a').toArray() as Element[]) {
    const href = a.attribs.href;
    const target =
      href === undefined || options.links === 'neutralize'
        ? undefined
        : options.links === 'keep'
          ? href
          : options.resolveLink(href);
    if (target === undefined) $(a).replaceWith($(a).contents());
    else a.attribs.href = target;
  }
  if (options.resolveImage) {
    for (const img of $('img').toArray() as Element[]) {
      const local = img.attribs.src === undefined ? null : options.resolveImage(img.attribs.src);
      if (local === null) {
        const alt = img.attribs.alt ? `: ${img.attribs.alt}` : '';
        $(img).replaceWith(
          $('<span data-nm-placeholder="1"></span>').text(
            `[${options.imagePlaceholder ?? 'image not available'}${alt}]`,
          ),
        );
      } else if (local !== undefined) {
        img.attribs.src = local;
      }
    }
  }
  return $;
}

function createConverter(): TurndownService {
  const td = new TurndownService({
    headingStyle: 'atx',
    hr: '---',
    bulletListMarker: '-',
    codeBlockStyle: 'fenced',
    emDelimiter: '*',
    strongDelimiter: '**',
    linkStyle: 'inlined',
  });
  td.use(gfm);
  // Rules added later take precedence over the built-in and plugin rules.
  td.addRule('figure', { filter: 'figure', replacement: figure });
  td.addRule('image', { filter: 'img', replacement: image });
  td.addRule('link', {
    filter: (node) => node.nodeName === 'A' && Boolean(node.getAttribute('href')),
    replacement: (content, node) =>
      content.trim() === '' ? content : `[${content}](${destination(node.getAttribute('href') ?? '')})`,
  });
  td.addRule('emphasis', { filter: ['em', 'i'], replacement: delimited('*', 'em') });
  td.addRule('strong', { filter: ['strong', 'b'], replacement: delimited('**', 'strong') });
  td.addRule('strikethrough', {
    filter: (node) => node.nodeName === 'DEL' || node.nodeName === 'S' || node.nodeName === 'STRIKE',
    replacement: delimited('~~', 'del'),
  });
  const baseEscape = td.escape.bind(td);
  td.escape = (text: string) => escapeMore(baseEscape(text));
  return td;
}

/**
 * What turndown's escaping leaves open: `<` before a letter, `/`, `!` or `?` would start
 * raw HTML or an autolink; `&name;` would be read as an entity; `~` is strikethrough on
 * GitHub (even single); `1) ` at the start is an ordered list like `1. `.
 */
function escapeMore(text: string): string {
  return text
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/~/g, '\\~')
    .replace(/^(\d{1,9})\) /, '$1\\) ');
}

/** A link destination that cannot end early: parentheses and spaces percent-encoded. */
function destination(url: string): string {
  return url.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function collapse(text: string): string {
  return text.replace(/[ \t\n\r\f]+/g, ' ').trim();
}

function image(_content: string, node: HTMLElement): string {
  const src = node.getAttribute('src');
  if (!src) return '';
  const alt = collapse(node.getAttribute('alt') ?? '').replace(/[\\[\]]/g, '\\$&');
  return `![${alt}](${destination(src)})`;
}

/**
 * `<figure><img src alt><figcaption>…</figcaption></figure>` on one line, as an HTML block
 * (blank lines around it). GitHub renders an HTML block as is, so the caption is escaped
 * as HTML text and not as Markdown.
 */
function figure(content: string, node: HTMLElement): string {
  // An image that could not be mirrored stays in its figure as a placeholder, caption kept.
  const imgs = Array.from(node.querySelectorAll('img, span[data-nm-placeholder]')).filter(
    (el) => el.tagName !== 'IMG' || el.getAttribute('src'),
  );
  if (imgs.length === 0) return `\n\n${content}\n\n`;
  const pictures = imgs
    .map((img) => {
      if (img.tagName !== 'IMG') return `<em>${escapeHtml(collapse(img.textContent ?? ''))}</em>`;
      const alt = collapse(img.getAttribute('alt') ?? '');
      return `<img src="${escapeHtml(img.getAttribute('src') ?? '')}" alt="${escapeHtml(alt)}"/>`;
    })
    .join('');
  const captionText = collapse(node.querySelector('figcaption')?.textContent ?? '');
  const caption = captionText ? `<figcaption>${escapeHtml(captionText)}</figcaption>` : '';
  return `\n\n<figure>${pictures}${caption}</figure>\n\n`;
}

const BLOCKS = new Set(
  (
    'ADDRESS ARTICLE ASIDE BLOCKQUOTE BODY CAPTION DD DETAILS DIV DL DT FIGCAPTION FIGURE FOOTER H1 ' +
    'H2 H3 H4 H5 H6 HEADER HR LI MAIN OL P PRE SECTION SUMMARY TABLE TBODY TD TFOOT TH THEAD TR UL BR'
  ).split(' '),
);

/**
 * The character a reader's Markdown parser sees next to the element on one side:
 * undefined at a line or block edge, `!`/`)` for an image, else the neighbouring text's
 * character (whitespace turndown moves out of the element counts as that side's neighbour).
 */
function neighbour(node: HTMLElement, side: 'before' | 'after'): string | undefined {
  const own = node.textContent ?? '';
  if (side === 'before' && /^\s/u.test(own)) return ' ';
  if (side === 'after' && /\s$/u.test(own)) return ' ';
  let cur: Node | null = node;
  while (cur) {
    for (
      let sib: Node | null = side === 'before' ? cur.previousSibling : cur.nextSibling;
      sib;
      sib = side === 'before' ? sib.previousSibling : sib.nextSibling
    ) {
      if (BLOCKS.has(sib.nodeName)) return undefined;
      if (sib.nodeName === 'IMG') return side === 'before' ? ')' : '!';
      const text = sib.textContent ?? '';
      if (text !== '') {
        const chars = Array.from(text);
        return side === 'before' ? chars[chars.length - 1] : chars[0];
      }
    }
    cur = cur.parentNode;
    if (!cur || BLOCKS.has(cur.nodeName)) return undefined;
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
function delimited(delimiter: string, tag: string): TurndownService.ReplacementFunction {
  return (content, node) => {
    if (content.trim() === '') return '';
    const chars = Array.from(content);
    const first = chars[0] ?? '';
    const last = chars[chars.length - 1] ?? '';
    const safe = canOpen(first, neighbour(node, 'before')) && canClose(last, neighbour(node, 'after'));
    return safe ? `${delimiter}${content}${delimiter}` : `<${tag}>${content}</${tag}>`;
  };
}
