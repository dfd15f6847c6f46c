/**
 * A starting site rule for an outlet no rule knows, found from a few of its pages (`check
 * --suggest-rule`), and how confident the fallback extractor's reading of the outlet is.
 *
 * On each page, the element whose text best matches the body the fallback extracted is the
 * body container; its selector (an id, else the tag and its stable classes, else a path from
 * an ancestor that has them) is what the pages have in common. Inside it, elements whose text
 * is not in the extracted body (share bars, related links) become removals; the `<h1>` that
 * holds the title, the element that holds the byline and the `<time>` (or date-named element)
 * that holds the date become the metadata selectors. The confidence is the share of pages on
 * which the chosen body selector finds (nearly) the text the fallback found: a layout the pages
 * share is one the fallback reads the same way every time, and one a rule can pin down.
 * A starting point: refine it with `newsmirror extract <url> --rule <file>`.
 */
import { type Cheerio, type CheerioAPI, load } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { SiteRule } from '../config/schema.js';
import { bigramF1 } from '../extract/index.js';
import { capNesting } from '../sources/nesting.js';
import { collapse } from '../sources/text.js';

export interface SuggestPage {
  url: string;
  html: string;
  /** The body text the fallback extracted. */
  text: string;
  title?: string | undefined;
  byline?: string | undefined;
}

export interface RuleSuggestion {
  rule: SiteRule;
  confidence: 'high' | 'medium' | 'low';
  /** Pages on which the body selector finds the fallback's text, of `pages`. */
  agreeing: number;
  pages: number;
}

/** A body selector that finds text this close to the fallback's (bigram F1) agrees with it. */
const AGREE = 0.8;
const NOISE =
  /(^|[-_])(ad|ads|advert|share|social|related|recommend|comment|promo|subscribe|newsletter|toolbar)s?([-_]|$)/i;

const stable = (name: string) => /^[A-Za-z_][\w-]*$/.test(name) && !/\d{3,}/.test(name);

/** A selector for `el`: `#id`, else `tag.class`, else a path from the nearest ancestor that has one. */
export function selectorFor($: CheerioAPI, el: Element, depth = 0): string {
  const id = $(el).attr('id');
  if (id && stable(id)) return `#${id}`;
  const classes = ($(el).attr('class') ?? '').split(/\s+/).filter(stable).slice(0, 2);
  const own = `${el.tagName.toLowerCase()}${classes.map((c) => `.${c}`).join('')}`;
  if (classes.length > 0 || depth >= 3) return own;
  const parent = el.parent;
  if (parent?.type !== 'tag' || ['body', 'html'].includes((parent as Element).tagName)) return own;
  return `${selectorFor($, parent as Element, depth + 1)} > ${own}`;
}

const textOf = (el: Cheerio<AnyNode>) => collapse(el.text());

function bodyContainer($: CheerioAPI, text: string): Element | undefined {
  let best: { el: Element; f1: number; len: number } | undefined;
  for (const el of $('article, main, section, div, td').toArray()) {
    const t = textOf($(el));
    if (t.length < text.length * 0.7 || t.length > text.length * 4 + 200) continue;
    const f1 = bigramF1(t, text);
    if (!best || f1 > best.f1 + 0.01 || (Math.abs(f1 - best.f1) <= 0.01 && t.length < best.len)) {
      best = { el, f1, len: t.length };
    }
  }
  return best && best.f1 >= 0.5 ? best.el : undefined;
}

function removals($: CheerioAPI, container: Element, text: string): string[] {
  const body = text.replace(/\s+/g, '');
  const out = new Set<string>();
  for (const el of $(container).find('*').toArray()) {
    const name = `${$(el).attr('class') ?? ''} ${$(el).attr('id') ?? ''}`;
    const t = textOf($(el)).replace(/\s+/g, '');
    const tag = el.tagName.toLowerCase();
    const foreign = t.length > 0 && !body.includes(t);
    if (['aside', 'nav', 'form', 'iframe'].includes(tag) || NOISE.test(name) || (foreign && name.trim())) {
      if (!name.trim() && !['aside', 'nav', 'form', 'iframe'].includes(tag)) continue;
      const classes = ($(el).attr('class') ?? '').split(/\s+/).filter(stable).slice(0, 1);
      out.add(classes.length ? `.${classes[0]}` : tag);
    }
  }
  return [...out];
}

function smallestWith($: CheerioAPI, selector: string, wanted: string | undefined): Element | undefined {
  if (!wanted) return undefined;
  const w = collapse(wanted);
  return ($(selector).toArray() as Element[])
    .filter((el) => textOf($(el)).includes(w) && textOf($(el)).length <= w.length + 40)
    .sort((a, b) => textOf($(a)).length - textOf($(b)).length)[0];
}

function mostCommon(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** A rule for the outlet of `pages` (its host), or undefined when no page shows a body container. */
export function suggestRule(pages: readonly SuggestPage[]): RuleSuggestion | undefined {
  const first = pages[0];
  if (!first) return undefined;
  const host = new URL(first.url).hostname.replace(/^www\./, '');
  const found = pages.map((p) => {
    const $ = load(capNesting(p.html), { xml: { xmlMode: false, decodeEntities: true } });
    const container = bodyContainer($, p.text);
    const time = ($('time[datetime]').first()[0] ??
      $('[class*="date"], [class*="time"], [class*="publish"]').first()[0]) as Element | undefined;
    const title = smallestWith($, 'h1', p.title);
    const byline = smallestWith($, 'body *', p.byline);
    return {
      $,
      page: p,
      body: container ? selectorFor($, container) : undefined,
      remove: container ? removals($, container, p.text) : [],
      date: time ? selectorFor($, time) : undefined,
      title: title ? selectorFor($, title) : undefined,
      byline: byline ? selectorFor($, byline) : undefined,
    };
  });
  const body = mostCommon(found.map((f) => f.body));
  if (!body) return undefined;
  const agreeing = found.filter((f) => {
    const el = f.$(body).first();
    return el.length > 0 && bigramF1(textOf(el), f.page.text) >= AGREE;
  }).length;
  const share = agreeing / pages.length;
  const remove = [...new Set(found.flatMap((f) => f.remove))].filter(
    (sel) => found.filter((f) => f.remove.includes(sel)).length * 2 >= pages.length,
  );
  const title = mostCommon(found.map((f) => f.title));
  const date = mostCommon(found.map((f) => f.date));
  const byline = mostCommon(found.map((f) => f.byline));
  const rule: SiteRule = {
    name:
      host
        .toLowerCase()
        .replace(/[^a-z0-9.-]/g, '-')
        .replace(/^[^a-z0-9]+/, '') || 'site',
    hosts: [host],
    example: first.url,
    ...(title ? { title: [title] } : {}),
    body: [body],
    ...(byline ? { byline: [byline] } : {}),
    ...(date ? { date: [date] } : {}),
    ...(remove.length ? { remove } : {}),
  };
  return {
    rule,
    confidence: share >= 0.9 && pages.length >= 2 ? 'high' : share >= 0.6 ? 'medium' : 'low',
    agreeing,
    pages: pages.length,
  };
}
