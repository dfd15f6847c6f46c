import type { CheerioAPI } from 'cheerio';
import { compileUserPattern } from '../config/patterns.js';
import type { SiteRule } from '../config/schema.js';
import { type AnyNode, type Element, loadFragment, type Text } from '../extract/dom.js';
import { imageSource, resolveUrl } from '../extract/urls.js';
import type { LeadImage } from '../types.js';
import { ALLOWED_ATTRIBUTES, ALLOWED_TAGS } from './allowlist.js';
import { isBlank, isCjk, plainText } from './text.js';

export interface BodyOptions {
  /** Absolute URL the body's relative URLs resolve against. */
  base: string;
  rule?: SiteRule | undefined;
  images: 'mirror' | 'hotlink' | 'drop';
  lead?: LeadImage | undefined;
}

export interface CleanedBody {
  /** Body HTML before the final allowlist pass. */
  html: string;
  /** The lead image, with the caption and alt of its duplicate in the body when it had none. */
  lead?: LeadImage | undefined;
}

/** Removed with their content: active content, forms, media players, document furniture. */
const DROP = (
  'script style link meta base title head template iframe frame frameset object embed applet param ' +
  'form input button select option optgroup textarea datalist output progress meter svg math canvas ' +
  'audio video source track map area dialog noembed noframes xmp plaintext portal nav menu'
)
  .split(' ')
  .join(', ');

/** Unknown containers that hold paragraphs: kept as `div` so their paragraphs do not run together. */
const BLOCKISH = new Set(
  (
    'article section header footer main aside center address hgroup fieldset legend dir listing body ' + 'html search'
  ).split(' '),
);

/** Block-level elements among the allowed ones (a line break before and after each). */
const BLOCK = new Set(
  (
    'p div h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tfoot tr td th caption blockquote ' +
    'figure figcaption pre hr details summary'
  ).split(' '),
);

/** Containers whose children are put one per line in the output (never table internals: see renderBody). */
const LINE_PER_CHILD = new Set(['div', 'blockquote', 'ul', 'ol', 'dl', 'details']);

/** Elements that go when nothing visible is left in them. */
const REMOVE_WHEN_EMPTY = new Set(
  (
    'p div span strong b em i a h1 h2 h3 h4 h5 h6 blockquote li ul ol dl dt dd sup sub small mark ins ' +
    'del s strike figcaption figure q cite code pre abbr time tt kbd samp var dfn bdo summary details ' +
    'table caption ruby'
  ).split(' '),
);

/**
 * Class or id tokens of furniture inside article bodies: share bars, related-article lists,
 * ad slots, comment threads, subscription boxes. Matched per token (camelCase split), so
 * `shareButtons` and `single_ad` match but `shadow` and `header` do not.
 */
const JUNK_TOKEN =
  /(?:^|[-_])(?:share|sharing|sharethis|addthis|social|related|recommend(?:ed|ation|ations)?|comments?|advert\w*|ads?|sponsor(?:ed)?|promo|newsletter|subscribe|subscription|taboola|outbrain|adsbygoogle|breadcrumbs?)(?:$|[-_])/i;

const ALLOWED = new Set(ALLOWED_TAGS);

/**
 * Everything the clean stage does to a body before the allowlist: resolve lazy images
 * and URLs, drop active content, hidden nodes, furniture and the rule's lines, turn
 * captioned images into `<figure>`, demote headings, dedupe the lead image, apply the
 * image policy, drop what is left empty, and tidy whitespace. The input string is parsed
 * into a private tree; nothing outside is changed.
 */
