import { gfm } from '@joplin/turndown-plugin-gfm';
import TurndownService from 'turndown';
import type { AnyNode, Element } from '../extract/dom.js';
import { loadFragment } from '../extract/dom.js';
import type { SafeHtml } from '../types.js';
import { destination, EDGE, emphasis, escapeText, figureHtml, imageMarkdown, treeToMarkdown } from './tree-markdown.js';

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
 * Sanitised article HTML → GitHub-flavoured Markdown, with three rules of our own: figures stay
 * HTML (`<figure>`/`<figcaption>` are on GitHub's allowlist, and Markdown has no caption),
 * emphasis that GitHub would not render next to CJK punctuation is written as HTML, and text
 * that could form Markdown or HTML syntax is escaped. Link and image policies are applied to the
 * parsed body first. The Markdown is written from that tree (`tree-markdown.ts`); a body whose
 * markup nests a block inside an inline element (`<strong><p>`, about 3 % of the shared corpus's
 * pages) goes through turndown with the maintained GFM plugin (STACK §4) and the same rules,
 * because its DOM rebuilds such markup as a browser does. Both give the same Markdown on every
 * other body (`tree-markdown.test.ts`).
 */
export function renderBody(html: SafeHtml, options: RenderBodyOptions): string {
  const $ = prepareTree(html, options);
  // From the tree already parsed (issue 13.1); a body that nests a block inside an inline element
  // goes through turndown, whose parser rebuilds such markup as a browser does.
  return treeToMarkdown($.root()[0] as AnyNode) ?? turndownBody($.html());
}

/** The prepared body's Markdown by turndown, parsing it again (the fallback of `renderBody`). */
export function turndownBody(html: string): string {
  return converter().turndown(html);
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

/** The body parsed, with the link and image policies applied and its table captions set apart. */
function prepareTree(html: string, options: RenderBodyOptions) {
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
  return $;
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
  td.escape = escapeText;
  return td;
}

function image(_content: string, node: HTMLElement): string {
  return imageMarkdown(node.getAttribute('src'), node.getAttribute('alt'));
}

function figure(content: string, node: HTMLElement): string {
  const pictures = Array.from(node.querySelectorAll('img, span[data-nm-placeholder]'))
    .filter((el) => el.tagName !== 'IMG' || el.getAttribute('src'))
    .map((el) =>
      el.tagName === 'IMG'
        ? { src: el.getAttribute('src') ?? '', alt: el.getAttribute('alt') ?? '' }
        : { placeholder: el.textContent ?? '' },
    );
  return figureHtml(pictures, node.querySelector('figcaption')?.textContent ?? '', content);
}

/**
 * The character a reader's Markdown parser sees next to the element on one side:
 * undefined at a line or block edge, `!`/`)` for an image, else the neighbouring text's
 * character (whitespace turndown moves out of the element counts as that side's neighbour).
 */
function neighbour(node: HTMLElement, side: 'before' | 'after'): string | undefined {
  const own = node.textContent ?? '';
  if (side === 'before' && /^\s/u.test(own)) return ' ';
  if (side === 'after' && /\s$/u.test(own)) return ' ';
  const edge = (n: Node) => EDGE.has(n.nodeName.toLowerCase());
  let cur: Node | null = node;
  while (cur) {
    for (
      let sib: Node | null = side === 'before' ? cur.previousSibling : cur.nextSibling;
      sib;
      sib = side === 'before' ? sib.previousSibling : sib.nextSibling
    ) {
      if (edge(sib)) return undefined;
      if (sib.nodeName === 'IMG') return side === 'before' ? ')' : '!';
      const text = sib.textContent ?? '';
      if (text !== '') {
        const chars = Array.from(text);
        return side === 'before' ? chars[chars.length - 1] : chars[0];
      }
    }
    cur = cur.parentNode;
    if (!cur || edge(cur)) return undefined;
  }
  return undefined;
}

function delimited(delimiter: string, tag: string): TurndownService.ReplacementFunction {
  return (content, node) =>
    emphasis(
      content,
      delimiter,
      tag,
      () => neighbour(node, 'before'),
      () => neighbour(node, 'after'),
    );
}
