/**
 * How big the remotes get: hourly runs of a mirror pushed to a `keep` remote and a
 * `snapshot` remote (two local bare repositories), for a number of simulated days.
 *
 * Each simulated hour adds a dozen articles across five channels (a page of made-up Chinese
 * text and its QR code each), updates one older article, drops the pages past retention, and
 * rewrites the channel indexes and the home page, as a sync would; then it commits the
 * mirror and pushes it to both remotes with newsmirror's own push (`pushRemotes`). At the end
 * both remotes are packed (`git gc --prune=now`, as a host does) and measured, next to a fresh
 * repository holding the last tree in one commit.
 *
 * `npm run bench` reports `publish.keepBytes30d` and `publish.snapshotBytes30d` (30 days of
 * hourly runs); `--quick` simulates 3 days. test/publish-history.test.ts runs 20 hours of it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../src/config/load.js';
import { pushRemotes } from '../src/publish/index.js';
import { qrPng } from '../src/render/qr.js';
import { Store } from '../src/store/database.js';
import type { RemoteReport } from '../src/types.js';
import { round } from './util.js';
import { int, rng, zhParagraph, zhTitle } from './words.js';

export interface HistoryOptions {
  /** A folder of its own (made if missing). */
  dir: string;
  /** Hourly runs to simulate. */
  runs: number;
  articlesPerRun?: number;
  channels?: number;
  /** Article pages kept per channel (older ones leave the mirror, as with `retention.pagesPerChannel`). */
  retention?: number;
  onRun?: (run: number, reports: RemoteReport[]) => void;
}

export interface HistoryResult {
  runs: number;
  /** Commits on the keep remote's branch, and on the snapshot remote's. */
  keepCommits: number;
  snapshotCommits: number;
  /** Bytes of each remote's repository after `git gc --prune=now`. */
  keepBytes: number;
  snapshotBytes: number;
  /** The same for a fresh repository holding the last tree in a single commit. */
  freshBytes: number;
  /** What newsmirror estimated each remote holds (the figure `status` shows). */
  keepEstimate: number;
  snapshotEstimate: number;
  articles: number;
  files: number;
  ms: number;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).trim();

/** Bytes of a bare repository's objects (packs and loose objects). */
export function repoBytes(gitDir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else total += st.size;
    }
  };
  walk(path.join(gitDir, 'objects'));
  return total;
}

function gc(gitDir: string): number {
  git(gitDir, 'gc', '--quiet', '--prune=now');
  return repoBytes(gitDir);
}

export async function simulateHistory(options: HistoryOptions): Promise<HistoryResult> {
  const started = performance.now();
  const { dir, runs } = options;
  const perRun = options.articlesPerRun ?? 12;
  const channels = Array.from({ length: options.channels ?? 5 }, (_, i) => `c${i + 1}`);
  const retention = options.retention ?? 300;
  const mirror = path.join(dir, 'mirror');
  const keep = path.join(dir, 'keep.git');
  const snapshot = path.join(dir, 'snapshot.git');
  mkdirSync(mirror, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch=main', mirror);
  for (const bare of [keep, snapshot]) git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const config = parseConfig(
    `site: { publicUrl: "https://github.com/example/history/blob/main" }
output: { dir: "${mirror}", stateFile: "${path.join(dir, 'state.db')}" }
outlets: [{ name: H, prefix: H, channels: [{ id: c1, name: N, feed: "http://127.0.0.1:9/f" }] }]
git: { authorName: history bench, authorEmail: bench@newsmirror.invalid }
remotes:
  - { name: keep, url: "${keep}", history: keep }
  - { name: snapshot, url: "${snapshot}", history: snapshot }`,
  );
  const store = Store.open(config.output.stateFile);
  const r = rng(20261126);
  const live = new Map<string, { id: string; title: string }[]>(channels.map((c) => [c, []]));
  const page = (channel: string, id: string, title: string, edition = 1) => {
    const body = Array.from({ length: int(r, 6, 12) }, () => zhParagraph(r)).join('\n\n');
    const p = path.join(mirror, 'pages', channel, `${id}.md`);
    writeFileSync(p, `### ${title}\n\n<sub>edition ${edition}</sub>\n\n${body}\n`);
    writeFileSync(`${p}.png`, qrPng(`https://github.com/example/history/blob/main/pages/${channel}/${id}.md`));
  };
  let next = 0;
  let last: RemoteReport[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const when = new Date(Date.UTC(2026, 10, 1) + run * 3_600_000).toISOString();
      for (let i = 0; i < perRun; i++) {
        const channel = channels[next % channels.length] as string;
        const id = `n${100000 + next++}`;
        const title = zhTitle(r);
        mkdirSync(path.join(mirror, 'pages', channel), { recursive: true });
        page(channel, id, title);
        const list = live.get(channel) ?? [];
        list.unshift({ id, title });
        for (const gone of list.splice(retention)) {
          rmSync(path.join(mirror, 'pages', channel, `${gone.id}.md`));
          rmSync(path.join(mirror, 'pages', channel, `${gone.id}.md.png`));
        }
      }
      // An origin updates one of its recent articles.
      const updated = live.get(channels[run % channels.length] as string)?.[int(r, 1, 20)];
      if (updated) page(channels[run % channels.length] as string, updated.id, updated.title, run);
      mkdirSync(path.join(mirror, 'indexes'), { recursive: true });
      for (const c of channels) {
        const lines = (live.get(c) ?? [])
          .slice(0, 60)
          .map((a, i) => `${i + 1}. [${a.title}](../pages/${c}/${a.id}.md?${a.id})`);
        writeFileSync(path.join(mirror, 'indexes', `${c}.md`), `### ${c}\n\n${lines.join('\n')}\n`);
      }
      writeFileSync(path.join(mirror, 'README.md'), `### history bench\n\nupdated ${when}\n`);
      git(mirror, 'add', '--all', '.');
      execFileSync(
        'git',
        [
          '-c',
          'user.name=history bench',
          '-c',
          'user.email=bench@newsmirror.invalid',
          'commit',
          '--quiet',
          '-m',
          `sync ${when}`,
        ],
        { cwd: mirror, env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when } },
      );
      last = await pushRemotes(config, { store });
      for (const rep of last) {
        if (rep.status === 'failed') throw new Error(`run ${run}: ${rep.name}: ${rep.error?.message ?? ''}`);
      }
      options.onRun?.(run, last);
    }
    // A fresh repository with the last tree in one commit: what a snapshot remote should weigh.
    const fresh = path.join(dir, 'fresh.git');
    git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', fresh);
    const single = git(mirror, 'commit-tree', 'HEAD^{tree}', '-m', 'one commit');
    git(mirror, 'push', '--quiet', fresh, `${single}:refs/heads/main`);
    return {
      runs,
      keepCommits: Number(git(keep, 'rev-list', '--count', 'main')),
      snapshotCommits: Number(git(snapshot, 'rev-list', '--count', 'main')),
      keepBytes: gc(keep),
      snapshotBytes: gc(snapshot),
      freshBytes: gc(fresh),
      keepEstimate: last.find((x) => x.name === 'keep')?.bytes ?? 0,
      snapshotEstimate: last.find((x) => x.name === 'snapshot')?.bytes ?? 0,
      articles: [...live.values()].reduce((n, l) => n + l.length, 0),
      files: git(mirror, 'ls-files').split('\n').length,
      ms: performance.now() - started,
    };
  } finally {
    store.close();
  }
}

