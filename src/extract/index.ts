import type { CheerioAPI } from 'cheerio';
import type { SiteRule } from '../config/schema.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { capText, LIMITS } from '../sources/limits.js';
import type { ExtractedArticle, FeedItem, LeadImage } from '../types.js';
import { pruneTree } from './boilerplate.js';
import { extractionConfidence } from './confidence.js';
import { atLocalMidnight, pickDate, scriptDate } from './dates.js';
import { type DensityResult, densityExtract, hanCount, hanRatio } from './density.js';
import {
  type AnyNode,
  collapseText,
  type Element,
  indexTags,
  loadDocument,
  loadFragment,
  selectEach,
  stillAttached,
  type TagIndex,
} from './dom.js';
import { headlineCandidate } from './headline.js';
import { leadParagraph, missingLead, pageDescriptions } from './lead.js';
import {
  date,
  guessedByline,
  type Metadata,
  merge,
  normaliseLang,
  PAGE_TAGS,
  readPageMetadata,
  readRuleMetadata,
} from './metadata.js';
import { readabilityExtract } from './readability.js';
import { asidesHoldingTheArticle, noscriptArticles, removeAuthorCards, withoutNonText } from './reduce.js';
import { imageSource, LAZY_SRC_ATTRS, resolveSrcset, resolveUrl } from './urls.js';

export { LOW_CONFIDENCE } from './confidence.js';
export { bigramF1, htmlText } from './score.js';

export interface ExtractInput {
  /** The fetched page, decoded. May be '' when the feed content is the whole article. */
  html: string;
  /** The page's URL after redirects: relative URLs resolve against it (or its `<base href>`). */
  url: string;
  item?: FeedItem | undefined;
  rule?: SiteRule | undefined;
  /** IANA zone for page dates without an offset when the rule names none (the outlet's zone). */
  timezone?: string | undefined;
}

/** The config's default outlet zone; the outlets this tool is built for mostly date in China time. */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/**
 * Pulls the article out of a fetched page: body, title, byline, date, language, lead image.
 *
 * The body comes from the first of these that yields text (or an image):
 *   1. the feed item's own content, when the rule says the feed carries whole articles;
 *   2. the rule's `body` selectors, after removing its `remove` selectors;
 *   3. Mozilla Readability, for pages no rule knows (or whose markup changed under the rule);
 *      on Chinese pages checked against a Chinese-aware density finder (`density.ts`), which
 *      wins when Readability settled on a block with far less Chinese text.
 *
 * Metadata, most trusted first: the page's structured data (JSON-LD, then OpenGraph /
 * article / Dublin Core meta tags and `<html lang>`), then the rule's selectors, then the
 * feed item, then Readability's guesses, then the `<title>` element. Structured data is
 * what the publisher states about this article; selectors scrape what is displayed; the
 * feed may be stale or truncated; `<title>` carries the site name.
 * The lead image is the exception: the rule's `leadImage` wins because it comes with its
 * caption, while `og:image` is often a crop made for link previews.
 *
 * Pure: the input is never changed; each parse is a fresh tree. Throws
 * `MirrorError('ExtractEmpty')` when no body can be found.
 */
