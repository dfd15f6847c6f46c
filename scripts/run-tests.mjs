#!/usr/bin/env node
// Runs the *.test.ts files under src/ and test/ with node:test through tsx.
// Node 20's --test takes no globs, so the files are listed here.
//
// By default every test that does not need the shared corpus (what `npm test` runs: it passes
// on a bare clone). With --corpus, only the suites that read the shared corpus, `*.corpus.test.ts`
// (`npm run test:corpus`); the corpus is `$NEWSMIRROR_CORPUS`, else ../shared/corpus, and a
// missing one is reported in one line with the fix, before any test starts.
//
// Usage: node scripts/run-tests.mjs [--corpus] [--browser] [path-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const roots = ['src', 'test'];
const args = process.argv.slice(2);
const corpus = args.includes('--corpus');
// Suites that drive Chromium, `*.browser.test.ts` / `*.browser.corpus.test.ts`, run only with
// --browser (`npm run test:browser`, `npm run test:browser:corpus`): a bare clone has no Chromium.
const browser = args.includes('--browser');
const filters = args.filter((a) => a !== '--corpus' && a !== '--browser');
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    // The fault suite is slow and has its own command (npm run test:faults); a filter naming it runs it here.
    if (name === 'faults' && !filters.some((f) => f.includes('faults'))) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (
      name.endsWith('.test.ts') &&
      name.endsWith('.corpus.test.ts') === corpus &&
      name.includes('.browser.') === browser &&
      (filters.length === 0 || filters.some((f) => p.includes(f)))
    )
      files.push(p);
  }
}
for (const r of roots) walk(r);
files.sort();
if (files.length === 0) {
  console.error(`no ${corpus ? 'corpus ' : ''}test files found`);
  process.exit(1);
}
if (corpus) {
  // The corpus location is decided in one place, src/extract/corpus.ts.
  const { tsImport } = await import('tsx/esm/api');
  const { corpusDir } = await tsImport('../src/extract/corpus.ts', import.meta.url);
  try {
    corpusDir();
  } catch (err) {
    console.error(`${err.message}: ${err.hint}`);
    process.exit(2);
  }
}
// A test that hangs fails after 15 minutes instead of holding CI until its own limit.
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=900000', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
