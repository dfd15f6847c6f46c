/**
 * `npm run bench:history [-- --days N] [-- --json]`: only the publish-history part of
 * `npm run bench` (bench/history.ts): hourly runs for N simulated days (30 by default) pushed
 * to a `keep` and a `snapshot` remote, then both remotes' bytes after `git gc`. The full bench
 * runs the same simulation; this command measures it alone, in about a quarter of an hour.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { historyBench, historyRows } from './history.js';

const args = process.argv.slice(2);
const at = args.indexOf('--days');
const days = at >= 0 ? Number(args[at + 1]) : 30;
if (!Number.isInteger(days) || days < 1) {
  process.stderr.write('--days takes a whole number of days, 1 or more\n');
  process.exit(2);
}
const work = mkdtempSync(path.join(tmpdir(), 'nm-bench-history-'));
try {
  const h = await historyBench({ days, work, log: (s) => process.stderr.write(`${s}\n`) });
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(h)}\n`);
  else {
    for (const row of historyRows(h)) {
      const mark = row.ok === undefined ? '' : row.ok ? '  ✔' : '  ✘';
      process.stdout.write(`${row.metric}: ${row.value}${row.target ? ` (target ${row.target})` : ''}${mark}\n`);
    }
    process.stdout.write(`${h.msPerRun} ms per simulated run\n`);
  }
  process.exitCode = h.snapshotVsFresh <= 1.1 ? 0 : 3;
} finally {
  rmSync(work, { recursive: true, force: true });
}
