/**
 * A pool of worker threads for the CPU-bound stages (extract, clean): they then use every
 * core, and the event loop stays free for fetching and the database while pages are parsed.
 * A pool of size 0 runs the same entries inline, which is cheaper for a handful of articles
 * than starting threads.
 */
import os from 'node:os';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { ErrorCodes, MirrorError } from '../errors.js';
import { type StageName, type Stages, stages } from './stages.js';

/** A stage that takes the result of the one before as its first argument, `patch` over it. */
export interface Next {
  stage: StageName;
  args: unknown[];
  patch?: Record<string, unknown> | undefined;
}

export interface Request {
  id: number;
  stage: StageName;
  args: unknown[];
  next?: Next | undefined;
}

export type Reply =
  | { id: number; ok: true; value: unknown }
  | {
      id: number;
      ok: false;
      error: {
        code?: string;
        message: string;
        hint?: string | undefined;
        stack?: string | undefined;
        /** The stage that threw. */
        stage?: StageName | undefined;
      };
    };

/** The arguments of a stage after its first. */
type Rest<T extends unknown[]> = T extends [unknown, ...infer R] ? R : never;

/** Run `req` (both its stages, if it has two): what a worker does with a request, and the inline pool. */
export function runRequest(req: Pick<Request, 'stage' | 'args' | 'next'>): unknown {
  const first = call(req.stage, req.args);
  if (!req.next) return first;
  const { stage, args, patch } = req.next;
  return call(stage, [patch ? { ...(first as object), ...patch } : first, ...args]);
}

function call(stage: StageName, args: unknown[]): unknown {
  try {
    return (stages[stage] as (...a: unknown[]) => unknown)(...args);
  } catch (err) {
    if (err !== null && typeof err === 'object') failedIn.set(err, stage);
    throw err;
  }
}

/** The stage each error came from. */
const failedIn = new WeakMap<object, StageName>();

/** The stage an error of `run` or `runThen` came from, when it came from one. */
export function failedStage(err: unknown): StageName | undefined {
  return err !== null && typeof err === 'object' ? failedIn.get(err) : undefined;
}

export interface StagePool {
  /** Worker threads in the pool (0: inline). */
  readonly size: number;
  /** Whether V8 scavenges single-threaded while this pool is open (see `fillsCores`). */
  readonly serialScavenge: boolean;
  run<K extends StageName>(stage: K, ...args: Parameters<Stages[K]>): Promise<ReturnType<Stages[K]>>;
  /**
   * Two stages in one round trip to a thread: `then` gets `first`'s result, with `patch` over
   * it, as its first argument. The caller still names both, in their order; what it saves is
   * copying the first result back and forth. `failedStage(err)` tells which one threw.
   */
  runThen<A extends StageName, B extends StageName>(
    first: A,
    firstArgs: Parameters<Stages[A]>,
    then: B,
    thenArgs: Rest<Parameters<Stages[B]>>,
    patch?: Partial<ReturnType<Stages[A]>>,
  ): Promise<ReturnType<Stages[B]>>;
  close(): Promise<void>;
}

/** Threads worth starting on this machine: one per core, at most 4 (parsing is not the only work of a run). */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/** Tasks kept in flight per worker, so a worker never waits for the next message. */
const IN_FLIGHT = 2;
/** A thread that has not loaded its stages by then is given up (the work is done inline). */
const START_TIMEOUT_MS = 30_000;
/**
 * A parsed page is garbage as soon as its article is out, so a small young generation is
 * enough: measured on the benchmark corpus it cuts each thread's resident memory by about
 * 70 MiB at no cost in speed. (The old generation is left unbounded: a cap would turn one
 * huge page into a crashed thread.)
 */
const LIMITS = { maxYoungGenerationSizeMb: 16 };

export interface PoolOptions {
  /**
   * Let a pool that fills every core make V8 scavenge single-threaded while it is open
   * (default true). The setting is process-wide: an application embedding the library may
   * want to keep its own.
   */
  tuneGc?: boolean;
}

/**
 * Whether a pool of `size` threads leaves no core idle. V8 collects the young generation
 * (a scavenge, every few MB allocated) on helper threads as well as the thread that
 * allocates. With an idle core that is a gain; with a pool thread on every core the helpers
 * only preempt the other pool threads and add their own synchronisation. Measured with
 * `npm run bench` on 2 cores: 2 threads extract and clean about 5 % more articles per second
 * with single-threaded scavenges (171 vs 164), while 1 thread is about 5 % faster with
 * parallel ones.
 */
export function fillsCores(size: number, cores = os.availableParallelism()): boolean {
  return size > 0 && size >= cores;
}

/** Pools now open that turned parallel scavenging off; it is turned back on when the last one closes. */
let serialScavengers = 0;
/** Started with `--no-parallel-scavenge`: then it is never turned on. */
const startedSerial = process.execArgv.some((a) => /^--no[-_]parallel[-_]scavenge$/.test(a));

function serialScavengeOn(): void {
  if (serialScavengers++ === 0 && !startedSerial) v8.setFlagsFromString('--no-parallel-scavenge');
}