export function extractArticle(input: ExtractInput): ExtractedArticle {
  const { url, item, rule } = input;
  const timezone = rule?.timezone ?? input.timezone ?? DEFAULT_TIMEZONE;
  const lazyAttrs = rule?.lazyImageAttrs ?? [];

  const $ = loadDocument(input.html);
  const tags = indexTags($.root().toArray(), EXTRACT_TAGS);
  const base = documentBase(tags.get('base') ?? [], url);
  // Metadata first: rule selectors may name <meta> elements, which the body never keeps.
  const page = readPageMetadata($, base, timezone, tags);
  // The rule's selectors, matched in one walk of the page: metadata and lead image, and those of
  // its `remove` and `body` selectors whose matches no removal can change (`orderFree`).
  const select = rule ? selectEach($, ruleSelectors(rule)) : undefined;
  const ruleMeta: ReturnType<typeof readRuleMetadata> = rule ? readRuleMetadata($, rule, timezone, select) : {};
  const ruleLead = rule ? leadFromRule($, rule, base, lazyAttrs, select) : undefined;
  // Read before the scripts are stripped: a date some pages give only in a script variable.
  const fromScript = scriptDate(tags.get('script') ?? [], timezone);
  const described = rule ? [] : pageDescriptions(tags.get('meta') ?? []);
  $(STRIPPED.flatMap((name) => tags.get(name) ?? [])).remove();
  for (const sel of rule?.remove ?? []) $(select && orderFree(sel) ? select(sel) : sel).remove();

  let extractor: ExtractedArticle['extractor'];
  let html: string;
  let fallback: Metadata = {};
  // The fallback's pruned tree and standfirst, whose text the confidence reads.
  let measured: { tree: CheerioAPI; lead: string | undefined } | undefined;
  const feedHtml =
    rule?.feedContentComplete && item?.content
      ? feedBody(item.content, item.url || url, rule.remove ?? [], lazyAttrs)
      : '';
  // URLs are made absolute in what is kept: the rule's body, or the page the fallback reads.
  const ruleHtml =
    feedHtml === '' && rule
      ? ruleBody(
          $,
          rule.body ?? [],
          (els) => absolutize(els, base, lazyAttrs),
          (sel) => (select && orderFree(sel) ? stillAttached(select(sel)) : ($(sel).toArray() as Element[])),
        )
      : '';
  if (feedHtml !== '') {
    extractor = 'feed';
    html = feedHtml;
  } else if (ruleHtml !== '') {
    extractor = 'rule';
    html = ruleHtml;
  } else {
    absolutize($.root().toArray(), base, lazyAttrs);
    const headings = () => stillAttached(tags.get('h1') ?? []);
    asidesHoldingTheArticle($, stillAttached(tags.get('aside') ?? []), headings());
    noscriptArticles($, stillAttached(tags.get('noscript') ?? []));
    removeAuthorCards($);
    // Without what Readability's first pass would drop itself, and when that pass does not
    // find the article, the page as its later passes need it.
    const first =
      input.html.trim() === ''
        ? undefined
        : (readabilityExtract(withoutNonText($, { unlikely: true }), base, { firstPassOnly: true }) ??
          readabilityExtract(withoutNonText($), base));
    // Readability's block shares under a quarter of the headline's words: look under the <h1>.
    const r = headlineCandidate($, page.structured.title ?? page.titleTag, first, base) ?? first;
    const d = input.html.trim() === '' ? undefined : chineseCandidate($, tags, r?.text);
    if (r === undefined && d === undefined) {
      throw new MirrorError(ErrorCodes.ExtractEmpty, `no article text found in ${url}`, {
        hint: rule
          ? `the page no longer matches rule "${rule.name}" and the generic extractor found nothing either: check its body selectors with \`newsmirror extract ${url}\``
          : `the generic extractor found no article; write a site rule for this host (see \`newsmirror extract ${url}\`)`,
      });
    }
    let pruned: CheerioAPI;
    if (d !== undefined || r === undefined) {
      extractor = 'density';
      pruned = pruneTree(d?.html ?? '');
    } else {
      extractor = 'readability';
      pruned = pruneTree(r.html);
    }
    html = pruned.html();
    // The standfirst under the headline, when the page's header holds it and the body does not.
    const lead = missingLead($, described, d?.text ?? r?.text ?? '', headings());
    if (lead !== undefined) html = leadParagraph(lead) + html;
    measured = { tree: pruned, lead };
    fallback = {
      title: r?.title,
      byline: guessedByline(r?.byline),
      published: date(r?.published, timezone),
      lang: normaliseLang(r?.lang),
    };
  }

  const fromItem: Metadata = {
    title: item?.title,
    byline: item?.author,
    published: item?.published,
    image: item?.image,
  };
  const meta = merge(page.structured, ruleMeta, fromItem, {
    ...fallback,
    title: guessTitle(fallback.title, page.titleTag),
  });
  // The date by the same order of trust, the page's scripts just before the fallback's guess,
  // and how precise it is: a date naming only a day yields to a time on that day (`pickDate`).
  const dated = pickDate([
    { published: page.structured.published, publishedDayOnly: page.publishedDayOnly },
    ruleMeta,
    { published: item?.published, publishedDayOnly: atLocalMidnight(item?.published, input.timezone ?? timezone) },
    fromScript,
    { published: fallback.published },
  ]);
  const leadImage = ruleLead ?? leadFromUrl(meta.image, base);

  return {
    url,
    title: meta.title ?? '',
    byline: meta.byline,
    published: dated.published,
    datePrecision: dated.precision,
    lang: meta.lang,
    leadImage,
    html,
    extractor,
    rule: rule?.name,
    confidence: extractionConfidence({
      extractor,
      title: meta.title,
      html: measured?.tree ?? html,
      lead: measured?.lead,
    }),
  };
}

