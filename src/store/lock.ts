import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { ErrorCodes, MirrorError } from '../errors.js';

export interface Lock {
  file: string;
  release(): void;
}

/**
 * The two moments where runs racing for a dead lock interleave: `dead`, just after reading a
 * lock whose holder is gone; `claimed`, holding the claim on that lock and having checked it
 * is still there, just before removing it.
 */
export type TakeoverStep = 'dead' | 'claimed';

export interface LockOptions {
  /**
   * For tests: called at each takeover step, so that a test can stop this run there and let
   * another one go ahead (`src/store/lock.test.ts`). Runs never set it.
   */
  onTakeoverStep?: (step: TakeoverStep) => void;
  /**
   * For tests: `false` makes every hard link fail as on a file system without them (FAT, some
   * network mounts), so that the exclusive-create path runs on a machine that has them.
   */
  hardLinks?: boolean;
}

/**
 * How long a run waits, in all, for others that are taking over the same dead lock (or
 * writing a lock) before giving up: counted in pauses, not on the clock, so that time this
 * run spends descheduled on a busy machine (or stopped in a test hook) is not counted.
 */
const GIVE_UP_MS = 10_000;
const PAUSE_MS = 20;
/**
 * A lock or claim file without its closing newline is still being written (only where hard
 * links are not available, see `createWithPid`) if it is younger than this; older, it was left
 * half-written by a killed run.
 */
const WRITING_MS = 500;

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
 * hard-linked into place), so a lock is never seen half-written. Of several runs that find
 * the same dead lock at once, exactly one removes it (see `takeOver`), and all of them then
 * race to create a new one: one wins and the others find a live holder. Every step that
 * decides anything is an exclusive create, and nothing a live run holds expires, however slow
 * that run is (the guard lock this replaced was cleared after 2 s, under a run still using it).
 */
export function acquireLock(stateFile: string, options: LockOptions = {}): Lock {
  const file = `${stateFile}.lock`;
  mkdirSync(path.dirname(file), { recursive: true });
  let waited = 0;
  // Each turn without a pause is progress by some run (a lock released, a dead one removed);
  // the cap only guards against a loop this reasoning missed.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: equivalent. No run reaches 10 000 turns (each one without a pause needs another run's progress), and `<=` on the budget only adds one 20 ms pause.
  for (let turn = 0; turn < 10_000 && waited < GIVE_UP_MS; turn++) {
    const mine = createWithPid(file, options);
    if (mine) return held(file, mine);
    const seen = read(file);
    if (seen === undefined) continue; // released meanwhile: try again
    const holder = holderOf(seen);
    if (typeof holder === 'number') {
      throw new MirrorError(
        ErrorCodes.Locked,
        `another newsmirror run (pid ${holder}) is using ${path.dirname(stateFile)}`,
        {
          hint: `wait for it to finish; if no such run exists, delete ${file}`,
        },
      );
    }
    let othersFirst = holder === 'writing';
    if (!othersFirst) {
      options.onTakeoverStep?.('dead');
      othersFirst = !takeOver(file, seen, options);
    }
    if (othersFirst) {
      pause();
      waited += PAUSE_MS;
    }
  }
  throw new MirrorError(
    ErrorCodes.Locked,
    `could not take the lock ${file}: another run has been taking it over for ${GIVE_UP_MS / 1000} s`,
    {
      hint: `if no other newsmirror run is starting, delete ${file} and ${file}.takeover-* and retry`,
    },
  );
}

