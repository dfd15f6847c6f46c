#!/usr/bin/env node
// Mutation testing (npm run test:mutation): StrykerJS 9 with its TAP runner over the modules where a
// silent mistake costs readers the most. One Stryker run per module group, one after the other, each
// with only the test files that exercise that group (Stryker's per-test coverage then runs, for each
// mutant, only the files that reach it), at most 2 processes at a time, in incremental mode: the
// results of the last run are kept in reports/mutation/<group>.incremental.json (git-ignored, a local
// cache) and only mutants in changed code or covered by changed tests run again.
//
// Usage: node scripts/mutation.mjs [--full] [group ...]   (groups: clean discover charset lock publish, where
// publish is publish-git publish-push publish-rotate)
//   --full   ignore the incremental files (every mutant runs again)
//   --list   print the test files of each group
// Prints Stryker's per-file table for each group, then one line per group and, last,
// `mutation score N% (killed K of M)` over all groups. Exits 1 when a group is below 80 %.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = path.join(root, 'reports', 'mutation');
const BAR = 80;

// Test files per group: the unit tests beside the code and the few end-to-end tests that reach it
// (never the *.corpus.test.ts files). An entry ending in / is every *.test.ts in that folder; another
// is a file, or the start of the names of *.test.ts files (`test/publish-`).
// The publish tests that run in seconds. The end-to-end ones (test/publish-demo-remotes,
// publish-secrets: 30 s each, a demo sync to three remotes) would make every mutant cost a minute,
// days for the group; the score with the fast tests alone is a floor of the whole suite's.
const PUBLISH_TESTS = [
  'src/publish/',
  'test/publish-remotes.test.ts',
  'test/publish-history.test.ts',
  'test/regressions/stale-git-lock-after-kill-blocks-every-commit.test.ts',
];
const aliases = { publish: ['publish-git', 'publish-push', 'publish-rotate'] };

const groups = {
  clean: {
    mutate: ['src/clean/**/*.ts', '!src/clean/**/*.test.ts'],
    tests: ['src/clean/'],
  },
  discover: {
    mutate: ['src/discover/**/*.ts', '!src/discover/**/*.test.ts'],
    tests: ['src/discover/', 'test/discover-run.test.ts'],
  },
  charset: {
    mutate: ['src/fetch/charset.ts'],
    tests: ['src/fetch/charset'],
  },
  lock: {
    mutate: ['src/store/lock.ts'],
    tests: ['src/store/lock', 'test/regressions/two-runs-take-over-one-dead-lock.test.ts'],
  },
  // publish/ is three runs, so that a run cut short keeps the parts that finished (Stryker writes its
  // incremental file only at the end of a run); `publish` names all three.
  'publish-git': {
    mutate: ['src/publish/git.ts', 'src/publish/index.ts', 'src/publish/redact.ts'],
    tests: PUBLISH_TESTS,
  },
  'publish-push': {
    mutate: ['src/publish/push.ts', 'src/publish/remote-git.ts'],
    tests: PUBLISH_TESTS,
  },
  'publish-rotate': {
    mutate: ['src/publish/rotate.ts'],
    // src/publish/rotate.test.ts drives rotate.ts in the test process; test/rotation.test.ts (the
    // whole rotation through the CLI, 20 s and more per mutant) would make the group take hours.
    tests: [...PUBLISH_TESTS, 'src/config/rotation.test.ts'],
  },
};

function testFiles(entries) {
  const files = [];
  for (const entry of entries) {
    const dir = entry.endsWith('/') ? entry : path.dirname(entry);
    const start = entry.endsWith('/') ? '' : path.basename(entry);
    for (const f of readdirSync(path.join(root, dir)).sort()) {
      const file = path.posix.join(dir, f);
      if (file === entry || (f.startsWith(start) && f.endsWith('.test.ts') && !f.endsWith('.corpus.test.ts')))
        files.push(file);
    }
  }
  return files;
}