function serialScavengeOff(): void {
  // The flag is read at every scavenge, so changing it while threads run is safe (unlike
  // the marking flags, which V8 reads once per heap).
  if (--serialScavengers === 0 && !startedSerial) v8.setFlagsFromString('--parallel-scavenge');
}

export function createStagePool(size: number, options: PoolOptions = {}): StagePool {
  if (size <= 0) return inlinePool();
  const serialScavenge = (options.tuneGc ?? true) && fillsCores(size);
  if (serialScavenge) serialScavengeOn();
  type Task = { req: Request; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  const workers: { worker: Worker; busy: Map<number, Task>; alive: boolean; ready: boolean }[] = [];
  const waiting: Task[] = [];
  let nextId = 0;
  let closed = false;

  const dispatch = () => {
    const alive = workers.filter((w) => w.alive);
    // No thread left (it could not start, or died): the work is done here rather than lost.
    if (alive.length === 0) {
      for (const task of waiting.splice(0)) runInline(task.req).then(task.resolve, task.reject);
      return;
    }
    for (const w of alive) {
      while (w.ready && w.busy.size < IN_FLIGHT && waiting.length > 0) {
        const task = waiting.shift();
        if (!task) break;
        w.busy.set(task.req.id, task);
        w.worker.postMessage(task.req);
      }
    }
  };

  /** A thread that failed or exited: its tasks go back to the queue (the stages are pure). */
  const lose = (w: (typeof workers)[number]) => {
    if (!w.alive) return;
    w.alive = false;
    waiting.unshift(...w.busy.values());
    w.busy.clear();
    if (!closed) dispatch();
  };

  for (let n = 0; n < size; n++) {
    let worker: Worker;
    try {
      worker = startWorker();
    } catch {
      continue;
    }
    const w = { worker, busy: new Map<number, Task>(), alive: true, ready: false };
    const startTimer = setTimeout(() => {
      if (w.ready) return;
      lose(w);
      void worker.terminate();
    }, START_TIMEOUT_MS);
    startTimer.unref();
    worker.on('message', (reply: Reply | { ready: true }) => {
      if ('ready' in reply) {
        w.ready = true;
        clearTimeout(startTimer);
        dispatch();
        return;
      }
      const task = w.busy.get(reply.id);
      w.busy.delete(reply.id);
      if (task) {
        if (reply.ok) task.resolve(reply.value);
        else task.reject(toError(reply.error));
      }
      dispatch();
    });
    worker.on('error', () => lose(w));
    worker.on('exit', () => lose(w));
    workers.push(w);
  }

  const send = (req: Request): Promise<unknown> => {
    if (closed) return Promise.reject(new MirrorError(ErrorCodes.Internal, 'the worker pool is closed'));
    return new Promise((resolve, reject) => {
      waiting.push({ req, resolve, reject });
      dispatch();
    });
  };

  return {
    size,
    serialScavenge,
    run(stage, ...args) {
      return send({ id: nextId++, stage, args }) as never;
    },
    runThen(first, firstArgs, then, thenArgs, patch) {
      return send({
        id: nextId++,
        stage: first,
        args: firstArgs,
        next: { stage: then, args: thenArgs, patch },
      }) as never;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (serialScavenge) serialScavengeOff();
      const stopped = new MirrorError(ErrorCodes.Interrupted, 'the worker pool was closed');
      for (const task of [...waiting.splice(0), ...workers.flatMap((w) => [...w.busy.values()])]) task.reject(stopped);
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

function runInline(req: Pick<Request, 'stage' | 'args' | 'next'>): Promise<unknown> {
  try {
    return Promise.resolve(runRequest(req));
  } catch (err) {
    return Promise.reject(err);
  }
}

function inlinePool(): StagePool {
  return {
    size: 0,
    serialScavenge: false,
    run: (stage, ...args) => runInline({ stage, args }) as never,
    runThen: (first, firstArgs, then, thenArgs, patch) =>
      runInline({ stage: first, args: firstArgs, next: { stage: then, args: thenArgs, patch } }) as never,
    close: () => Promise.resolve(),
  };
}

/**
 * The worker runs from dist/ as JavaScript. Run from source (tests, benchmarks: TypeScript
 * through tsx), a `.ts` entry cannot be given to `new Worker` even with tsx in `execArgv`
 * on Node 20 (its hooks register after the entry is resolved), so the thread registers tsx
 * itself first. tsx is a development dependency: only source runs take that path.
 */
function startWorker(): Worker {
  const entry = new URL(`./worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { resourceLimits: LIMITS });
  // Resolved here, not in the thread: an eval'd thread resolves bare names from the working
  // folder, which need not be this project (the CLI tests run in temporary folders).
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, resourceLimits: LIMITS });
}

function toError(e: Extract<Reply, { ok: false }>['error']): Error {
  const err = e.code
    ? new MirrorError(e.code, e.message, e.hint === undefined ? {} : { hint: e.hint })
    : new MirrorError(ErrorCodes.Internal, e.message);
  if (!e.code && e.stack) err.stack = e.stack;
  if (e.stage) failedIn.set(err, e.stage);
  return err;
}
