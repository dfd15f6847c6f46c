import type { CheerioAPI } from 'cheerio';
import { type AnyNode, collapseText, type Element } from './dom.js';

/**
 * Elements whose content is never article text, and which the clean stage drops whole anyway
 * (`src/clean/body.ts`): the generic extractor need not parse them again. Forms are judged
 * one by one (`skipped`). Scripts, styles and
 * JSON blobs are gone before this (`STRIPPED` in `index.ts`).
 */
const NEVER_TEXT: ReadonlySet<string> = new Set([
  'nav',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'svg',
  'math',
  'canvas',
  'select',
  'textarea',
  'button',
  'input',
  'template',
  'script',
  'style',
]);

/**
 * The page as HTML without what can never be article text: the elements above, comments, and
 * `<noscript>` blocks that hold no image (Readability and the clean stage use a noscript's
 * image for a lazy placeholder beside it). The generic extractor parses this with linkedom,
 * which costs about eight times htmlparser2's parse per byte: the bench's pages shrink by a
 * third. The tree is left as it was (the density finder reads it afterwards): the skipped
 * nodes are taken out of their parents' child lists only while the page is serialised.
 *
 * `unlikely` also leaves out what Readability's first pass removes before it scores anything
 * (`unlikely` below): comment threads, sidebars, menus. Readability's later passes keep them,
 * so a caller that uses this must fall back to the page without it when the first pass did not
 * succeed (`readabilityExtract`'s `firstPassOnly`).
 */
export function withoutNonText($: CheerioAPI, options: { unlikely?: boolean } = {}): string {
  const skipped = options.unlikely ? (n: AnyNode) => nonText(n) || unlikely(n) : nonText;
  const saved: [Element | AnyNode, AnyNode[]][] = [];
  const stack: AnyNode[] = [...$.root().toArray()];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (!('children' in node)) continue;
    const kids = node.children as AnyNode[];
    let kept: AnyNode[] | undefined;
    for (let i = 0; i < kids.length; i++) {
      const kid = kids[i] as AnyNode;
      if (skipped(kid)) {
        kept ??= kids.slice(0, i);
        continue;
      }
      kept?.push(kid);
      stack.push(kid);
    }
    if (kept !== undefined) {
      saved.push([node, kids]);
      (node as Element).children = kept as Element['children'];
    }
  }
  try {
    return $.html();
  } finally {
    for (const [node, kids] of saved) (node as Element).children = kids as Element['children'];
  }
}

function nonText(node: AnyNode): boolean {
  if (node.type === 'comment') return true;
  if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') return false;
  const name = (node as Element).tagName;
  if (NEVER_TEXT.has(name)) return true;
  // A page framework may wrap the whole page in one <form> (ASP.NET does): only a form
  // without paragraphs goes.
  if (name === 'form') return !holds(node as Element, PARAGRAPHS);
  return name === 'noscript' && !holds(node as Element, IMAGES);
}

const PARAGRAPHS: ReadonlySet<string> = new Set(['p', 'article', 'main']);
const IMAGES: ReadonlySet<string> = new Set(['img', 'picture']);

/** Whether `el` holds an element named in `names` (or, in text, markup of an image). */
function holds(el: Element, names: ReadonlySet<string>): boolean {
  const stack: AnyNode[] = [...el.children];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n.type === 'tag' && names.has((n as Element).tagName)) return true;
    if (names === IMAGES && n.type === 'text' && /<img[\s>/]/i.test((n as { data: string }).data)) return true;
    if ('children' in n) stack.push(...(n.children as AnyNode[]));
  }
  return false;
}

/**
 * Readability 0.6's test in the first pass of `_grabArticle` ("Remove unlikely candidates"),
 * on the same attributes: class and id (as `className + " " + id`, a missing id reading
 * "null"), not inside a table or code block within four levels, not a link or the body; or an
 * unlikely ARIA role. A node Readability could take for the byline is kept: it checks that first.
 */
const UNLIKELY =
  /-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote/i;
const MAYBE = /and|article|body|column|content|main|shadow/i;
const BYLINE = /byline|author|dateline|writtenby|p-author/i;
const UNLIKELY_ROLES: ReadonlySet<string> = new Set([
  'menu',
  'menubar',
  'complementary',
  'navigation',
  'alert',
  'alertdialog',
  'dialog',
]);

