/** Small helpers shared by the benchmark scripts. */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running `entry`. Under tsx (the benchmark runs from source) a `.ts`
 * entry cannot be loaded through `execArgv: ['--import', 'tsx']` on Node 20: the hooks
 * are registered after the worker resolves its entry. So the worker registers tsx first.
 */
export function startWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * CPU ms of this process's finished child processes that it waited for (git), from
 * /proc/self/stat (cutime + cstime); 0 where there is no /proc.
 */
export function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]); // cutime, cstime (fields 16, 17)
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}