export interface HistoryBench {
  days: number;
  runs: number;
  keepCommits: number;
  snapshotCommits: number;
  keepBytes: number;
  snapshotBytes: number;
  /** The figures after 30 days (null in `--quick`, which simulates 3). */
  keepBytes30d: number | null;
  snapshotBytes30d: number | null;
  snapshotVsFresh: number;
  keepVsSnapshot: number;
  keepEstimate: number;
  snapshotEstimate: number;
  msPerRun: number;
}

/** The bench's part: 30 days of hourly runs (3 with `quick`); `npm run bench:history` runs it alone. */
export async function historyBench(options: {
  /** 3 days instead of 30 (`--quick`), unless `days` is given. */
  quick?: boolean;
  days?: number;
  work: string;
  log: (s: string) => void;
}): Promise<HistoryBench> {
  const days = options.days ?? (options.quick ? 3 : 30);
  const dir = path.join(options.work, 'history');
  options.log(`publish history: ${days} days of hourly runs pushed to a keep and a snapshot remote…`);
  const h = await simulateHistory({
    dir,
    runs: days * 24,
    onRun: (run) => {
      if (run % 24 === 0) options.log(`  day ${run / 24}`);
    },
  });
  return {
    days,
    runs: h.runs,
    keepCommits: h.keepCommits,
    snapshotCommits: h.snapshotCommits,
    keepBytes: h.keepBytes,
    snapshotBytes: h.snapshotBytes,
    keepBytes30d: days === 30 ? h.keepBytes : null,
    snapshotBytes30d: days === 30 ? h.snapshotBytes : null,
    snapshotVsFresh: round(h.snapshotBytes / h.freshBytes, 3),
    keepVsSnapshot: round(h.keepBytes / h.snapshotBytes, 2),
    keepEstimate: h.keepEstimate,
    snapshotEstimate: h.snapshotEstimate,
    msPerRun: Math.round(h.ms / h.runs),
  };
}

/** Its rows of the bench's table. */
export function historyRows(h: HistoryBench): { metric: string; value: string; target?: string; ok?: boolean }[] {
  const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  return [
    {
      metric: `keep remote after ${h.days} day${h.days === 1 ? '' : 's'} of hourly runs (after gc)`,
      value: `${mib(h.keepBytes)}, ${h.keepCommits} commits`,
    },
    {
      metric: `snapshot remote after ${h.days} day${h.days === 1 ? '' : 's'} (after gc)`,
      value: `${mib(h.snapshotBytes)}, ${h.snapshotCommits} commit = ${h.snapshotVsFresh}× one fresh commit; keep is ${h.keepVsSnapshot}×`,
      target: '≤ 1.1× fresh',
      ok: h.snapshotVsFresh <= 1.1,
    },
  ];
}