/** Elements the body never keeps: code, styling, and the head's links and metadata. */
const STRIPPED = ['script', 'style', 'template', 'link', 'meta'];
/** What extraction finds by tag name, in one walk of the page (`indexTags`). */
const EXTRACT_TAGS: ReadonlySet<string> = new Set([
  ...PAGE_TAGS,
  ...STRIPPED,
  'base',
  'body',
  'h1',
  'aside',
  'noscript',
]);

/** The first `<base href>` (itself relative to the page), or the page URL. */
function documentBase(bases: readonly Element[], url: string): string {
  const href = bases.find((b) => b.attribs.href !== undefined)?.attribs.href;
  return resolveUrl(href, url) ?? url;
}

/**
 * Makes `href`, `src`, `srcset`, `cite` and lazy-image attributes absolute, so the body
 * means the same thing wherever it is later placed (the clean stage resolves against the
 * article URL, which knows nothing of this page's `<base>`). Unresolvable values are left
 * for the sanitiser to judge.
 */
function absolutize(roots: AnyNode[], base: string, lazyAttrs: readonly string[]): void {
  // Attribute names come from operator config: only plain names.
  const lazy = [...lazyAttrs.filter((a) => /^[A-Za-z_][\w.-]*$/.test(a)), ...LAZY_SRC_ATTRS];
  const urls = new Set(['href', 'src', 'cite', 'poster', ...lazy]);
  const lazyNames = new Set(lazy);
  // The roots themselves too: a continuation paragraph is kept with its own attributes. One walk
  // of the elements, each reading only the attributes it has (a selector of every attribute name
  // cost a sort of the whole page).
  const stack: AnyNode[] = [...roots];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (!('children' in node)) continue;
    if ('attribs' in node) {
      const attribs = (node as Element).attribs;
      for (const name in attribs) {
        const v = attribs[name] as string;
        if (urls.has(name)) {
          // A lazy attribute may be a flag (`data-src="true"`), not a URL.
          if (lazyNames.has(name) && !/[/.]/.test(v)) continue;
          const abs = resolveUrl(v, base);
          if (abs !== undefined) attribs[name] = abs;
        } else if (name === 'srcset' || name === 'data-srcset') {
          attribs[name] = resolveSrcset(v, base);
        }
      }
    }
    for (const kid of node.children) stack.push(kid);
  }
}

function feedBody(content: string, base: string, remove: readonly string[], lazyAttrs: readonly string[]): string {
  const $ = loadFragment(content);
  $('script, style, template').remove();
  for (const sel of remove) $(sel).remove();
  absolutize($.root().toArray(), base, lazyAttrs);
  return hasContent($, $.root().toArray()) ? $.html() : '';
}