export function cleanBodyDom(html: string, options: BodyOptions): CleanedBody {
  const $ = loadFragment(html);
  const rule = options.rule;
  const lazyAttrs = rule?.lazyImageAttrs ?? [];

  removeComments($);
  rescueNoscriptImages($, options.base, lazyAttrs);
  $(DROP).remove();
  $('noscript').remove();
  removeHidden($);
  blockSpacers($);
  removeJunk($);
  resolveImages($, options.base, lazyAttrs);
  resolveLinks($, options.base);
  unwrapUnknown($);
  if (rule?.demoteHeadings !== false) demoteHeadings($);
  normaliseFigures($);
  const lead = dedupeLead($, options.lead);
  if (options.images === 'drop') dropImages($);
  tidyBreaks($);
  dropLines($, rule?.dropLines ?? []);
  stripAttributes($);
  mergeAdjacentEmphasis($);
  removeEmpty($);
  normaliseWhitespace($);
  return { html: $.html(), lead: options.images === 'drop' ? undefined : lead };
}

function elements($: CheerioAPI, selector = '*'): Element[] {
  return $(selector).toArray() as Element[];
}

function removeComments($: CheerioAPI): void {
  const walk = (nodes: AnyNode[]) => {
    for (const n of [...nodes]) {
      if (n.type === 'comment' || n.type === 'directive') $(n).remove();
      else if ('children' in n) walk(n.children as AnyNode[]);
    }
  };
  walk($.root().toArray());
}

/**
 * `<noscript><img src=real></noscript>` next to a placeholder `<img>`: the real URL goes to
 * the placeholder; without one, the noscript image takes the noscript's place.
 */
function rescueNoscriptImages($: CheerioAPI, base: string, lazyAttrs: readonly string[]): void {
  for (const ns of elements($, 'noscript')) {
    // htmlparser2 parses noscript content as markup; a re-serialised page may hold it as text.
    const img = ($(ns).find('img').get(0) ?? loadFragment($(ns).text())('img').get(0)) as Element | undefined;
    const src = img ? imageSource(img.attribs, base, lazyAttrs) : undefined;
    if (img === undefined || src === undefined) continue;
    const prev = $(ns).prev();
    const target = (prev.is('img') ? prev : prev.find('img').last()).get(0) as Element | undefined;
    if (target && imageSource(target.attribs, base, lazyAttrs) === undefined) {
      target.attribs.src = src;
    } else if (!target) {
      $(ns).replaceWith($('<img>').attr({ src, alt: img.attribs.alt ?? '' }));
    }
  }
}

function removeHidden($: CheerioAPI): void {
  for (const el of elements($, '[hidden], [style]')) {
    const style = el.attribs.style ?? '';
    if (el.attribs.hidden !== undefined || /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) $(el).remove();
  }
}

/**
 * An empty inline element styled `display:block` is a paragraph break drawn with CSS
 * (Apple Daily separates its paragraphs with `<span style="display:block;height:1em">`): it
 * becomes a double line break, which `tidyBreaks` turns into a paragraph boundary.
 */
function blockSpacers($: CheerioAPI): void {
  for (const el of elements($, 'span[style], i[style], b[style], em[style], font[style]')) {
    if (!/display\s*:\s*block/i.test(el.attribs.style ?? '')) continue;
    if (!isBlank($(el).text()) || $(el).find('img').length > 0) continue;
    $(el).replaceWith('<br><br>');
  }
}

function isJunk(el: Element): boolean {
  // Long ids are slugs of headings (`sharing-with-a-single-developer`), not widget names.
  const id = el.attribs.id ?? '';
  const tokens = [...(el.attribs.class ?? '').split(/\s+/), id.split(/[-_]+/).length <= 3 ? id : ''];
  return tokens.some((t) => t !== '' && JUNK_TOKEN.test(t.replace(/([a-z0-9])([A-Z])/g, '$1-$2')));
}

/**
 * Furniture by class/id. A match that holds paragraphs and most of the body's text is the
 * article itself with an unlucky class name (`post-content share-enabled`), so it stays.
 */
function removeJunk($: CheerioAPI): void {
  const total = $.root().text().length;
  for (const el of elements($, '[class], [id]')) {
    if (!isAttached($, el) || !isJunk(el)) continue;
    if ($(el).text().length > total * 0.5 && $(el).find('p').length > 0) continue;
    $(el).remove();
  }
}

