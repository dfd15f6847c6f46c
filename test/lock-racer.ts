/**
 * Runs racing for the run lock, each a separate process, for the lock tests. A racer is steered
 * through files in a folder, so that a test blocked inside a lock hook (the lock code is
 * synchronous) can still steer it, and no timing is guessed:
 *
 * The racer calls `acquireLock(state)`. The first time it reaches the step `at` of a takeover,
 * it writes `<name>.at`, then does what `there` says: `wait` for the file `go` (the default),
 * `die` (SIGKILL itself, as a run killed at that moment) or `continue`. Then it writes
 * `<name>.outcome`: `got <pid>`, `locked <pid>` or `error: …`. A winner holds the lock until the
 * file `release` appears.
 *
 * Run as a script (by `startRacer`), this file is the racer; imported, it gives the test side.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireLock, type TakeoverStep } from '../src/store/lock.js';

export interface Orders {
  state: string;
  dir: string;
  name: string;
  at?: TakeoverStep;
  there?: 'wait' | 'die' | 'continue';
}

const GIVE_UP_MS = 60_000;
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Blocks until `file` exists: for a hook inside the (synchronous) lock code. */
export function waitForFileSync(file: string, ms = GIVE_UP_MS): void {
  const until = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`no ${file} after ${ms} ms`);
    sleepSync(2);
  }
}

/** Resolves once every one of `files` exists. */
export async function waitForFiles(files: string[], ms = GIVE_UP_MS): Promise<void> {
  const until = Date.now() + ms;
  while (!files.every((f) => existsSync(f))) {
    if (Date.now() > until)
      throw new Error(`missing after ${ms} ms: ${files.filter((f) => !existsSync(f)).join(', ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface Racer {
  child: ChildProcess;
  exited: Promise<void>;
  /** The file the racer writes when it reaches its step. */
  atFile: string;
  outcomeFile: string;
  outcome(): string;
}

/** Starts one racer process. */
export function startRacer(orders: Orders): Racer {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, JSON.stringify(orders)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const outcomeFile = path.join(orders.dir, `${orders.name}.outcome`);
  return {
    child,
    exited,
    atFile: path.join(orders.dir, `${orders.name}.at`),
    outcomeFile,
    outcome: () => readFileSync(outcomeFile, 'utf8'),
  };
}

function race(orders: Orders): void {
  const file = (name: string) => path.join(orders.dir, name);
  /** Written whole (renamed into place), so a reader never sees half of it. */
  const report = (outcome: string) => {
    const tmp = file(`${orders.name}.outcome.tmp`);
    writeFileSync(tmp, outcome);
    renameSync(tmp, file(`${orders.name}.outcome`));
  };
  let reached = false;
  try {
    const lock = acquireLock(orders.state, {
      onTakeoverStep: (step) => {
        if (step !== orders.at || reached) return;
        reached = true;
        writeFileSync(file(`${orders.name}.at`), String(process.pid));
        if (orders.there === 'die') process.kill(process.pid, 'SIGKILL');
        if ((orders.there ?? 'wait') === 'wait') waitForFileSync(file('go'));
      },
    });
    report(`got ${process.pid}`);
    waitForFileSync(file('release'));
    lock.release();
  } catch (err) {
    const e = err as Error & { code?: string };
    report(e.code === 'Locked' ? `locked ${process.pid}` : `error: ${e.message}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  race(JSON.parse(process.argv[2] ?? '{}') as Orders);
}
