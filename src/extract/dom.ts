import { type CheerioAPI, load } from 'cheerio';
import { compile } from 'css-select';
import type { AnyNode, Document, Element } from 'domhandler';
import { capNesting, MAX_DEPTH } from '../sources/nesting.js';

/**
 * Cheerio in htmlparser2 mode (STACK §2: ~4× faster than parse5; linkedom uses the same
 * parser, so both DOMs see the same tree). Entities are decoded on parse, so attribute
 * values and text are the real strings (an `&amp;` in an href is `&`), and on output only
 * `& < > "` are re-encoded (`encodeEntities: 'utf8'`): `decodeEntities: true` alone would
 * serialise every CJK character as `&#x…;` (STACK Gotchas 10).
 */
const PARSE = { xml: { xmlMode: false, decodeEntities: true, encodeEntities: 'utf8' as const } };

/**
 * The one cheerio instance every tree is bound to. Each `load` declares a class of its own
 * (cheerio's `LoadedCheerio`), and V8 keeps the tree of a freshly declared class's instances
 * alive through the next young-generation collection: every page parsed by its own `load` was
 * copied and promoted whole, which cost more CPU than the parse itself (2.5–3 ms on a 99 KB
 * page, against about 1.1 ms for the parse). Trees parsed through this instance die young.
 */
const BASE = load('', PARSE);

/** The elements behind a cheerio call: `(selector, context, root, options)`. */
type Initialize = (selector?: unknown, context?: unknown, root?: unknown, options?: unknown) => unknown;

/** cheerio's parse of `html` with `BASE`'s options: a string root is parsed as a fragment. */
function parseTree(html: string): Document {
  const wrapped = (BASE as unknown as Initialize)(undefined, undefined, html) as { _root: ArrayLike<Document> };
  return wrapped._root[0] as Document;
}

/**
 * `BASE` with `doc` as its root: what `load(html)` returns, without a class of its own. The
 * static methods (`$.html()`, `$.root()`, `$.text()`) read `_root`; a call without a root of
 * its own searches `doc`.
 */
function bind(doc: Document): CheerioAPI {
  const base = BASE as unknown as Initialize;
  const $ = (selector?: unknown, context?: unknown, root?: unknown, options?: unknown) =>
    base(selector, context, root ?? doc, options);
  return Object.assign($, BASE, { _root: doc }) as unknown as CheerioAPI;
}

/**
 * Markup with at most this many `<` is parsed as it is, and unwrapped (`capNesting`) only when
 * the tree turns out deeper than `MAX_DEPTH`. htmlparser2 keeps its open elements with
 * `Array.unshift`, so parsing costs the square of the depth: at this many elements, all nested,
 * a few tenths of a second, against minutes at 500,000. Pages have 1,000 to 10,000 tags.
 */
const PARSE_FIRST_TAGS = 20_000;

/** Whether `html` has at most `max` `<` characters (it stops counting past `max`). */
function fewTags(html: string, max: number): boolean {
  let n = 0;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) if (++n > max) return false;
  return true;
}

/** Whether no element of the tree is nested deeper than `max`, walked without recursion. */
function shallow(root: AnyNode, max: number): boolean {
  const stack: [AnyNode, number][] = [[root, 0]];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    const [node, depth] = e;
    if (!('children' in node)) continue;
    if (depth > max) return false;
    for (const kid of node.children) if ('children' in kid) stack.push([kid, depth + 1]);
  }
  return true;
}

/**
 * A tree of `html` at most `MAX_DEPTH` deep: elements nested deeper are unwrapped
 * (`capNesting`), their text kept. Markup with few tags is parsed first, and unwrapped and
 * parsed again only when it is that deep (the scan costs a fifth of a parse on every page).
 */
function cappedTree(html: string): Document {
  if (fewTags(html, PARSE_FIRST_TAGS)) {
    const doc = parseTree(html);
    if (shallow(doc, MAX_DEPTH)) return doc;
  }
  return parseTree(capNesting(html));
}