const STYLE_WIDTH = /(?:^|;)\s*width\s*:\s*(\d+(?:\.\d+)?)px/i;
const STYLE_HEIGHT = /(?:^|;)\s*height\s*:\s*(\d+(?:\.\d+)?)px/i;

function isTrackingPixel(el: Element): boolean {
  const dim = (name: 'width' | 'height') => {
    const attr = el.attribs[name];
    const style = (el.attribs.style ?? '').match(name === 'width' ? STYLE_WIDTH : STYLE_HEIGHT);
    // Trimmed first: `\s*(?:px)?\s*$` could split a run of spaces anywhere (quadratic).
    const v = attr !== undefined && /^\d+(?:\.\d+)?\s*(?:px)?$/.test(attr.trim()) ? Number.parseFloat(attr) : undefined;
    return v ?? (style ? Number(style[1]) : undefined);
  };
  const w = dim('width');
  const h = dim('height');
  return (w !== undefined && w <= 1) || (h !== undefined && h <= 1);
}

function resolveImages($: CheerioAPI, base: string, lazyAttrs: readonly string[]): void {
  $('picture source').remove();
  for (const img of elements($, 'img')) {
    const src = imageSource(img.attribs, base, lazyAttrs);
    if (src === undefined || isTrackingPixel(img)) {
      $(img).remove();
      continue;
    }
    img.attribs.src = src;
  }
}

function resolveLinks($: CheerioAPI, base: string): void {
  for (const el of elements($, '[href], [cite]')) {
    for (const name of ['href', 'cite']) {
      const v = el.attribs[name];
      if (v === undefined) continue;
      const abs = resolveUrl(v, base);
      if (abs === undefined) delete el.attribs[name];
      else el.attribs[name] = abs;
    }
  }
}

/**
 * Elements outside the allowlist keep their content: block-like ones become `div`,
 * others (`<ok>`, `<font>`, `<u>`, `<a>` without href...) are replaced by their children.
 */
function unwrapUnknown($: CheerioAPI): void {
  for (const el of elements($).reverse()) {
    const tag = el.tagName.toLowerCase();
    if (BLOCKISH.has(tag)) {
      el.tagName = 'div';
    } else if (!ALLOWED.has(tag) || (tag === 'a' && el.attribs.href === undefined)) {
      $(el).replaceWith($(el).contents());
    }
  }
}

const DEMOTE: Record<string, string> = { h1: 'h3', h2: 'h4', h3: 'h5', h4: 'h6', h5: 'h6', h6: 'h6' };

/** The page title is the page's only top heading (SPEC §5): body headings move down two levels. */
function demoteHeadings($: CheerioAPI): void {
  for (const el of elements($, 'h1, h2, h3, h4, h5, h6')) el.tagName = DEMOTE[el.tagName] ?? el.tagName;
}

function captionLike(el: Element): boolean {
  return /caption/i.test(`${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`) && el.tagName !== 'figcaption';
}

/** Text of `root` outside `except`. */
function textOutside(root: Element, except: Element): string {
  let out = '';
  const walk = (n: AnyNode) => {
    if (n === except) return;
    if (n.type === 'text') out += (n as Text).data;
    else if ('children' in n) for (const c of n.children as AnyNode[]) walk(c);
  };
  walk(root);
  return out;
}

function figureOf($: CheerioAPI, imgs: Element[], caption: string): ReturnType<CheerioAPI> {
  const fig = $('<figure></figure>');
  for (const img of imgs) {
    const attrs: Record<string, string> = { src: img.attribs.src ?? '' };
    const alt = plainText(img.attribs.alt);
    if (alt) attrs.alt = alt;
    fig.append($('<img>').attr(attrs));
  }
  if (caption) fig.append($('<figcaption></figcaption>').text(caption));
  return fig;
}

