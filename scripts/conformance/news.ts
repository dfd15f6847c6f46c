/** corpus/news: full Chinese news pages with expected text/metadata, and outlets' body fragments. */
import { readFileSync } from 'node:fs';
import { cleanArticle } from '../../src/clean/index.js';
import type { SiteRule } from '../../src/config/schema.js';
import { fragmentPage, type NewsPage, readNewsFragments, readNewsPages } from '../../src/extract/corpus.js';
import { type Element, loadFragment } from '../../src/extract/dom.js';
import { extractArticle } from '../../src/extract/index.js';
import { bigramF1, htmlText } from '../../src/extract/score.js';
import { decodeBody } from '../../src/fetch/charset.js';
import { builtinRules, findRule } from '../../src/sites/index.js';
import type { Article } from '../../src/types.js';
import type { Decoder } from './charset.js';
import { type CaseRow, describe, fixed, mean, norm, round, type SuiteResult } from './report.js';

export interface NewsSummary {
  /** Full pages plus fragments. */
  cases: number;
  crashes: number;
  /** Full pages that have an expected body text (the F1 is over these). */
  withExpectedText: number;
  /** Mean character-bigram F1 of the cleaned body (and lead caption) against the expected text. */
  meanF1: number;
  /** The same with every rule switched off: the generic fallback on outlets without a rule. */
  fallbackMeanF1: number;
  /** Mean F1 of the fallback's text against the rule's, over every full page. */
  fallbackVsRuleF1: number;
  /** Title / author / date / body-substring checks from the expectation files that pass. */
  metadataChecks: number;
  metadataMatch: number;
  /** Full pages extracted by a built-in rule (not the fallback). */
  pagesByRule: number;
  pages: number;
  fragments: number;
  /** Fraction of the fragments' source paragraphs (and captions) found in the output. */
  fragmentParagraphsKept: number;
  fragmentCaptionsKept: number;
}

const META = { id: 'c', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };

/** Whitespace dropped entirely: paragraphs are compared as runs of characters. */
const chars = (s: string) => s.replace(/\s+/gu, '');

