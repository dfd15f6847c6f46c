#!/usr/bin/env node
// The fault-injection suite (test/faults/): network and document faults, crashes, locks and
// signals, state recovery, hostile content, bad configs. Runs the test files (two at a
// time), then prints the figures the files recorded, one per line, and one JSON line.
// Usage: node scripts/test-faults.mjs [path-filter ...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = path.join('test', 'faults');
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => path.join(dir, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no fault test files found');
  process.exit(1);
}

const work = mkdtempSync(path.join(tmpdir(), 'nm-faults-figures-'));
const figuresFile = path.join(work, 'figures.jsonl');
const started = Date.now();
// A test that hangs fails after 15 minutes instead of holding CI until its own limit.
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=900000', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NEWSMIRROR_FAULTS_FIGURES: figuresFile } },
);

const keys = [
  ['faultsInjected', 'faults injected'],
  ['runsSurvived', 'runs survived'],
  ['crashTrials', 'crash trials'],
  ['invariantsChecked', 'invariants checked'],
  ['vectorsTried', 'vectors tried'],
  ['lost', 'lost'],
  ['unsafeOutputs', 'unsafe outputs'],
  ['writesOutsideMirror', 'writes outside the mirror'],
];
const totals = Object.fromEntries(keys.map(([k]) => [k, 0]));
const lines = existsSync(figuresFile) ? readFileSync(figuresFile, 'utf8').split('\n').filter(Boolean) : [];
for (const line of lines) {
  const f = JSON.parse(line);
  for (const [k] of keys) totals[k] += Number(f[k] ?? 0);
}
rmSync(work, { recursive: true, force: true });

console.log('');
console.log(`fault suite: ${files.length} files in ${Math.round((Date.now() - started) / 1000)} s`);
for (const [k, label] of keys) console.log(`${label}: ${totals[k]}`);
console.log(JSON.stringify(totals));

const broken = totals.lost + totals.unsafeOutputs + totals.writesOutsideMirror;
if (broken > 0) console.error(`FAILED: ${broken} lost, unsafe or outside writes (each must be 0)`);
process.exit(r.status !== 0 ? (r.status ?? 1) : broken > 0 ? 1 : 0);