/**
 * Every captioned image becomes `<figure><img><figcaption>text</figcaption></figure>`:
 *  - existing figures, rebuilt around their images and caption text (WordPress
 *    `figure.wp-caption`, VOA `figure.media-image` with layout wrappers);
 *  - an element with "caption" in its class or id next to a single image inside a small
 *    container (`div.wp-caption` + `p.wp-caption-text`, RFA `div.image-inline` +
 *    `div.image-caption`, NTDTV `div.featured_image` + `span.caption`, BBC `p.caption`);
 *  - the old `<p><img><br>caption</p>` pattern: a paragraph that starts with its only
 *    image and holds a short text after it.
 * Captions become plain text: a figcaption is a label, and GitHub shows it as written.
 */
function normaliseFigures($: CheerioAPI): void {
  for (const fig of elements($, 'figure').reverse()) {
    if (!isAttached($, fig)) continue;
    const imgs = $(fig).find('img').toArray() as Element[];
    if (imgs.length === 0) {
      fig.tagName = 'div';
      continue;
    }
    const cap = $(fig).find('figcaption').first();
    const caption = plainText(cap.length > 0 ? cap.text() : $(fig).text());
    $(fig).replaceWith(figureOf($, imgs, caption));
  }

  for (const cap of elements($, '[class], [id]')) {
    if (!captionLike(cap) || !isAttached($, cap) || $(cap).closest('figure').length > 0) continue;
    if ($(cap).find('img').length > 0) continue;
    const caption = plainText($(cap).text());
    if (caption === '') continue;
    let box = cap.parent as Element | null;
    for (let depth = 0; depth < 3 && box && box.type === 'tag'; depth++, box = box.parent as Element | null) {
      const imgs = $(box).find('img').toArray() as Element[];
      if (imgs.length > 1) break;
      if (imgs.length === 1) {
        if (isBlank(textOutside(box, cap))) $(box).replaceWith(figureOf($, imgs, caption));
        break;
      }
    }
  }

  for (const p of new Set($('p img').closest('p').toArray() as Element[])) {
    const imgs = $(p).find('img').toArray() as Element[];
    const img = imgs[0];
    if (imgs.length !== 1 || img === undefined || $(p).find('p, div, table, ul, ol, blockquote, figure').length > 0) {
      continue;
    }
    const before = textBefore(p, img);
    const caption = plainText($(p).text());
    if (!isBlank(before) || caption === '' || caption.length > 200) continue;
    $(p).replaceWith(figureOf($, [img], caption));
  }
}

function isAttached($: CheerioAPI, el: AnyNode): boolean {
  const root = $.root().get(0);
  for (let p: AnyNode | null = el; p; p = p.parent) if (p === root) return true;
  return false;
}

/** Text of `root` that comes before `target` in document order. */
function textBefore(root: Element, target: Element): string {
  let out = '';
  let done = false;
  const walk = (n: AnyNode) => {
    if (done) return;
    if (n === target) {
      done = true;
      return;
    }
    if (n.type === 'text') out += (n as Text).data;
    else if ('children' in n) for (const c of n.children as AnyNode[]) walk(c);
  };
  walk(root);
  return out;
}

/** The same picture at another size: WordPress `-600x400` suffixes and query strings differ. */
function imageKey(src: string): string {
  try {
    const u = new URL(src);
    const path = u.pathname.replace(/(?:-\d+x\d+)+(\.[A-Za-z0-9]+)$/, '$1');
    return `${u.hostname.replace(/^www\./, '')}${path}`.toLowerCase();
  } catch {
    return src;
  }
}

/**
 * The lead image is shown above the body; when the body opens with the same picture,
 * it is kept only as the lead, which takes the body copy's caption and alt if it had none.
 */
function dedupeLead($: CheerioAPI, lead: LeadImage | undefined): LeadImage | undefined {
  if (lead === undefined) return undefined;
  const first = $('img').get(0) as Element | undefined;
  if (first === undefined || imageKey(first.attribs.src ?? '') !== imageKey(lead.src)) return lead;
  const fig = $(first).closest('figure');
  const caption = fig.length > 0 ? plainText(fig.find('figcaption').text()) : '';
  const alt = plainText(first.attribs.alt);
  if (fig.length > 0) fig.remove();
  else $(first).remove();
  return {
    src: lead.src,
    alt: lead.alt || alt || undefined,
    caption: lead.caption || caption || undefined,
  };
}

