/**
 * A year of state (issue 13.4): the same mirror with a small and a large number of stored
 * articles, the extra ones inserted straight into the SQLite state (copies of real stored rows,
 * with their own id, URL and older dates), never synced. Each state then runs, each in its own
 * process: a sync that settles the tree (retention's pages of the old articles are written),
 * a no-op sync (every feed `304`), a sync with 100 new articles (100 of the feeds' articles
 * taken out of the state and the feeds' validators forgotten, so the next sync finds them
 * again), `build` and `status`. Retention is set low enough that both states keep the same
 * pages: what differs is only what is stored beyond it, which no run should pay for.
 * The ratios compare CPU time of the operations (wall time is kept beside it): on a machine
 * shared with other jobs, wall time of a sub-second run says more about them than about it.
 */
import { cpSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runChild } from './child.js';
import type { BenchOrigin } from './origin.js';
import { round } from './util.js';

type Config = { output: { dir: string; stateFile: string } } & Record<string, unknown>;

export interface ScaleRun {
  stored: number;
  /** Wall time of each operation, ms. */
  noopMs: number;
  sync100Ms: number;
  buildMs: number;
  statusMs: number;
  /** CPU time of each operation (its process, not git's), ms: what the ratios compare. */
  noopCpuMs: number;
  sync100CpuMs: number;
  buildCpuMs: number;
  statusCpuMs: number;
  dbBytesPerArticle: number;
  /** The highest peak RSS of the no-op sync, the sync of 100 and build, MiB. */
  peakRssMb: number;
  /** Heap used after a forced collection at the end of the sync of 100, MiB. */
  heapAfterGcMb: number;
}

export interface ScaleBench {
  small: ScaleRun;
  large: ScaleRun;
  noopRatio100kTo10k: number;
  sync100RatioTo10k: number;
  buildRatio: number;
  statusRatio: number;
  rssRatio100kTo10k: number;
  dbBytesPerArticle: number;
}

/** The prefix of the inserted articles' ids: never one the bench corpus uses. */
const OLD = 'scale-old-';

/** Insert `count` old articles, copies of the stored ones with their own ids, URLs and older dates. */
function insertOld(stateFile: string, count: number): void {
  const db = new Database(stateFile);
  try {
    const templates = db.prepare(`SELECT * FROM articles WHERE id NOT LIKE '${OLD}%' ORDER BY id`).all() as Record<
      string,
      unknown
    >[];
    if (templates.length === 0) throw new Error('no stored article to copy');
    const columns = Object.keys(templates[0] as object);
    const insert = db.prepare(
      `INSERT INTO articles (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    // Older than every corpus article (2026): one every 5 minutes back from 2025-12-31, so the
    // first n of the large state are the n of the small one.
    const newest = Date.parse('2025-12-31T00:00:00Z');
    db.transaction(() => {
      for (let n = 0; n < count; n++) {
        const t = templates[n % templates.length] as Record<string, unknown>;
        const at = new Date(newest - n * 300_000).toISOString();
        insert.run({
          ...t,
          id: `${OLD}${n}`,
          url: `${String(t.url)}?old=${n}`,
          published: at,
          first_seen: at,
          updated_at: at,
          sort_at: null,
        });
      }
    })();
  } finally {
    db.close();
  }
}

/** Take `n` of the feeds' articles out of the state and forget the feeds' validators. */
function forget(stateFile: string, n: number): void {
  const db = new Database(stateFile);
  try {
    db.transaction(() => {
      db.prepare(
        `DELETE FROM articles WHERE id IN (SELECT id FROM articles WHERE id NOT LIKE '${OLD}%' ORDER BY id LIMIT ?)`,
      ).run(n);
      db.prepare("DELETE FROM fetch_cache WHERE url LIKE '%/rss/%'").run();
    })();
  } finally {
    db.close();
  }
}

function dbBytes(stateFile: string): number {
  const db = new Database(stateFile);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
  } finally {
    db.close();
  }
  return statSync(stateFile).size;
}

async function measure(base: string, work: string, stored: number, config: (dir: string) => Config): Promise<ScaleRun> {
  const dir = path.join(work, `scale-${stored}`);
  cpSync(base, dir, { recursive: true });
  const cfg = config(dir);
  const job = (mode: 'sync' | 'build' | 'status') => ({ mode, config: cfg, configFile: path.join(dir, 'bench.yaml') });
  const db = new Database(cfg.output.stateFile);
  const corpus = db.prepare('SELECT COUNT(*) FROM articles').pluck().get() as number;
  db.close();
  insertOld(cfg.output.stateFile, stored - corpus);
  const bytes = dbBytes(cfg.output.stateFile);
  await runChild(job('sync')); // settle: retention's pages of the old articles written once
  const noop = await runChild(job('sync'));
  forget(cfg.output.stateFile, 100);
  const sync100 = await runChild(job('sync'));
  if (sync100.mirrored !== 100) throw new Error(`scale ${stored}: the sync of 100 mirrored ${sync100.mirrored}`);
  const build = await runChild(job('build'));
  const status = await runChild(job('status'));
  return {
    stored,
    noopMs: Math.round(noop.ms),
    sync100Ms: Math.round(sync100.ms),
    buildMs: Math.round(build.ms),
    statusMs: Math.round(status.ms),
    noopCpuMs: Math.round(noop.opCpuMs),
    sync100CpuMs: Math.round(sync100.opCpuMs),
    buildCpuMs: Math.round(build.opCpuMs),
    statusCpuMs: Math.round(status.opCpuMs),
    dbBytesPerArticle: Math.round(bytes / stored),
    peakRssMb: round(Math.max(noop.peakRssMb, sync100.peakRssMb, build.peakRssMb), 1),
    heapAfterGcMb: round(sync100.heapAfterGcMb ?? 0, 1),
  };
}

/**
 * `sizes`: stored articles of the small and the large state; `corpusSize` articles are synced
 * from `origin` first (the feeds' articles), with `keep` pages per channel.
 */
export async function scaleBench(options: {
  origin: BenchOrigin;
  work: string;
  sizes: readonly [number, number];
  keep: number;
  benchConfig: (origin: BenchOrigin, dir: string) => Record<string, unknown>;
  log: (msg: string) => void;
}): Promise<ScaleBench> {
  const { origin, work, log } = options;
  const config = (dir: string): Config => {
    const c = options.benchConfig(origin, dir) as Config;
    return { ...c, retention: { pagesPerChannel: options.keep, qrPerChannel: Math.ceil(options.keep / 3) } };
  };
  const base = path.join(work, 'scale-base');
  mkdirSync(base, { recursive: true });
  log('scale: the feeds’ articles synced once…');
  const first = await runChild({ mode: 'sync', config: config(base), configFile: path.join(base, 'bench.yaml') });
  if (first.failures > 0) throw new Error(`scale: ${first.failures} failures`);
  const [s, l] = options.sizes;
  log(`scale: ${s} stored articles…`);
  const small = await measure(base, work, s, config);
  log(`scale: ${l} stored articles…`);
  const large = await measure(base, work, l, config);
  return {
    small,
    large,
    noopRatio100kTo10k: round(large.noopCpuMs / small.noopCpuMs, 2),
    sync100RatioTo10k: round(large.sync100CpuMs / small.sync100CpuMs, 2),
    buildRatio: round(large.buildCpuMs / small.buildCpuMs, 2),
    statusRatio: round(large.statusCpuMs / small.statusCpuMs, 2),
    rssRatio100kTo10k: round(large.peakRssMb / small.peakRssMb, 2),
    dbBytesPerArticle: large.dbBytesPerArticle,
  };
}