function options(name, full) {
  const group = groups[name];
  return {
    testRunner: 'tap',
    tap: {
      testFiles: testFiles(group.tests),
      // A file is run directly (not under --test), so node:test prints TAP to Stryker's pipe.
      nodeArgs: ['--import', 'tsx', '--test-reporter=tap'],
      forceBail: true,
    },
    mutate: group.mutate,
    coverageAnalysis: 'perTest',
    // 2 cores: never more than 2 test processes at a time.
    concurrency: 2,
    // A mutant's time limit is 3x its tests' time in the dry run plus 20 s: a loaded machine meets it
    // (a mutant that loops forever still ends as Timeout, which counts as detected).
    timeoutFactor: 3,
    timeoutMS: 20000,
    incremental: true,
    incrementalFile: path.join('reports', 'mutation', `${name}.incremental.json`),
    force: full,
    reporters: ['clear-text', 'progress', 'json'],
    jsonReporter: { fileName: path.join('reports', 'mutation', `${name}.json`) },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    thresholds: { high: 90, low: BAR, break: BAR },
    // The sandbox is a copy of the project: leave out what tests never read.
    ignorePatterns: ['dist', 'mirror', 'reports', '.newsmirror', 'coverage', '*.log'],
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    disableTypeChecks: true,
    // Stryker rewrites extends/references of this tsconfig with the TypeScript 5 API, which TypeScript 7
    // (the native compiler) lacks; our tsconfig has neither, so point it at a file that does not exist.
    tsconfigFile: 'tsconfig.stryker-skip.json',
    logLevel: 'info',
  };
}

// Child mode: one group in this process (Stryker sets the exit code from thresholds.break).
if (process.argv[2] === '--one') {
  const { Stryker } = await import('@stryker-mutator/core');
  const [, , , name, full] = process.argv;
  await new Stryker(options(name, full === 'full')).runMutationTest();
  process.exit(process.exitCode ?? 0);
}

if (process.argv[2] === '--list') {
  for (const [name, group] of Object.entries(groups)) console.log(`${name}: ${testFiles(group.tests).join(' ')}`);
  process.exit(0);
}

const args = process.argv.slice(2);
const full = args.includes('--full');
const chosen = args.filter((a) => a !== '--full').flatMap((a) => aliases[a] ?? [a]);
for (const g of chosen) {
  if (!groups[g]) {
    console.error(`unknown group ${g}; groups: ${[...Object.keys(groups), ...Object.keys(aliases)].join(' ')}`);
    process.exit(2);
  }
}
const names = chosen.length > 0 ? chosen : Object.keys(groups);
mkdirSync(reports, { recursive: true });

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
for (const name of names) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', name, full ? 'full' : 'incr'], {
    cwd: root,
    stdio: 'inherit',
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  let killed = 0;
  let total = 0;
  try {
    const reportFile = path.join(reports, `${name}.json`);
    // A run that failed before reporting (a test red in the dry run) leaves the last run's report.
    if (statSync(reportFile).mtimeMs < started) throw new Error(`${reportFile} is from an earlier run`);
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    for (const file of Object.values(report.files)) {
      for (const m of file.mutants) {
        if (DETECTED.has(m.status)) killed++;
        if (DETECTED.has(m.status) || UNDETECTED.has(m.status)) total++;
      }
    }
  } catch {
    total = -1;
  }
  rows.push({ name, killed, total, seconds, status: r.status });
}

console.log('\nmutation score per group (killed or timed out / mutants that ran; bar ' + BAR + ' %)');
let killed = 0;
let total = 0;
let failed = false;
for (const row of rows) {
  if (row.total < 0 || row.status !== 0) failed = true;
  if (row.total < 0) {
    console.log(`  ${row.name.padEnd(14)} no report (Stryker exited ${row.status})`);
    continue;
  }
  const score = row.total === 0 ? 100 : (100 * row.killed) / row.total;
  if (score < BAR) failed = true;
  killed += row.killed;
  total += row.total;
  console.log(
    `  ${row.name.padEnd(14)} ${score.toFixed(2).padStart(6)} %  killed ${row.killed} of ${row.total}  ${row.seconds} s`,
  );
}
const overall = total === 0 ? 100 : (100 * killed) / total;
console.log(`mutation score ${overall.toFixed(2)}% (killed ${killed} of ${total})`);
process.exit(failed ? 1 : 0);
