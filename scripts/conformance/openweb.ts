/**
 * corpus/extraction-eval: 330 pages from the open web (news, blogs, public bodies, shops; mostly
 * German and English) with snippets that must and must not be in the main text. No built-in rule
 * covers them: this is the generic extractor, as an operator's new outlet meets it.
 *
 * Scored as the corpus's SOURCE.md states: the page's raw bytes in, the plain text of the cleaned
 * article out (`articleText`, as `extract --json` prints it), whitespace collapsed on both sides,
 * case-sensitive containment; micro-averaged precision, recall and F1 over all snippets.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { articleText, cleanArticle } from '../../src/clean/index.js';
import { extractArticle } from '../../src/extract/index.js';
import { decodeBody } from '../../src/fetch/charset.js';
import { builtinRules, findRule } from '../../src/sites/index.js';
import { type CaseRow, describe, round, type SuiteResult } from './report.js';

export interface OpenWebSummary {
  pages: number;
  crashes: number;
  /** Snippets that must appear: found (tp) or not (fn). */
  tp: number;
  fn: number;
  /** Snippets that must not appear: found (fp) or not (tn). */
  fp: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
  /** Pages where every snippet is right. */
  pagesPerfect: number;
}

interface Expectation {
  file: string;
  url: string | null;
  lang: string | null;
  with: string[];
  without: string[];
}

const META = { id: 'e', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };
const ws = (s: string) => s.replace(/\s+/gu, ' ').trim();

/** The text newsmirror gives for one saved page (throws when it finds no article). */
export function openWebText(bytes: Uint8Array, url: string): string {
  const html = decodeBody(bytes, undefined).text;
  const rule = findRule(url, builtinRules);
  const extracted = extractArticle({ html, url, rule });
  const article = cleanArticle(extracted, META, { rule, images: 'hotlink' });
  return articleText(article.html);
}

/**
 * `textOf` is the extractor under test: the product's by default; a test passes a broken one to
 * check that the bars catch it.
 */
export function runOpenWeb(
  corpus: string,
  textOf: (bytes: Uint8Array, url: string) => string = openWebText,
): SuiteResult<OpenWebSummary> {
  const dir = path.join(corpus, 'extraction-eval');
  const cases = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expectation[];
  const rows: CaseRow[] = [];
  const s = { pages: cases.length, crashes: 0, tp: 0, fn: 0, fp: 0, tn: 0, pagesPerfect: 0 };
  for (const c of cases) {
    const url = c.url ?? `https://page.invalid/${encodeURIComponent(c.file)}`;
    let text = '';
    let crash: string | undefined;
    try {
      text = ws(textOf(readFileSync(path.join(dir, 'pages', c.file)), url));
    } catch (err) {
      crash = describe(err);
      s.crashes++;
    }
    const missed = c.with.filter((w) => !text.includes(ws(w)));
    const kept = c.without.filter((w) => text.includes(ws(w)));
    s.tp += c.with.length - missed.length;
    s.fn += missed.length;
    s.fp += kept.length;
    s.tn += c.without.length - kept.length;
    const perfect = crash === undefined && missed.length === 0 && kept.length === 0;
    if (perfect) s.pagesPerfect++;
    const quote = (t: string) => JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t);
    rows.push({
      name: c.file,
      status: crash ? 'crash' : perfect ? 'ok' : 'fail',
      cells: {
        lang: c.lang ?? '-',
        with: `${c.with.length - missed.length}/${c.with.length}`,
        without: `${c.without.length - kept.length}/${c.without.length}`,
      },
      note:
        crash ??
        ([...missed.map((m) => `missed ${quote(m)}`), ...kept.map((k) => `kept ${quote(k)}`)].join('; ') || undefined),
    });
  }
  const precision = s.tp / Math.max(1, s.tp + s.fp);
  const recall = s.tp / Math.max(1, s.tp + s.fn);
  return {
    columns: ['lang', 'with', 'without'],
    rows,
    summary: {
      pages: s.pages,
      crashes: s.crashes,
      tp: s.tp,
      fn: s.fn,
      fp: s.fp,
      tn: s.tn,
      precision: round(precision),
      recall: round(recall),
      f1: round((2 * s.tp) / Math.max(1, 2 * s.tp + s.fp + s.fn)),
      pagesPerfect: s.pagesPerfect,
    },
  };
}
