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
import type { ChildResult } from './sync-child.js';
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
  /** Rounds of the no-op sync and the sync of 100 on each state. */
  rounds: number;
  /** Lowest and highest ratio of the rounds (round i of the large state over round i of the small). */
  spread: { noop: [number, number]; sync100: [number, number]; rss: [number, number] };
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

interface Prepared {
  stored: number;
  job: (mode: 'sync' | 'build' | 'status') => { mode: typeof mode; config: Config; configFile: string };
  stateFile: string;
  bytes: number;
}

async function prepare(base: string, work: string, stored: number, config: (dir: string) => Config): Promise<Prepared> {
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
  return { stored, job, stateFile: cfg.output.stateFile, bytes };
}

interface Round {
  noop: ChildResult;
  sync100: ChildResult;
  build: ChildResult;
}

/** One round on one state: a no-op sync, a sync of 100 articles taken out of the state, `build`. */
async function round1(p: Prepared): Promise<Round> {
  const noop = await runChild(p.job('sync'));
  forget(p.stateFile, 100);
  const sync100 = await runChild(p.job('sync'));
  if (sync100.mirrored !== 100) throw new Error(`scale ${p.stored}: the sync of 100 mirrored ${sync100.mirrored}`);
  const build = await runChild(p.job('build'));
  return { noop, sync100, build };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** The round with the median of `value` (the lower middle one for an even count). */
function medianRound<T>(rounds: T[], value: (r: T) => number): T {
  const sorted = [...rounds].sort((a, b) => value(a) - value(b));
  return sorted[(sorted.length - 1) >> 1] as T;
}

async function finish(p: Prepared, rounds: Round[]): Promise<ScaleRun> {
  const status = await runChild(p.job('status'));
  const noop = medianRound(rounds, (r) => r.noop.opCpuMs).noop;
  const sync100 = medianRound(rounds, (r) => r.sync100.opCpuMs).sync100;
  const build = medianRound(rounds, (r) => r.build.opCpuMs).build;
  return {
    stored: p.stored,
    noopMs: Math.round(noop.ms),
    sync100Ms: Math.round(sync100.ms),
    buildMs: Math.round(build.ms),
    statusMs: Math.round(status.ms),
    noopCpuMs: Math.round(noop.opCpuMs),
    sync100CpuMs: Math.round(sync100.opCpuMs),
    buildCpuMs: Math.round(build.opCpuMs),
    statusCpuMs: Math.round(status.opCpuMs),
    dbBytesPerArticle: Math.round(p.bytes / p.stored),
    peakRssMb: round(median(rounds.map((r) => peak(r))), 1),
    heapAfterGcMb: round(median(rounds.map((r) => r.sync100.heapAfterGcMb ?? 0)), 1),
  };
}

/** The highest peak RSS of a round's no-op sync, sync of 100 and build. */
const peak = (r: Round) => Math.max(r.noop.peakRssMb, r.sync100.peakRssMb, r.build.peakRssMb);

/**
 * `sizes`: stored articles of the small and the large state; `corpusSize` articles are synced
 * from `origin` first (the feeds' articles), with `keep` pages per channel.
 */
export async function scaleBench(options: {
  origin: BenchOrigin;
  work: string;
  sizes: readonly [number, number];
  keep: number;
  /** Rounds of the no-op sync and the sync of 100 on each state, alternating between them. */
  rounds: number;
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
  log(`scale: ${s} and ${l} stored articles, ${options.rounds} alternating rounds…`);
  const ps = await prepare(base, work, s, config);
  const pl = await prepare(base, work, l, config);
  // Rounds alternate between the states, so that a burst of other load on the machine hits one
  // round of both rather than one side of the comparison; each ratio is the median round's,
  // printed with the spread of the rounds.
  const rs: Round[] = [];
  const rl: Round[] = [];
  for (let i = 0; i < options.rounds; i++) {
    rs.push(await round1(ps));
    rl.push(await round1(pl));
  }
  const small = await finish(ps, rs);
  const large = await finish(pl, rl);
  const spread = (f: (small: Round, large: Round) => number): [number, number] => {
    const xs = rs.map((r, i) => f(r, rl[i] as Round));
    return [round(Math.min(...xs), 2), round(Math.max(...xs), 2)];
  };
  return {
    small,
    large,
    rounds: options.rounds,
    noopRatio100kTo10k: round(large.noopCpuMs / small.noopCpuMs, 2),
    sync100RatioTo10k: round(large.sync100CpuMs / small.sync100CpuMs, 2),
    buildRatio: round(large.buildCpuMs / small.buildCpuMs, 2),
    statusRatio: round(large.statusCpuMs / small.statusCpuMs, 2),
    rssRatio100kTo10k: round(large.peakRssMb / small.peakRssMb, 2),
    spread: {
      noop: spread((a, b) => b.noop.opCpuMs / a.noop.opCpuMs),
      sync100: spread((a, b) => b.sync100.opCpuMs / a.sync100.opCpuMs),
      rss: spread((a, b) => peak(b) / peak(a)),
    },
    dbBytesPerArticle: large.dbBytesPerArticle,
  };
}