function unlikely(node: AnyNode): boolean {
  if (node.type !== 'tag') return false;
  const el = node as Element;
  const a = el.attribs;
  const match = `${a.class ?? ''} ${a.id ?? 'null'}`;
  if (a.rel === 'author' || a.itemprop?.includes('author') || BYLINE.test(match)) return false;
  if (el.tagName === 'body' || el.tagName === 'a' || el.tagName === 'html') return false;
  if (UNLIKELY.test(match) && !MAYBE.test(match) && !inside(el, 'table') && !inside(el, 'code')) return true;
  return a.role !== undefined && UNLIKELY_ROLES.has(a.role);
}

/** Readability's `_hasAncestorTag(node, name)`: a parent up to four levels up. */
function inside(el: Element, name: string): boolean {
  let p = el.parent;
  for (let depth = 0; p && depth <= 3; depth++, p = p.parent) {
    if (p.type === 'tag' && (p as Element).tagName === name) return true;
  }
  return false;
}

/**
 * Readability drops every `<aside>` from the block it picked (`_prepArticle`): a page that puts
 * its whole content column in one (`<main><aside><section><article>…`) came out empty, and the
 * page failed with ExtractEmpty. An aside that holds an `<article>`, `<main>` or the marked
 * article body, or the page's only `<h1>`, is the page's main column, not a side box: it becomes
 * a `<div>` before the fallback reads the page. (Blog themes title each sidebar widget with an
 * `<h1>` inside an aside: with more than one `<h1>` on the page, a headline says nothing.)
 * Returns how many were renamed.
 */
export function asidesHoldingTheArticle(
  $: CheerioAPI,
  asides: readonly Element[],
  headings: readonly Element[],
): number {
  const onlyHeadline = headings.length === 1;
  let renamed = 0;
  for (const el of asides) {
    if (
      holds(el, MAIN_COLUMN) ||
      (onlyHeadline && holds(el, HEADLINE)) ||
      $(el).find('[itemprop="articleBody"]').length > 0
    ) {
      el.tagName = 'div';
      renamed++;
    }
  }
  return renamed;
}

const MAIN_COLUMN: ReadonlySet<string> = new Set(['article', 'main']);

/**
 * A page that renders its article with a script may also ship it inside `<noscript>` for readers
 * without one, and nowhere else: Readability removes every noscript, and the fallback found only
 * the page's tagline. A noscript that holds paragraphs with at least `MIN_NOSCRIPT_TEXT`
 * characters of text is read as a `<div>`. Returns how many were renamed.
 */
export function noscriptArticles($: CheerioAPI, noscripts: readonly Element[]): number {
  let renamed = 0;
  for (const el of noscripts) {
    if ($(el).find('p').length > 0 && collapseText($(el).text()).length >= MIN_NOSCRIPT_TEXT) {
      el.tagName = 'div';
      renamed++;
    }
  }
  return renamed;
}

const MIN_NOSCRIPT_TEXT = 500;
const HEADLINE: ReadonlySet<string> = new Set(['h1']);

/**
 * The author's card: a box named for the author (`author-box`, `post-author`, `AuthorCard`,
 * `entry-author-info`, `about-the-author`) that holds a biography: at least
 * `MIN_AUTHOR_CARD_TEXT` characters, so a short byline box ("By Mara Lind, 4 May") is not one.
 * Readability keeps it when it sits inside the article's container; it is never the article.
 * The page's byline was read before this runs. Removed from the page; returns how many.
 */
export function removeAuthorCards($: CheerioAPI): number {
  // Every element named for an author's card, in document order, found before any is removed.
  const named: Element[] = [];
  const stack: AnyNode[] = [...$.root().toArray()].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (!('children' in node)) continue;
    if ('attribs' in node) {
      const { class: cls, id } = (node as Element).attribs;
      if (
        (cls !== undefined || id !== undefined) &&
        AUTHOR_CARD.test(`${cls ?? ''} ${id ?? ''}`.replace(/([a-z])([A-Z])/g, '$1-$2'))
      )
        named.push(node as Element);
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
  }
  let removed = 0;
  for (const el of named) {
    if ($(el).find('h1').length > 0) continue;
    if (collapseText($(el).text()).length < MIN_AUTHOR_CARD_TEXT) continue;
    $(el).remove();
    removed++;
  }
  return removed;
}

const AUTHOR_CARD =
  /(?:^|[\s_-])(?:(?:author|autor|autorin)[-_]{0,2}(?:box|card|bio|biography|info|description|profile|about|details)|post[-_]{1,2}author|entry[-_]author(?:[-_]info)?|about[-_]the[-_]author)(?:$|[\s_-])/i;
const MIN_AUTHOR_CARD_TEXT = 60;