/** Image policy `drop`: pictures go, their captions stay as paragraphs. */
function dropImages($: CheerioAPI): void {
  for (const fig of elements($, 'figure')) {
    const caption = plainText($(fig).find('figcaption').text());
    if (caption) $(fig).replaceWith($('<p></p>').text(caption));
    else $(fig).remove();
  }
  $('img').remove();
}

/** The rule's `dropLines`: paragraphs (or leaf blocks) whose whole text matches are removed. */
function dropLines($: CheerioAPI, patterns: readonly string[]): void {
  if (patterns.length === 0) return;
  const res = patterns.map((p) => compileUserPattern(p));
  for (const el of elements($, 'p, li, h1, h2, h3, h4, h5, h6, blockquote, div, dd, dt')) {
    if (el.tagName === 'div' && $(el).find('p, div, li, table, blockquote').length > 0) continue;
    const text = plainText($(el).text());
    if (text !== '' && res.some((re) => re.test(text))) $(el).remove();
  }
}

/** Only allowlisted attributes survive sanitising; dropping the rest now keeps later passes simple. */
function stripAttributes($: CheerioAPI): void {
  const global = ALLOWED_ATTRIBUTES['*'] ?? [];
  for (const el of elements($)) {
    const keep = new Set([...(ALLOWED_ATTRIBUTES[el.tagName] ?? []), ...global]);
    for (const name of Object.keys(el.attribs)) if (!keep.has(name)) delete el.attribs[name];
    if (el.attribs.dir !== undefined && !/^(?:ltr|rtl|auto)$/i.test(el.attribs.dir)) delete el.attribs.dir;
    // A bare span carries nothing (its class soup is gone): its text is enough.
    if (el.tagName === 'span' && Object.keys(el.attribs).length === 0) $(el).replaceWith($(el).contents());
  }
}

const EMPHASIS = new Set(['strong', 'b', 'em', 'i']);

/**
 * `<strong>一、</strong><strong>标题</strong>` (editors split bold runs) becomes one element:
 * fewer delimiters, and none left stranded between punctuation and a letter.
 */
function mergeAdjacentEmphasis($: CheerioAPI): void {
  for (const el of elements($).reverse()) {
    if (!EMPHASIS.has(el.tagName) || Object.keys(el.attribs).length > 0 || !isAttached($, el)) continue;
    const next = significantSibling(el, 'next');
    if (next?.type !== 'tag' || (next as Element).tagName !== el.tagName) continue;
    if (Object.keys((next as Element).attribs).length > 0) continue;
    let between = el.next;
    while (between && between !== next) {
      const after = between.next;
      $(el).append(between);
      between = after;
    }
    $(el).append($(next).contents());
    $(next).remove();
  }
}

function isWhitespaceText(n: AnyNode | null | undefined): boolean {
  return n?.type === 'text' && /^[ \t\n\r\f]*$/.test((n as Text).data);
}

function significantSibling(n: AnyNode, dir: 'prev' | 'next'): AnyNode | null {
  let p = dir === 'prev' ? n.prev : n.next;
  while (p && (isWhitespaceText(p) || p.type === 'comment')) p = dir === 'prev' ? p.prev : p.next;
  return p;
}

function isBr(n: AnyNode | null): boolean {
  return n?.type === 'tag' && (n as Element).tagName === 'br';
}

function isBlockNode(n: AnyNode | null): boolean {
  return n?.type === 'tag' && BLOCK.has((n as Element).tagName);
}

/**
 * Line breaks are layout at the edge of a block, next to a block, and beyond two in a row.
 * Two in a row separate paragraphs (`text<br><br>text`, as RFA writes them), and text that
 * sits loose between blocks is a paragraph too (an `<hr>` inside a `<p>` closes it, leaving
 * the rest of the paragraph outside): both become `<p>`, so that Markdown gets paragraph
 * breaks and `dropLines` sees every paragraph.
 */