/**
 * A whole page. Each call parses a fresh tree, so callers may change it freely. Elements
 * nested deeper than `MAX_DEPTH` are unwrapped (`capNesting`): every tree a stage walks
 * (and every string it serialises for the next one) is at most that deep.
 */
export function loadDocument(html: string): CheerioAPI {
  return bind(cappedTree(html));
}

/**
 * A body fragment: serialising the root gives back the fragment, with no html/head/body added
 * (htmlparser2 adds none to a page either: the two differ in name only).
 */
export function loadFragment(html: string): CheerioAPI {
  return loadDocument(html);
}

/** ASCII whitespace only: U+3000 (ideographic space) and U+00A0 are content in Chinese text. */
export const ASCII_WS = /[ \t\n\r\f]+/g;

/** Text with runs of ASCII whitespace collapsed to one space, trimmed of ASCII whitespace. */
export function collapseText(text: string): string {
  return text.replace(ASCII_WS, ' ').replace(/^ | $/g, '');
}

/**
 * Node types of cheerio's tree. domhandler is cheerio's own dependency (not ours); this is
 * a type-only import, erased at runtime, kept in this one place.
 */
export type { AnyNode, Element, Text } from 'domhandler';

/**
 * The elements of a page that extraction looks up by tag name alone (`<base>`, `<title>`,
 * `<meta>`, scripts, the furniture it strips), found in one walk of the tree, in document
 * order. Each `$('meta')`-style query would walk every node of the page again.
 */
export type TagIndex = ReadonlyMap<string, readonly Element[]>;

export function indexTags(roots: readonly AnyNode[], names: ReadonlySet<string>): TagIndex {
  const found = new Map<string, Element[]>();
  const stack: AnyNode[] = [...roots].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (!('children' in node)) continue;
    // htmlparser2 gives <script> and <style> their own node types; both are elements.
    if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      const el = node as Element;
      if (names.has(el.tagName)) {
        const list = found.get(el.tagName);
        if (list) list.push(el);
        else found.set(el.tagName, [el]);
      }
    }
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i];
      if (kid !== undefined) stack.push(kid);
    }
  }
  return found;
}

/**
 * The elements of an index taken before the page was changed that are still in it: removing an
 * element (cheerio's `remove`) detaches only that element, so its descendants keep their parents
 * and are found gone by their topmost ancestor, which is no longer the document.
 */
export function stillAttached(els: readonly Element[]): Element[] {
  return els.filter((el) => {
    let top: AnyNode = el;
    while (top.parent) top = top.parent;
    return top.type === 'root';
  });
}

type Query = (el: Element) => boolean;
/** Compiled selectors, by their text (a rule's few selectors are met on every page); null: css-select lacks it. */
const queries = new Map<string, Query | null>();

/** `selector` compiled once for this process (`el => matches`), or null when css-select lacks it. */
export function query(selector: string): Query | null {
  let q = queries.get(selector);
  if (q === undefined) {
    try {
      q = compile<AnyNode, Element>(selector, { xmlMode: false });
    } catch {
      // A selector only cheerio knows (`:first`, `:eq(1)`): cheerio runs it.
      q = null;
    }
    queries.set(selector, q);
  }
  return q;
}

/**
 * The elements each of `selectors` matches in the page as it is now, in document order, found in
 * one walk of the page rather than one per selector (a site rule names half a dozen). A selector
 * that css-select does not know is left to cheerio, when it is asked for.
 */
export function selectEach($: CheerioAPI, selectors: readonly string[]): (selector: string) => Element[] {
  const wanted = [...new Set(selectors)].flatMap((sel) => {
    const q = query(sel);
    return q === null ? [] : [{ sel, q, found: [] as Element[] }];
  });
  const stack: AnyNode[] = [...$.root().toArray()].reverse();
  for (let node = stack.pop(); node !== undefined && wanted.length > 0; node = stack.pop()) {
    if (!('children' in node)) continue;
    if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      for (const w of wanted) if (w.q(node as Element)) w.found.push(node as Element);
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
  }
  const found = new Map(wanted.map((w) => [w.sel, w.found]));
  return (selector) => found.get(selector) ?? ($(selector).toArray() as Element[]);
}
