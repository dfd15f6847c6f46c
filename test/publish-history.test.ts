/**
 * History modes over 20 hourly runs with changing content (new articles, an updated one,
 * pages leaving with retention, indexes and home rewritten), pushed with newsmirror's own
 * push to a `keep` and a `snapshot` remote: the keep remote has every run, the snapshot
 * remote one commit and, once packed as a host packs it, the size of a fresh one-commit
 * repository of the same tree (within 10 %). The simulation is bench/history.ts, which
 * `npm run bench` runs for 30 simulated days.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { simulateHistory } from '../bench/history.js';

test('20 runs: keep holds every run; snapshot stays within 10 % of a fresh single commit of the same tree', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-history-'));
  const statuses = new Set<string>();
  const h = await simulateHistory({
    dir,
    runs: 20,
    articlesPerRun: 6,
    channels: 3,
    retention: 30,
    onRun: (_run, reports) => {
      for (const r of reports) statuses.add(`${r.name} ${r.status}`);
    },
  });
  assert.deepEqual([...statuses].sort(), ['keep pushed', 'snapshot pushed'], 'every run pushed to both');
  assert.equal(h.keepCommits, 20);
  assert.equal(h.snapshotCommits, 1);
  const mirror = path.join(dir, 'mirror');
  const tree = (gitDir: string, rev: string) =>
    execFileSync('git', ['--git-dir', gitDir, 'rev-parse', `${rev}^{tree}`], { encoding: 'utf8' }).trim();
  assert.equal(tree(path.join(dir, 'snapshot.git'), 'main'), tree(path.join(mirror, '.git'), 'HEAD'));
  assert.equal(tree(path.join(dir, 'keep.git'), 'main'), tree(path.join(mirror, '.git'), 'HEAD'));
  const ratio = h.snapshotBytes / h.freshBytes;
  assert.ok(
    Math.abs(ratio - 1) <= 0.1,
    `snapshot ${h.snapshotBytes} B vs fresh ${h.freshBytes} B (${ratio.toFixed(3)}×)`,
  );
  // Pages left with retention and indexes were rewritten 20 times: the keep remote holds all of it.
  assert.ok(h.keepBytes > h.snapshotBytes * 1.2, `keep ${h.keepBytes} B vs snapshot ${h.snapshotBytes} B`);
  // newsmirror's estimates (what `status` shows) order the two the same way.
  assert.ok(h.keepEstimate > h.snapshotEstimate && h.snapshotEstimate > 0);
});
