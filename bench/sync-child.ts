/**
 * One measured operation in its own process, so that its peak RSS is its own:
 * `sync` (runSync with a fresh or existing state), `build` (buildMirror, no commit) or
 * `status` (the CLI's `status --json`, with `configFile` written from `config`).
 * Usage: node --import tsx bench/sync-child.ts '<job JSON>'. Prints one JSON line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { main as cli } from '../src/cli/main.js';
import { parseConfig } from '../src/config/load.js';
import { buildMirror, type ProgressEvent, runSync } from '../src/pipeline.js';
import { Store } from '../src/store/database.js';
import { childrenCpuMs } from './util.js';

export interface ChildJob {
  mode: 'sync' | 'build' | 'status';
  /** The config as an object (JSON is YAML), anchored at `configFile`'s folder. */
  config: unknown;
  configFile: string;
}

export interface ChildResult {
  /** Time of the operation itself (not the process start-up and imports). */
  ms: number;
  /**
   * Milliseconds from the start to each phase's end; `searchIndex` is the duration of the search
   * index, which runs between the write and the commit.
   */
  marks: { sources?: number; articles?: number; write?: number; commit?: number; searchIndex?: number };
  articles: number;
  failures: number;
  mirrored: number;
  pages: { written: number; removed: number; unchanged: number };
  commit: boolean;
  /** Peak resident set of the whole process (all threads), in MiB. */
  peakRssMb: number;
  /**
   * Heap in use after a forced full collection at a fixed point (a sync: when the pages are
   * written; build: at its end), in MiB: unlike the peak, it does not depend on when V8
   * happened to collect. 0 without `--expose-gc`.
   */
  heapAfterGcMb: number;
  cpuMs: number;
  /** CPU ms of the child processes (git) the operation started and waited for. */
  childCpuMs: number;
  /** CPU time of the operation itself (every thread of this process; not git's processes), ms. */
  opCpuMs: number;
}

function peakRssMb(): number {
  // VmHWM is the kernel's high-water mark; resourceUsage().maxRSS is the same number via getrusage.
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
  const config = parseConfig(JSON.stringify(job.config), { file: job.configFile });
  const store = Store.open(config.output.stateFile);
  const marks: ChildResult['marks'] = {};
  let heapAfterGcMb = 0;
  const heapAfterGc = () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) return;
    gc();
    heapAfterGcMb = Math.max(heapAfterGcMb, process.memoryUsage().heapUsed / 2 ** 20);
  };
  const cpu0 = process.cpuUsage();
  const children0 = childrenCpuMs();
  const t0 = performance.now();
  const at = () => Math.round(performance.now() - t0);
  let result: Omit<
    ChildResult,
    'ms' | 'marks' | 'peakRssMb' | 'heapAfterGcMb' | 'cpuMs' | 'opCpuMs' | 'childCpuMs' | 'articles'
  >;
  try {
    if (job.mode === 'sync') {
      const report = await runSync(config, store, {
        ...(process.env.NM_BENCH_WORKERS ? { workers: Number(process.env.NM_BENCH_WORKERS) } : {}),
        onEvent: (e: ProgressEvent) => {
          if (e.type === 'articles-start') marks.sources = at();
          else if (e.type === 'article') marks.articles = at();
          else if (e.type === 'write') {
            marks.write = at();
            heapAfterGc();
          } else if (e.type === 'commit') marks.commit = at();
        },
      });
      if (report.search) marks.searchIndex = report.search.ms;
      result = {
        failures: report.failures.length,
        mirrored: report.articles.mirrored,
        pages: report.pages,
        commit: report.commit !== undefined,
      };
      if (report.failures.length > 0) process.stderr.write(`${JSON.stringify(report.failures.slice(0, 3))}\n`);
    } else if (job.mode === 'status') {
      writeFileSync(job.configFile, JSON.stringify(job.config));
      // The CLI prints its JSON to stdout; this process's own result is the last line.
      const code = await cli(['node', 'newsmirror', 'status', '--config', job.configFile, '--json']);
      process.stdout.write('\n');
      result = {
        failures: code === 0 ? 0 : 1,
        mirrored: 0,
        pages: { written: 0, removed: 0, unchanged: 0 },
        commit: false,
      };
    } else {
      const built = await buildMirror(config, store, { publish: false });
      marks.write = at();
      heapAfterGc();
      result = {
        failures: 0,
        mirrored: 0,
        pages: {
          written: built.written.written.length,
          removed: built.written.removed.length,
          unchanged: built.written.unchanged,
        },
        commit: false,
      };
    }
  } finally {
    store.close();
  }
  const ms = performance.now() - t0;
  const opCpu = process.cpuUsage(cpu0);
  const countStore = Store.open(config.output.stateFile);
  const articles = countStore.articleCount();
  countStore.close();
  const ru = process.resourceUsage();
  const out: ChildResult = {
    ms,
    marks,
    articles,
    ...result,
    peakRssMb: peakRssMb(),
    heapAfterGcMb,
    opCpuMs: (opCpu.user + opCpu.system) / 1000,
    cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000,
    childCpuMs: childrenCpuMs() - children0,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