function tidyBreaks($: CheerioAPI): void {
  for (const br of elements($, 'br')) {
    const prev = significantSibling(br, 'prev');
    const next = significantSibling(br, 'next');
    const parent = br.parent as Element | null;
    const parentIsBlock = parent?.type !== 'tag' || BLOCK.has(parent.tagName);
    const atEdge = (prev === null || next === null) && parentIsBlock;
    if (atEdge || isBlockNode(prev) || isBlockNode(next)) $(br).remove();
    else if (isBr(prev) && isBr(significantSibling(prev as AnyNode, 'prev'))) $(br).remove();
  }
  const root = $.root().get(0) as unknown as Element;
  for (const el of [root, ...elements($, 'p, div, blockquote')]) paragraphise($, el, el === root || el.tagName !== 'p');
}

function isDoubleBreak(n: AnyNode): boolean {
  return isBr(n) && isBr(significantSibling(n, 'next'));
}

/**
 * Splits `el`'s children into paragraphs at double line breaks and, in a container
 * (`container`: root, div, blockquote), around block children. Only done when there is
 * something to split, so plain paragraphs and inline-only containers stay as they are.
 */
function paragraphise($: CheerioAPI, el: Element, container: boolean): void {
  const kids = [...el.children] as AnyNode[];
  const hasBlock = container && kids.some(isBlockNode);
  if (!hasBlock && !kids.some(isDoubleBreak)) return;
  const segments: (AnyNode[] | AnyNode)[] = [];
  let current: AnyNode[] = [];
  const flush = () => {
    if (current.some((n) => !isWhitespaceText(n))) segments.push(current);
    current = [];
  };
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i] as AnyNode;
    if (isDoubleBreak(k)) {
      flush();
      i = kids.indexOf(significantSibling(k, 'next') as AnyNode);
    } else if (container && isBlockNode(k)) {
      flush();
      segments.push(k);
    } else {
      current.push(k);
    }
  }
  flush();
  const rebuilt = segments.map((seg) => (Array.isArray(seg) ? $('<p></p>').append(seg) : $(seg)));
  if (!container) {
    $(el).replaceWith(rebuilt.map((r) => r.get(0) as AnyNode));
  } else {
    $(el).empty();
    for (const r of rebuilt) $(el).append(r);
  }
}

/**
 * Elements with nothing visible left in them go, in one post-order walk, so that a `div`
 * holding only an empty `p` goes too. Images and rules count as visible.
 */
function removeEmpty($: CheerioAPI): void {
  const visit = (node: AnyNode): boolean => {
    if (node.type === 'text') return !isBlank((node as Text).data);
    if (node.type !== 'tag' && node.type !== 'root') return false;
    // The root is a Document, not an Element, but only its `children` are read.
    const el = node as Element;
    let visible = false;
    for (const child of [...el.children] as AnyNode[]) if (visit(child)) visible = true;
    if (el.type === 'tag' && (el.tagName === 'img' || el.tagName === 'hr')) return true;
    if (!visible && el.type === 'tag' && REMOVE_WHEN_EMPTY.has(el.tagName)) {
      // An inline element holding only spaces (`The<strong> </strong>harbour`, as editors leave
      // them) still separates the words around it: its spacing stays, the element goes.
      const spacing = BLOCK.has(el.tagName)
        ? ''
        : $(el)
            .text()
            .replace(/[^ \t\n\r\f\u00a0\u3000]/g, '');
      if (spacing === '') $(el).remove();
      else $(el).replaceWith(spacing);
      return false;
    }
    return visible;
  };
  visit($.root().get(0) as AnyNode);
}

type Token = { kind: 'text'; node: Text } | { kind: 'break' } | { kind: 'object' };