/**
 * On a page written in Chinese (`<html lang="zh…">`, or at least 30 % of its letters Han), the Chinese-aware density
 * finder's article when Readability found none, or when Readability's holds less than half as
 * much Chinese text: then Readability settled on something else (a notice, a caption block)
 * because its scoring undervalues short Chinese paragraphs. Otherwise undefined: Readability's
 * cleaning inside the container is the better of the two.
 */
function chineseCandidate(
  $: CheerioAPI,
  tags: TagIndex,
  readabilityText: string | undefined,
): DensityResult | undefined {
  const lang = stillAttached(tags.get('html') ?? [])[0]?.attribs.lang ?? '';
  if (!/^zh(?:-|$)/i.test(lang) && hanRatio($(stillAttached(tags.get('body') ?? [])).text()) < 0.3) return undefined;
  const d = densityExtract($);
  if (d === undefined) return undefined;
  if (readabilityText === undefined || hanCount(readabilityText) < 0.5 * hanCount(d.text)) return d;
  return undefined;
}

/**
 * The inner HTML of every element the first productive selector matches, in document
 * order, skipping matches nested inside another match (a `.content` inside a `.content`),
 * followed by the paragraphs that continue the body after it (see `continuation`), each
 * passed to `prepare` before it is serialised.
 */
function ruleBody(
  $: CheerioAPI,
  selectors: readonly string[],
  prepare: (els: AnyNode[]) => void,
  matchesOf: (selector: string) => Element[],
): string {
  for (const sel of selectors) {
    const matches = matchesOf(sel);
    const outer = matches.filter((el) => !matches.some((other) => other !== el && contains(other, el)));
    if (outer.length > 0 && hasContent($, outer)) {
      const last = outer[outer.length - 1] as AnyNode;
      const more = continuation($, last);
      prepare([...outer, ...more]);
      return [...outer.map((el) => $(el).html() ?? ''), ...more.map((el) => $.html(el))].join('\n');
    }
  }
  return '';
}

/** Elements that can carry article text after the body container. */
const CONTINUES = new Set(['p', 'blockquote', 'table', 'ul', 'ol', 'h2', 'h3', 'h4', 'h5', 'h6', 'figure', 'pre']);
/** Furniture that ends the article: share bars, related lists, comments, footers. */
const ENDS_ARTICLE =
  /(?:^|[-_\s])(?:share|social|related|recommend\w*|comments?|footer|copyright|tags?|keywords?|pagination|pager|next|prev)(?:$|[-_\s])/i;

/**
 * Paragraphs that follow the body container as its siblings are still the article when the
 * page closes the container early: a stray `</div>` in the middle of the body (an ad slot
 * left unbalanced — the mirrored secretchina pages have one) makes the browser, and every
 * HTML parser, put the rest of the article beside the container instead of inside it.
 * Following siblings are taken up to the first piece of furniture, and only when at least
 * two of them are real paragraphs (text of some length, few links), or they hold more text
 * than the container: a lone copyright line after an intact body is not a continuation.
 */
function continuation($: CheerioAPI, container: AnyNode): Element[] {
  const picked: Element[] = [];
  let substantial = 0;
  for (let n = container.next; n; n = n.next) {
    if (n.type !== 'tag') continue;
    const el = n as Element;
    const attrs = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
    const text = collapseText($(el).text());
    const linkText = collapseText($(el).find('a').text()).length;
    const density = text.length === 0 ? 0 : linkText / text.length;
    if (
      ENDS_ARTICLE.test(attrs) ||
      /^(?:footer|nav|aside|form)$/.test(el.tagName) ||
      (density > 0.5 && text.length >= 30)
    ) {
      break;
    }
    if (!CONTINUES.has(el.tagName) || text === '' || density > 0.3) continue;
    picked.push(el);
    if (isParagraph(text)) substantial++;
  }
  if (substantial === 0) return [];
  // Two paragraphs, or more text than the container kept: the container was cut short.
  const more = picked.reduce((n, el) => n + collapseText($(el).text()).length, 0);
  return substantial >= 2 || more > collapseText($(container).text()).length ? picked : [];
}

