import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, MirrorError } from '../errors.js';

export interface Lock {
  file: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take the run lock next to the state file. A second sync gets a clear error
 * instead of two runs writing the same mirror; a lock left by a killed process
 * (its pid no longer runs), an empty one and a garbled one are taken over.
 *
 * The lock file appears with its pid already in it (written to a temp file, then
 * hard-linked into place), so a lock is never seen half-written. Taking over a dead
 * lock happens under a second, short-lived lock (`.takeover`): of several runs that
 * find the same dead lock at once, one replaces it and the others then find a live
 * holder. Without it, a run could delete the lock another had just taken.
 */
export function acquireLock(stateFile: string): Lock {
  const file = `${stateFile}.lock`;
  mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 200; attempt++) {
    if (createWithPid(file)) return held(file);
    const seen = readOrUndefined(file);
    if (seen === undefined) continue; // released meanwhile: try again
    const pid = Number.parseInt(seen, 10);
    if (Number.isFinite(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new MirrorError(
        ErrorCodes.Locked,
        `another newsmirror run (pid ${pid}) is using ${path.dirname(stateFile)}`,
        {
          hint: `wait for it to finish; if no such run exists, delete ${file}`,
        },
      );
    }
    takeOver(file, seen);
  }
  throw new MirrorError(ErrorCodes.Locked, `could not take the lock ${file}`, {
    hint: `if no other newsmirror run is starting, delete ${file} and ${file}.takeover and retry`,
  });
}

function held(file: string): Lock {
  return {
    file,
    release: () => {
      try {
        if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}

/** Create `file` holding this pid, or return false when it exists. */
function createWithPid(file: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${process.pid}\n`);
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: exclusive create, with a moment where the file is empty.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
      try {
        writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e;
      }
    }
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** A takeover that has held its lock this long was killed midway: its lock is cleared. */
const TAKEOVER_STALE_MS = 2_000;

/** Remove the dead lock whose content was `seen`, unless someone replaced it meanwhile. */
function takeOver(file: string, seen: string): void {
  const guard = `${file}.takeover`;
  try {
    writeFileSync(guard, `${process.pid}\n`, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    try {
      if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_STALE_MS) rmSync(guard, { force: true });
    } catch {
      // gone meanwhile
    }
    // Another run is taking over: look again in a moment.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    return;
  }
  try {
    if (readOrUndefined(file) === seen) unlinkSync(file);
  } finally {
    rmSync(guard, { force: true });
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