function held(file: string, mine: string): Lock {
  return {
    file,
    release: () => {
      try {
        // Only the very file this run created: never a lock taken by another run since.
        // Stryker disable next-line OptionalChaining: equivalent. Without `?.`, a lock already gone throws here, and the catch below takes that as "already gone" too.
        if (read(file)?.id === mine) unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}

/** A lock or claim file as read: its text, and what tells this file from any later one at the same path. */
interface Seen {
  text: string;
  /** Device, inode and modification time in ns: a file created later at the path differs. */
  id: string;
  mtimeMs: number;
}

/** Reads text and identity from one open file, so they belong together; undefined when there is no file. */
function read(file: string): Seen | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    return { text: readFileSync(fd, 'utf8'), id: `${st.dev}:${st.ino}:${st.mtimeNs}`, mtimeMs: Number(st.mtimeMs) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Who holds a lock or claim file: the pid of a live run, `writing` while its pid is still
 * being written, or undefined when nobody does (its run died, or it is empty or garbled). A
 * file with this process's own pid was left by an earlier process that had the same pid:
 * within one process, runs take the lock one after another (`acquireLock` is synchronous).
 */
function holderOf(seen: Seen): number | 'writing' | undefined {
  // Stryker disable next-line EqualityOperator: equivalent. `<=` differs only when the file is exactly 500 ms old, an instant no run can aim at.
  if (!seen.text.endsWith('\n')) return Date.now() - seen.mtimeMs < WRITING_MS ? 'writing' : undefined;
  const pid = Number.parseInt(seen.text, 10);
  return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
}

/**
 * Create `file` holding this pid and a newline, and return its identity; undefined when it
 * exists.
 */
function createWithPid(file: string, options: LockOptions): string | undefined {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${process.pid}\n`);
  try {
    // The link shares the temp file's inode and modification time: read it now, it is ours.
    // Stryker disable next-line OptionalChaining: equivalent. The temp file was written just above and only this run removes it.
    const created = read(tmp)?.id;
    if (options.hardLinks === false) throw Object.assign(new Error(`link ${file}: not supported`), { code: 'EPERM' });
    linkSync(tmp, file);
    return created;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return undefined;
    // A file system without hard links: exclusive create, with a moment where the file is
    // empty (`holderOf` reads that as `writing`).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
      try {
        writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
        return read(file)?.id;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
        throw e;
      }
    }
    throw err;
  } finally {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent. The temp file always exists here (written above, removed only here).
    rmSync(tmp, { force: true });
  }
}

/**
 * Remove the dead lock `seen`. Returns false when another live run is removing it (look again
 * in a moment), true when it is removed or no longer there (look again now).
 *
 * The right to remove one dead lock file is a claim, `<lock>.takeover-<that file's id>.<n>`,
 * made by exclusive create; so of the runs that read the same dead lock, one holds the claim,
 * checks the lock is still that same file, and removes it. No claim expires, however slow its
 * run: a run killed while holding one leaves it, and the next run takes the next number. Claims
 * are deleted only once their lock file is gone for good (a later lock is a different file),
 * so a run that claims it after that finds a different file or none, and removes nothing.
 */
function takeOver(file: string, seen: Seen, options: LockOptions): boolean {
  // Stryker disable next-line MethodExpression: equivalent. The whole hash works as well: a claim's name only has to be unique per lock file and start with `<lock>.takeover-`.
  const base = `${file}.takeover-${createHash('sha256').update(seen.id).digest('hex').slice(0, 16)}`;
  let n = 0;
  for (; ; n++) {
    if (createWithPid(`${base}.${n}`, options)) break;
    const claim = read(`${base}.${n}`);
    // Deleted meanwhile: the dead lock is gone, its remover has cleaned up.
    if (claim === undefined) return true;
    if (holderOf(claim) !== undefined) return false;
    // Its run died holding it: the next number.
  }
  try {
    if (read(file)?.id === seen.id) {
      options.onTakeoverStep?.('claimed');
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent. The file was just read as the dead lock, and only the holder of its claim (this run) removes it.
      rmSync(file, { force: true });
    }
  } finally {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent. Claim n is this run's and the claims below it are dead runs'; only the holder of the last claim (this run) removes any.
    for (let i = 0; i <= n; i++) rmSync(`${base}.${i}`, { force: true });
  }
  return true;
}

/** Wait a moment, synchronously: the lock is taken before the run starts anything else. */
function pause(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, PAUSE_MS);
}
