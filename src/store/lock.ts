import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
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
 * (its pid no longer runs) is taken over.
 */
export function acquireLock(stateFile: string): Lock {
  const file = `${stateFile}.lock`;
  mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
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
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isFinite(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new MirrorError(
          ErrorCodes.Locked,
          `another newsmirror run (pid ${pid}) is using ${path.dirname(stateFile)}`,
          {
            hint: `wait for it to finish; if no such run exists, delete ${file}`,
          },
        );
      }
      unlinkSync(file);
    }
  }
  throw new MirrorError(ErrorCodes.Locked, `could not take the lock ${file}`, { hint: `delete ${file} and retry` });
}