/** Text long enough to be a paragraph of an article: 15 Han characters, or 80 characters. */
function isParagraph(text: string): boolean {
  return text.length >= 80 || hanCount(text) >= 15;
}

function contains(ancestor: AnyNode, node: AnyNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

function hasContent($: CheerioAPI, nodes: AnyNode[]): boolean {
  const sel = $(nodes);
  return collapseText(sel.text()) !== '' || sel.find('img').length > 0 || sel.is('img');
}

/**
 * The selectors of a rule matched in the walk before the page is stripped: metadata, lead image
 * and caption, and the `remove` and `body` selectors that are `orderFree`.
 */
function ruleSelectors(rule: SiteRule): string[] {
  return [
    ...(rule.title ?? []),
    ...(rule.byline ?? []),
    ...(rule.date ?? []),
    ...(rule.leadImage ? [rule.leadImage] : []),
    ...(rule.leadCaption ? [rule.leadCaption] : []),
    ...(rule.remove ?? []).filter(orderFree),
    ...(rule.body ?? []).filter(orderFree),
  ];
}

/**
 * A selector whose matches removing other elements cannot change: no pseudo-class (`:first-child`,
 * `:has`, `:empty`, `:not`) and no sibling combinator (`+`, `~`). Removing an element changes
 * only siblings and the element's own subtree, so such a selector's matches before the page is
 * stripped are its matches after, less those removed with an ancestor (`stillAttached`). The
 * others are matched when they are used, as before.
 */
function orderFree(selector: string): boolean {
  return !/[:+~]/.test(selector);
}

function leadFromRule(
  $: CheerioAPI,
  rule: SiteRule,
  base: string,
  lazyAttrs: readonly string[],
  select: (selector: string) => Element[] = (selector) => $(selector).toArray() as Element[],
): LeadImage | undefined {
  if (!rule.leadImage) return undefined;
  const hit = $(select(rule.leadImage).slice(0, 1));
  const img = (hit.is('img') ? hit : hit.find('img').first()).get(0) as Element | undefined;
  if (img === undefined) return undefined;
  const src = imageSource(img.attribs, base, lazyAttrs);
  if (src === undefined) return undefined;
  const caption = rule.leadCaption
    ? capText(collapseText($(select(rule.leadCaption).slice(0, 1)).text()), LIMITS.caption)
    : '';
  const alt = capText(collapseText(img.attribs.alt ?? img.attribs.title ?? ''), LIMITS.caption);
  return { src, alt: alt || undefined, caption: caption || undefined };
}

/** A lead image named only by URL (JSON-LD, og:image, the feed). Site logos are not lead images. */
function leadFromUrl(src: string | undefined, base: string): LeadImage | undefined {
  const abs = resolveUrl(src, base);
  if (abs === undefined || !/^https?:/.test(abs)) return undefined;
  // The last path segment only: `[^/]*$` after every `-logo` of a long path was quadratic.
  const path = new URL(abs).pathname;
  if (/(?:^|[_.-])(?:logo|default|placeholder|share)/i.test(path.slice(path.lastIndexOf('/') + 1))) return undefined;
  return { src: abs };
}

/**
 * Readability's title heuristics count words by spaces, so for Chinese they keep the
 * site-name suffix of `<title>` that ours removes: when one is a part of the other, the
 * shorter one is the headline.
 */
function guessTitle(readability: string | undefined, titleTag: string | undefined): string | undefined {
  if (readability && titleTag && titleTag.length < readability.length && readability.includes(titleTag)) {
    return titleTag;
  }
  return readability ?? titleTag;
}
