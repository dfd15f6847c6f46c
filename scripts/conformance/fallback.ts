/**
 * corpus/news with every site rule switched off: each full Chinese page through the generic
 * extractor, as it meets an outlet nobody wrote a rule for (the common case for a new operator),
 * scored against the same expectations as the news section.
 */
import { readNewsPages } from '../../src/extract/corpus.js';
import { bigramF1 } from '../../src/extract/score.js';
import { extractPage, metadataChecks, readerText } from './news.js';
import { type CaseRow, describe, fixed, mean, round, type SuiteResult } from './report.js';

export interface FallbackSummary {
  pages: number;
  crashes: number;
  /** Pages with an expected body text: the F1 below is over these. */
  withExpectedText: number;
  /** Mean character-bigram F1 of the fallback's text against the expected text. */
  meanF1: number;
  /** Mean F1 against what the page's rule extracts, over every page (the rule's text as the reference). */
  meanF1VsRule: number;
  metadataChecks: number;
  metadataMatch: number;
  /** Bylines that are neither an expected author nor the rule's byline (a reader's handle, a label). */
  strayBylines: number;
}

export function runFallback(corpus: string): SuiteResult<FallbackSummary> {
  const rows: CaseRow[] = [];
  const f1s: number[] = [];
  const vsRule: number[] = [];
  let crashes = 0;
  let checks = 0;
  let passed = 0;
  let stray = 0;
  const pages = readNewsPages(corpus);
  for (const page of pages) {
    const byRule = extractPage(page, true).article;
    let result: ReturnType<typeof extractPage>;
    try {
      result = extractPage(page, false);
    } catch (err) {
      crashes++;
      if (page.expected.text !== undefined) f1s.push(0);
      vsRule.push(0);
      rows.push({
        name: page.file,
        status: 'crash',
        cells: { extractor: '-', F1: '-', byline: '-', meta: '-' },
        note: describe(err),
      });
      continue;
    }
    const { article, extractor } = result;
    const text = readerText(article);
    const f1 = page.expected.text === undefined ? undefined : bigramF1(text, page.expected.text);
    if (f1 !== undefined) f1s.push(f1);
    const ref = bigramF1(text, readerText(byRule));
    vsRule.push(ref);
    const meta = metadataChecks(article, page, text);
    checks += meta.length;
    passed += meta.filter((m) => m[1]).length;
    const authors = page.expected.authors ?? [];
    const byline = article.byline;
    const isStray =
      byline !== undefined &&
      byline !== byRule.byline &&
      (authors.length === 0 || !authors.some((a) => byline.includes(a)));
    if (isStray) stray++;
    const failed = meta.filter((m) => !m[1]);
    rows.push({
      name: page.file,
      status: (f1 ?? ref) >= 0.9 && failed.length === 0 && !isStray ? 'ok' : 'fail',
      cells: {
        extractor,
        F1: fixed(f1),
        vsRule: fixed(ref),
        byline: byline ?? '-',
        meta: meta.length === 0 ? '-' : `${meta.length - failed.length}/${meta.length}`,
      },
      note: [...(isStray ? ['stray byline'] : []), ...failed.map((m) => `${m[0]}: ${m[2]}`)].join('; ') || undefined,
    });
  }
  return {
    columns: ['extractor', 'F1', 'vsRule', 'byline', 'meta'],
    rows,
    summary: {
      pages: pages.length,
      crashes,
      withExpectedText: f1s.length,
      meanF1: round(mean(f1s)),
      meanF1VsRule: round(mean(vsRule)),
      metadataChecks: checks,
      metadataMatch: round(passed / Math.max(1, checks)),
      strayBylines: stray,
    },
  };
}
