/**
 * `npm run conformance [-- --json] [--verbose] [--only=news,feeds]`: extraction, feed parsing and charset decoding
 * against the shared real-world corpus (`$NEWSMIRROR_CORPUS`, else ../shared/corpus).
 *
 * Prints one table per corpus with a row per case (so a regression points at its page) and a
 * summary line per corpus; with `--json`, prints one JSON object instead. Exits 1 when a figure
 * misses its bar in scripts/conformance-bars.json, 2 when the corpus is missing.
 *
 * Text is scored with character-bigram F1 after whitespace normalisation (src/extract/score.ts):
 * bigrams of characters rather than words, so that Chinese, written without spaces, scores as
 * fairly as English.
 */
import { corpusDir } from '../src/extract/corpus.js';
import { barMisses, readBars } from './conformance/bars.js';
import { runCharset } from './conformance/charset.js';
import { runFallback } from './conformance/fallback.js';
import { runFeeds } from './conformance/feeds.js';
import { runNews } from './conformance/news.js';
import { runOpenWeb } from './conformance/openweb.js';
import { runReadability } from './conformance/readability.js';
import type { CaseRow, SuiteResult } from './conformance/report.js';

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
/** Without --verbose, the tables list only the rows that are not `ok`, plus the summary. */
const verbose = args.has('--verbose') || args.has('-v');

let corpus: string;
try {
  corpus = corpusDir();
} catch (err) {
  // One line with the fix, no stack trace.
  const { message, hint } = err as Error & { hint?: string };
  process.stderr.write(`${message}${hint ? `: ${hint}` : ''}\n`);
  process.exit(2);
}

const suites: [string, () => SuiteResult<object>][] = [
  ['readability', () => runReadability(corpus)],
  ['news', () => runNews(corpus)],
  ['newsFallback', () => runFallback(corpus)],
  ['feeds', () => runFeeds(corpus)],
  ['charset', () => runCharset(corpus)],
  ['openweb', () => runOpenWeb(corpus)],
];

/** `--only feeds,news`: run some suites (bars of the others are then not checked). */
const only = process.argv
  .slice(2)
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

const results: Record<string, SuiteResult<object>> = {};
const timings: Record<string, number> = {};
for (const [name, run] of suites) {
  if (only && !only.includes(name)) continue;
  const started = performance.now();
  results[name] = run();
  timings[name] = Math.round(performance.now() - started);
}

const misses = barMisses(
  readBars(),
  Object.fromEntries(
    suites.filter(([name]) => !only || only.includes(name)).map(([name]) => [name, results[name]?.summary]),
  ),
);

if (json) {
  const out: Record<string, unknown> = {};
  for (const [name, r] of Object.entries(results)) out[name] = r.summary;
  out.bars = { passed: misses.length === 0, misses };
  out.ms = timings;
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  for (const [name, r] of Object.entries(results)) {
    const rows = verbose ? r.rows : r.rows.filter((row) => row.status !== 'ok');
    process.stdout.write(`\n## ${name}  (${r.rows.length} cases, ${timings[name]} ms)\n`);
    if (rows.length > 0) process.stdout.write(`${table(r.columns, rows)}\n`);
    else process.stdout.write('every case ok\n');
    process.stdout.write(`${name}: ${summaryLine(r.summary)}\n`);
  }
  process.stdout.write(
    misses.length === 0
      ? '\nall bars met (scripts/conformance-bars.json)\n'
      : `\nBELOW BAR:\n  ${misses.join('\n  ')}\n`,
  );
  if (!verbose) process.stdout.write('(rows with status ok are hidden; --verbose shows every case)\n');
}
process.exitCode = misses.length === 0 ? 0 : 1;

function summaryLine(summary: object): string {
  return Object.entries(summary)
    .map(([k, v]) => `${k}=${v}`)
    .join('  ');
}

/** A plain-text table; wide CJK characters count double so columns line up in a terminal. */
function table(columns: string[], rows: CaseRow[]): string {
  const header = ['case', 'status', ...columns, 'note'];
  const lines = rows.map((r) => [r.name, r.status, ...columns.map((c) => r.cells[c] ?? ''), r.note ?? '']);
  const width = (s: string) =>
    [...s].reduce(
      (w, ch) =>
        w +
        (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
          ? 2
          : 1),
      0,
    );
  const widths = header.map((h, i) =>
    i === header.length - 1 ? 0 : Math.min(60, Math.max(width(h), ...lines.map((l) => width(l[i] ?? '')))),
  );
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));
  return [header, ...lines]
    .map((l) => l.map((c, i) => (i === l.length - 1 ? c : pad(c, widths[i] ?? 0))).join('  '))
    .join('\n');
}