/**
 * Whitespace as a reader would see it. Feeds and mirrors re-indent HTML, leaving line
 * breaks between Chinese characters and the inline tags around them, which a browser (and
 * Markdown) renders as stray spaces inside words. Within each block: whitespace at the
 * block's edges or next to a `<br>` goes; a run containing a line break next to a CJK
 * character goes; any other run becomes one space. Only ASCII whitespace is touched:
 * U+3000 and U+00A0 are content. `<pre>` is left alone. Blocks are then put one per line.
 */
function normaliseWhitespace($: CheerioAPI): void {
  // The root is a Document, not an Element, but only its `children` are used.
  const root = $.root().get(0) as unknown as Element;
  normaliseContext(root);
  // One parsed newline, cloned where needed: `.before('\n')` would run the parser each time.
  const newline = $.root().append('\n').contents().last().remove().get(0);
  if (newline === undefined) return;
  for (const el of [root, ...elements($)]) {
    if (el !== root && !LINE_PER_CHILD.has(el.tagName)) continue;
    const kids = [...el.children];
    kids.forEach((child, i) => {
      if (i > 0 && child.type === 'tag' && BLOCK.has((child as Element).tagName)) {
        $(child).before(newline.cloneNode());
      }
    });
  }
}

function normaliseContext(container: Element): void {
  const tokens: Token[] = [];
  const nested: Element[] = [];
  const walk = (nodes: AnyNode[]) => {
    for (const n of nodes) {
      if (n.type === 'text') tokens.push({ kind: 'text', node: n as Text });
      else if (n.type === 'tag') {
        const el = n as Element;
        if (el.tagName === 'pre') {
          tokens.push({ kind: 'break' });
        } else if (BLOCK.has(el.tagName)) {
          tokens.push({ kind: 'break' });
          nested.push(el);
        } else if (el.tagName === 'br') {
          tokens.push({ kind: 'break' });
        } else if (el.tagName === 'img' || el.tagName === 'wbr') {
          tokens.push({ kind: 'object' });
        } else {
          walk(el.children as AnyNode[]);
        }
      }
    }
  };
  walk(container.children as AnyNode[]);
  collapseTokens(tokens);
  for (const el of nested) normaliseContext(el);
}

const BREAK = '\u0001';
const OBJECT = '\u0002';

function collapseTokens(tokens: Token[]): void {
  let s = '';
  const starts: number[] = [];
  for (const t of tokens) {
    starts.push(s.length);
    s += t.kind === 'text' ? t.node.data : t.kind === 'break' ? BREAK : OBJECT;
  }
  // Each whitespace run of the joined text becomes `replacement`, placed where the run
  // starts; a run may cross text nodes (`a <b> b</b>`), so the rest of it is dropped from
  // whichever node it reaches.
  const runs: { start: number; end: number; replacement: string }[] = [];
  for (const m of s.matchAll(/[ \t\n\r\f]+/g)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const prev = start > 0 ? s.charAt(start - 1) : BREAK;
    const next = end < s.length ? s.charAt(end) : BREAK;
    let replacement = ' ';
    if (prev === BREAK || next === BREAK) replacement = '';
    else if (/[\n\r]/.test(m[0]) && (isCjk(prev) || isCjk(next))) replacement = '';
    if (replacement !== m[0]) runs.push({ start, end, replacement });
  }
  let r = 0;
  tokens.forEach((t, i) => {
    if (t.kind !== 'text') return;
    const from = starts[i] ?? 0;
    const to = from + t.node.data.length;
    while (r < runs.length && (runs[r]?.end ?? 0) <= from) r++;
    if (r >= runs.length || (runs[r]?.start ?? to) >= to) return;
    let out = '';
    let pos = from;
    for (let k = r; k < runs.length; k++) {
      const run = runs[k];
      if (run === undefined || run.start >= to) break;
      out += s.slice(pos, Math.max(run.start, from));
      if (run.start >= from) out += run.replacement;
      pos = Math.min(run.end, to);
    }
    t.node.data = out + s.slice(pos, to);
  });
}
