/**
 * More of the run lock as a user meets it: a lock a killed run left half-written is taken over
 * (not waited on until the give-up error), what a run killed in the middle of a takeover leaves
 * is exactly what the give-up hint names, and a run that read a dead lock which another run then
 * took over and released goes on to take the lock itself; a lock of another user's run is
 * respected, and one this user cannot read is reported, not waited on; a run leaves no file
 * open behind it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Racer, startRacer, waitForFileSync } from '../../test/lock-racer.js';
import { acquireLock } from './lock.js';

function stateIn(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nm-lockm-'));
  const racers: Racer[] = [];
  t.after(() => {
    for (const r of racers) r.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const state = path.join(dir, 'state.db');
  return { dir, state, lockFile: `${state}.lock`, racers };
}

/** A pid that ran and no longer does. */
const deadPid = () =>
  spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

for (const [what, text] of <[string, string][]>[
  ['empty', ''],
  ['holding a pid without its newline', '4242'],
]) {
  test(`a lock file left ${what} by a run killed while writing it is taken over at once`, (t) => {
    const { dir, state, lockFile } = stateIn(t);
    writeFileSync(lockFile, text);
    // Written a minute ago: nobody is still writing it.
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockFile, minuteAgo, minuteAgo);
    const steps: string[] = [];
    const lock = acquireLock(state, { onTakeoverStep: (s) => steps.push(s) });
    assert.deepEqual(steps, ['dead', 'claimed'], 'one takeover, no waiting for a writer that is gone');
    assert.equal(readFileSync(lockFile, 'utf8'), `${process.pid}\n`);
    lock.release();
    assert.deepEqual(readdirSync(dir), []);
  });
}

test('a run killed in the middle of a takeover leaves only files that the give-up hint names', async (t) => {
  const { dir, state, lockFile, racers } = stateIn(t);
  writeFileSync(lockFile, `${deadPid()}\n`);
  const killed = startRacer({ state, dir, name: 'killed', at: 'claimed', there: 'die' });
  racers.push(killed);
  await killed.exited;
  const left = readdirSync(dir).filter((f) => f.startsWith('state.db'));
  // The hint of the give-up error: "delete <lock> and <lock>.takeover-* and retry".
  const named = (f: string) => f === 'state.db.lock' || f.startsWith('state.db.lock.takeover-');
  assert.deepEqual(
    left.filter((f) => !named(f)),
    [],
    'nothing outside the two names',
  );
  assert.ok(
    left.some((f) => f.startsWith('state.db.lock.takeover-')),
    `the claim of the killed takeover lies next to the lock: ${left.join(', ')}`,
  );
  assert.ok(left.includes('state.db.lock'), 'the dead lock it did not get to remove');
});

test('a run that read a dead lock, which another run then took and released, takes the lock', (t) => {
  const { dir, state, lockFile, racers } = stateIn(t);
  writeFileSync(lockFile, `${deadPid()}\n`);
  const steps: string[] = [];
  let other: Racer | undefined;
  const lock = acquireLock(state, {
    onTakeoverStep: (step) => {
      steps.push(step);
      if (step !== 'dead' || other) return;
      // Between reading the dead lock and claiming it: another run takes the lock over, runs,
      // and releases it.
      other = startRacer({ state, dir, name: 'other' });
      racers.push(other);
      waitForFileSync(other.outcomeFile);
      writeFileSync(path.join(dir, 'release'), '');
      while (existsSync(lockFile)) sleepSync(5);
    },
  });
  assert.ok(other);
  assert.equal(other.outcome(), `got ${other.child.pid}`);
  assert.deepEqual(steps, ['dead'], 'the lock it read is gone: nothing to remove');
  assert.equal(readFileSync(lockFile, 'utf8'), `${process.pid}\n`);
  lock.release();
  assert.ok(!existsSync(lockFile));
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('state.db')),
    [],
    'no claim or temp file is left',
  );
});

/**
 * `acquireLock(state)` run by another user than the one who wrote the lock file: `nobody` when
 * the tests run as root (the child loads the lock code first, then drops to that user), else this
 * same user (then root owns pid 1, and mode 000 makes a file unreadable to its owner unless that
 * is root). Returns what it threw.
 */
function acquireAsOtherUser(dir: string, state: string): { code?: string; message: string } {
  const lockModule = fileURLToPath(new URL('./lock.ts', import.meta.url));
  chmodSync(dir, 0o777);
  const script = `import(${JSON.stringify(lockModule)}).then((m) => {
    if (process.getuid() === 0) { process.setgid(65534); process.setuid(65534); }
    try { m.acquireLock(${JSON.stringify(state)}); console.log(JSON.stringify({ message: 'got the lock' })); }
    catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }
  });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
}

test("a lock held by a live process of another user is that run's, not a dead one", (t) => {
  const { dir, state, lockFile } = stateIn(t);
  // Process 1 always runs; for a user other than its owner, asking whether it lives is "not
  // permitted", which still means it lives.
  writeFileSync(lockFile, '1\n');
  const r = acquireAsOtherUser(dir, state);
  assert.equal(r.code, 'Locked');
  assert.match(r.message, /another newsmirror run \(pid 1\) is using /);
  assert.equal(readFileSync(lockFile, 'utf8'), '1\n', 'the lock is untouched');
});

test('a lock file this user may not read is reported as such, not waited on or taken over', (t) => {
  const { dir, state, lockFile } = stateIn(t);
  writeFileSync(lockFile, `${deadPid()}\n`);
  chmodSync(lockFile, 0o000);
  const r = acquireAsOtherUser(dir, state);
  assert.equal(r.code, 'EACCES', r.message);
  assert.ok(r.message.includes(lockFile), r.message);
  assert.ok(existsSync(lockFile), 'the lock is untouched');
});

test('taking and releasing the lock, over and over and through a takeover, leaves no file open', (t) => {
  const { state, lockFile } = stateIn(t);
  // A long-lived process (the library API, a daemon) takes the lock once per run.
  const open = () => readdirSync('/proc/self/fd').length;
  const before = open();
  for (let i = 0; i < 20; i++) {
    if (i % 5 === 0) writeFileSync(lockFile, 'garbled\n');
    acquireLock(state).release();
  }
  assert.equal(open(), before);
});
