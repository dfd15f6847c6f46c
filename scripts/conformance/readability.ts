/** corpus/readability: Mozilla Readability's 130 test pages, through extract → clean. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { cleanArticle } from '../../src/clean/index.js';
import { MirrorError } from '../../src/errors.js';
import { extractArticle } from '../../src/extract/index.js';
import { bigramF1, htmlText } from '../../src/extract/score.js';
import { decodeBody } from '../../src/fetch/charset.js';
import { type CaseRow, describe, fixed, mean, norm, round, type SuiteResult } from './report.js';

export interface ReadabilitySummary {
  cases: number;
  /** Cases whose expected-metadata.json says readerable (the F1 is over these). */
  readerable: number;
  crashes: number;
  /** Mean character-bigram F1 of the cleaned body against expected.html, over readerable cases. */
  meanF1: number;
  /**
   * Fraction of readerable cases (with an expected title) whose title is the expected one:
   * equal after collapsing whitespace, or equal once the expected title's site-name suffix
   * (`… | eHow`, `…_腾讯网`) is set aside — we strip it on purpose, Readability keeps it.
   */
  titleMatch: number;
  /** Readerable cases with F1 below 0.9: the ones to look at. */
  below90: number;
  /** Non-readerable cases we reported as "no article" (ExtractEmpty) rather than extracting something. */
  notReaderableRejected: number;
  notReaderable: number;
}

const META = { id: 'c', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };
/** The URL Readability's own test harness gives every page. */
const PAGE_URL = 'http://fakehost/test/page.html';

export function runReadability(corpus: string): SuiteResult<ReadabilitySummary> {
  const root = path.join(corpus, 'readability');
  const names = readdirSync(root)
    .filter((n) => statSync(path.join(root, n)).isDirectory())
    .sort();
  const rows: CaseRow[] = [];
  const f1s: number[] = [];
  const titles: boolean[] = [];
  let crashes = 0;
  let readerable = 0;
  let notReaderable = 0;
  let rejected = 0;
  for (const name of names) {
    const dir = path.join(root, name);
    const meta = JSON.parse(readFileSync(path.join(dir, 'expected-metadata.json'), 'utf8')) as {
      title?: string;
      readerable?: boolean;
    };
    const isReaderable = meta.readerable !== false;
    if (isReaderable) readerable++;
    else notReaderable++;
    const html = decodeBody(readFileSync(path.join(dir, 'source.html')), 'text/html').text;
    let text: string;
    let title = '';
    let extractor = '';
    try {
      const extracted = extractArticle({ html, url: PAGE_URL });
      const article = cleanArticle(extracted, META, { images: 'mirror' });
      extractor = extracted.extractor;
      title = article.title;
      text = `${article.leadImage?.caption ?? ''} ${htmlText(article.html)}`;
    } catch (err) {
      if (err instanceof MirrorError && err.code === 'ExtractEmpty') {
        if (!isReaderable) rejected++;
        if (isReaderable) {
          f1s.push(0);
          titles.push(false);
        }
        rows.push({
          name,
          status: isReaderable ? 'fail' : 'n/a',
          cells: { readerable: String(isReaderable), extractor: 'none', F1: isReaderable ? fixed(0) : '-', title: '-' },
          note: isReaderable ? 'no article found (ExtractEmpty)' : 'not readerable: reported as no article',
        });
        continue;
      }
      crashes++;
      if (isReaderable) {
        f1s.push(0);
        titles.push(false);
      }
      rows.push({
        name,
        status: 'crash',
        cells: { readerable: String(isReaderable), extractor: '-', F1: '-', title: '-' },
        note: describe(err),
      });
      continue;
    }
    if (!isReaderable) {
      rows.push({
        name,
        status: 'n/a',
        cells: { readerable: 'false', extractor, F1: '-', title: '-' },
        note: 'not readerable: an article was extracted anyway (Readability would say none)',
      });
      continue;
    }
    const expected = htmlText(readFileSync(path.join(dir, 'expected.html'), 'utf8'));
    const f1 = bigramF1(text, expected);
    const titleOk = sameHeadline(title, meta.title);
    f1s.push(f1);
    // Readability found no title on some pages: nothing to compare with.
    if (norm(meta.title) !== '') titles.push(titleOk);
    rows.push({
      name,
      status: f1 >= 0.9 ? 'ok' : 'fail',
      cells: {
        readerable: 'true',
        extractor,
        F1: fixed(f1),
        title: norm(meta.title) === '' ? '-' : titleOk ? 'match' : 'differs',
      },
      note:
        titleOk || norm(meta.title) === ''
          ? undefined
          : `title ${JSON.stringify(norm(title))} ≠ ${JSON.stringify(norm(meta.title))}`,
    });
  }
  return {
    columns: ['readerable', 'extractor', 'F1', 'title'],
    rows,
    summary: {
      cases: names.length,
      readerable,
      crashes,
      meanF1: round(mean(f1s)),
      titleMatch: round(titles.filter(Boolean).length / Math.max(1, titles.length)),
      below90: f1s.filter((f) => f < 0.9).length,
      notReaderable,
      notReaderableRejected: rejected,
    },
  };
}

/** The same headline, whitespace aside and a trailing site name (` | eHow`, `_科技_腾讯网`) aside. */
export function sameHeadline(ours: string, expected: string | undefined): boolean {
  const a = norm(ours);
  const b = norm(expected);
  if (a === b) return true;
  if (a === '' || !b.startsWith(a)) return false;
  // What is left is one or more short separated parts: ` - Breitbart`, ` _探索者 _光明网`.
  return /^(?:\s*(?:[|｜_–—-]|::)\s*[^|｜_–—]{1,40})+$/u.test(b.slice(a.length));
}