/** `YYYY-MM-DD HH:mm:ss` of an ISO instant in `timezone`. */
export function localTime(iso: string, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

export function readerText(article: Article): string {
  return `${article.leadImage?.caption ?? ''} ${htmlText(article.html)}`;
}

/** The metadata checks of one page: [what, passed, detail]. */
export function metadataChecks(article: Article, page: NewsPage, text: string): [string, boolean, string][] {
  const e = page.expected;
  const out: [string, boolean, string][] = [];
  if (e.title !== undefined) {
    const ok = norm(article.title) === norm(e.title) || norm(e.title).startsWith(norm(article.title) + '--');
    out.push(['title', ok && article.title !== '', `${JSON.stringify(article.title)} vs ${JSON.stringify(e.title)}`]);
  }
  if (e.titleContains !== undefined) {
    out.push([
      'title',
      chars(article.title).includes(chars(e.titleContains)),
      `${JSON.stringify(article.title)} should contain ${JSON.stringify(e.titleContains)}`,
    ]);
  }
  for (const a of e.authors ?? []) {
    out.push([
      'author',
      (article.byline ?? '').includes(a),
      `byline ${JSON.stringify(article.byline ?? null)} lacks ${a}`,
    ]);
  }
  if (e.dateLocal !== undefined) {
    const ours = article.published ? localTime(article.published, page.timezone) : '';
    // twnews writes minutes with `:00` seconds: compare to the minute then.
    const want = e.dateLocal.replace(/^(\d{4}-\d\d-\d\d \d\d:\d\d):00$/, '$1');
    out.push(['date', ours.startsWith(want), `published ${ours || 'none'} vs ${e.dateLocal} (${page.timezone})`]);
  }
  if (e.bodyContains !== undefined) {
    out.push(['body', chars(text).includes(chars(e.bodyContains)), 'body substring missing']);
  }
  return out;
}

/**
 * What the news section runs with: the site rules (the built-in ones) and the decoder
 * (`decodeBody`). A test passes broken ones to check that the bars catch them.
 */
export interface NewsOptions {
  rules?: readonly SiteRule[];
  decode?: Decoder;
}

export function extractPage(
  page: NewsPage,
  useRules = true,
  options: NewsOptions = {},
): { article: Article; extractor: string; rule: SiteRule | undefined } {
  const html = (options.decode ?? decodeBody)(readFileSync(page.path), undefined).text;
  const rule = useRules ? findRule(page.url, options.rules ?? builtinRules) : undefined;
  const extracted = extractArticle({ html, url: page.url, rule, timezone: page.timezone });
  return {
    article: cleanArticle(extracted, META, { rule, images: 'mirror' }),
    extractor: extracted.rule ? `${extracted.extractor}:${extracted.rule}` : extracted.extractor,
    rule,
  };
}

export function runNews(corpus: string, options: NewsOptions = {}): SuiteResult<NewsSummary> {
  const rules = options.rules ?? builtinRules;
  const rows: CaseRow[] = [];
  let crashes = 0;
  const f1s: number[] = [];
  const fallbackF1s: number[] = [];
  const fallbackVsRule: number[] = [];
  let checks = 0;
  let passed = 0;
  let byRule = 0;
  const pages = readNewsPages(corpus);
  for (const page of pages) {
    let result: ReturnType<typeof extractPage>;
    try {
      result = extractPage(page, true, options);
    } catch (err) {
      crashes++;
      if (page.expected.text !== undefined) f1s.push(0);
      rows.push({
        name: page.file,
        status: 'crash',
        cells: { kind: 'page', extractor: '-', F1: '-', meta: '-' },
        note: describe(err),
      });
      continue;
    }
    const { article, extractor } = result;
    if (extractor.startsWith('rule')) byRule++;
    const text = readerText(article);
    const f1 = page.expected.text === undefined ? undefined : bigramF1(text, page.expected.text);
    if (f1 !== undefined) f1s.push(f1);
    // The same page with no rule: how the generic fallback does on an outlet nobody wrote a rule for,
    // against the expected text where there is one, and against what the rule extracts on every page.
    let fallbackText = '';
    try {
      fallbackText = readerText(extractPage(page, false, options).article);
    } catch {
      // ExtractEmpty: an empty text, F1 0.
    }
    if (page.expected.text !== undefined) fallbackF1s.push(bigramF1(fallbackText, page.expected.text));
    fallbackVsRule.push(bigramF1(fallbackText, text));
    const meta = metadataChecks(article, page, text);
    checks += meta.length;
    passed += meta.filter((m) => m[1]).length;
    const failed = meta.filter((m) => !m[1]);
    rows.push({
      name: page.file,
      status: (f1 === undefined || f1 >= 0.9) && failed.length === 0 ? 'ok' : 'fail',
      cells: {
        kind: 'page',
        extractor,
        F1: fixed(f1),
        meta: meta.length === 0 ? '-' : `${meta.length - failed.length}/${meta.length}`,
      },
      note: failed.map((m) => `${m[0]}: ${m[2]}`).join('; ') || undefined,
    });
  }

  const fragments = readNewsFragments(corpus);
  const kept: number[] = [];
  const captionsKept: number[] = [];
  for (const f of fragments) {
    const rule = findRule(f.url, rules);
    let article: Article;
    let extractor: string;
    try {
      const extracted = extractArticle({ html: fragmentPage(f), url: f.url, rule });
      extractor = extracted.rule ? `${extracted.extractor}:${extracted.rule}` : extracted.extractor;
      article = cleanArticle(extracted, META, { rule, images: 'mirror' });
    } catch (err) {
      crashes++;
      rows.push({
        name: f.file,
        status: 'crash',
        cells: { kind: 'fragment', extractor: '-', F1: '-', meta: '-' },
        note: describe(err),
      });
      continue;
    }
    const out = chars(readerText(article));
    const { paragraphs, captions } = sourceBlocks(f.html, rule);
    const lost = paragraphs.filter((p) => !out.includes(p));
    const lostCaptions = captions.filter((c) => !out.includes(c));
    kept.push(paragraphs.length === 0 ? 1 : 1 - lost.length / paragraphs.length);
    captionsKept.push(captions.length === 0 ? 1 : 1 - lostCaptions.length / captions.length);
    // Fragments made from the feed's content lack the page's container: the fallback is right there.
    const container = (rule?.body ?? []).some((sel) => loadFragment(f.html)(sel).length > 0);
    const ok = lost.length === 0 && lostCaptions.length === 0 && (!container || extractor.startsWith('rule'));
    rows.push({
      name: f.file,
      status: ok ? 'ok' : 'fail',
      cells: {
        kind: 'fragment',
        extractor,
        F1: '-',
        meta: `¶ ${paragraphs.length - lost.length}/${paragraphs.length}, captions ${captions.length - lostCaptions.length}/${captions.length}`,
      },
      note:
        [
          ...lost.map((p) => `lost ¶ "${p.slice(0, 24)}…"`),
          ...lostCaptions.map((c) => `lost caption "${c.slice(0, 24)}…"`),
        ]
          .slice(0, 3)
          .join('; ') || undefined,
    });
  }

  return {
    columns: ['kind', 'extractor', 'F1', 'meta'],
    rows,
    summary: {
      cases: pages.length + fragments.length,
      crashes,
      withExpectedText: f1s.length,
      meanF1: round(mean(f1s)),
      fallbackMeanF1: round(mean(fallbackF1s)),
      fallbackVsRuleF1: round(mean(fallbackVsRule)),
      metadataChecks: checks,
      metadataMatch: round(passed / Math.max(1, checks)),
      pagesByRule: byRule,
      pages: pages.length,
      fragments: fragments.length,
      fragmentParagraphsKept: round(mean(kept)),
      fragmentCaptionsKept: round(mean(captionsKept)),
    },
  };
}

/**
 * The paragraphs and captions of a fragment's source body, as runs of characters. Text inside
 * what the rule removes, or lines its `dropLines` drop, is the outlet's furniture and not counted.
 */
export function sourceBlocks(html: string, rule: SiteRule | undefined): { paragraphs: string[]; captions: string[] } {
  const $ = loadFragment(html);
  // Fallback text of players is not article text (`Your browser does not support the video tag`).
  $('script, style, noscript, template, video, audio, object, iframe').remove();
  for (const sel of rule?.remove ?? []) $(sel).remove();
  const drop = (rule?.dropLines ?? []).map((p) => new RegExp(p, 'u'));
  const paragraphs = ($('p, li, h1, h2, h3, h4, h5, h6, td').toArray() as Element[])
    .filter((el) => $(el).find('p, li, td').length === 0)
    .map((el) => norm($(el).text()))
    .filter((t) => t !== '' && !drop.some((re) => re.test(t)))
    .map(chars);
  const captions = (
    $('figcaption, .wp-caption-text, .image-caption, #headerimgcaption, .caption').toArray() as Element[]
  )
    .map((el) => chars($(el).text()))
    .filter((t) => t !== '');
  return { paragraphs, captions };
}
