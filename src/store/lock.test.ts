/**
 * The run lock when runs interleave inside a takeover. This process is one run, stopped at a
 * chosen step through the lock's test hook; the other run is a real process (test/lock-racer.ts)
 * that goes ahead meanwhile. Each test forces one interleaving instead of hoping for it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { type Racer, startRacer, waitForFileSync, waitForFiles } from '../../test/lock-racer.js';
import { MirrorError } from '../errors.js';
import { acquireLock, type Lock } from './lock.js';

/** A pid that ran and no longer does. */
const deadPid = () =>
  spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();

function setup(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nm-lock-'));
  const state = path.join(dir, 'state.db');
  writeFileSync(`${state}.lock`, `${deadPid()}\n`);
  const racers: Racer[] = [];
  t.after(() => {
    for (const r of racers) r.child.kill('SIGKILL');
  });
  const leftovers = () => readdirSync(dir).filter((f) => f.startsWith('state.db.lock'));
  return { dir, state, racers, leftovers };
}

const isLocked = (pid: number) => (e: unknown) =>
  e instanceof MirrorError && e.code === 'Locked' && e.message.includes(`pid ${pid}`);

test('a run that read a dead lock leaves alone the lock another run took meanwhile', async (t) => {
  const { dir, state, racers, leftovers } = setup(t);
  let other: Racer | undefined;
  assert.throws(
    () =>
      acquireLock(state, {
        onTakeoverStep: (step) => {
          // Between reading the dead lock and removing it: the other run takes it over now.
          if (step !== 'dead' || other) return;
          other = startRacer({ state, dir, name: 'other' });
          racers.push(other);
          waitForFileSync(other.outcomeFile);
        },
      }),
    (e: unknown) => isLocked(other?.child.pid ?? -1)(e),
  );
  assert.ok(other);
  assert.equal(other.outcome(), `got ${other.child.pid}`);
  assert.equal(readFileSync(`${state}.lock`, 'utf8'), `${other.child.pid}\n`, "the other run's lock is intact");
  writeFileSync(path.join(dir, 'release'), '');
  await other.exited;
  assert.deepEqual(leftovers(), []);
});

test('a run taking over a dead lock is not interrupted, however long it takes', { timeout: 60_000 }, async (t) => {
  const { dir, state, racers, leftovers } = setup(t);
  const dead = readFileSync(`${state}.lock`, 'utf8');
  let other: Racer | undefined;
  let duringPause: { otherDone: boolean; lock: string } | undefined;
  let mine: Lock | undefined;
  try {
    mine = acquireLock(state, {
      onTakeoverStep: (step) => {
        // Sure the lock is the dead one, about to remove it: the other run arrives and tries,
        // for longer than the 2 s after which the lock once gave up on a slow takeover.
        if (step !== 'claimed' || other) return;
        other = startRacer({ state, dir, name: 'other', at: 'dead', there: 'continue' });
        racers.push(other);
        waitForFileSync(other.atFile);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_500);
        duringPause = { otherDone: existsSync(other.outcomeFile), lock: readFileSync(`${state}.lock`, 'utf8') };
      },
    });
  } catch (e) {
    // Once this run has removed the dead lock, both race to create the new one: either may win.
    if (!isLocked(other?.child.pid ?? -1)(e)) throw e;
  }
  assert.ok(other);
  assert.deepEqual(duringPause, { otherDone: false, lock: dead }, 'the other run waited, and removed nothing');
  await waitForFiles([other.outcomeFile]);
  const winner = mine ? process.pid : other.child.pid;
  assert.equal(other.outcome(), `${mine ? 'locked' : 'got'} ${other.child.pid}`, 'exactly one run holds the lock');
  assert.equal(readFileSync(`${state}.lock`, 'utf8'), `${winner}\n`);
  mine?.release();
  writeFileSync(path.join(dir, 'release'), '');
  await other.exited;
  assert.ok(!existsSync(`${state}.lock`));
  assert.deepEqual(leftovers(), []);
});

test('a run killed in the middle of a takeover does not block the next one', async (t) => {
  const { dir, state, racers, leftovers } = setup(t);
  const killed = startRacer({ state, dir, name: 'killed', at: 'claimed', there: 'die' });
  racers.push(killed);
  await killed.exited;
  assert.ok(existsSync(killed.atFile), 'it died with the takeover under way');
  // One takeover, straight through: the claim its dead run left is passed over, not waited on
  // (a wait would show as a second round of steps, or as the Locked error after 10 s of them).
  const steps: string[] = [];
  const lock = acquireLock(state, { onTakeoverStep: (step) => steps.push(step) });
  assert.deepEqual(steps, ['dead', 'claimed']);
  assert.equal(readFileSync(`${state}.lock`, 'utf8'), `${process.pid}\n`);
  lock.release();
  assert.deepEqual(leftovers(), [], 'nothing of the killed takeover is left');
});

test('a lock file still being written is not taken for a dead one', async (t) => {
  // Where hard links are not available the lock is created empty and its pid written just
  // after; a run that read it in between must wait for the pid, not take the lock over.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nm-lock-'));
  const state = path.join(dir, 'state.db');
  const file = `${state}.lock`;
  const writer = spawn(
    process.execPath,
    [
      '-e',
      `const fs = require('node:fs');
       fs.writeFileSync(${JSON.stringify(file)}, '', { flag: 'wx' });
       setTimeout(() => fs.writeFileSync(${JSON.stringify(file)}, process.pid + '\\n'), 200);
       setTimeout(() => {}, 30000);`,
    ],
    { stdio: 'ignore' },
  );
  t.after(() => writer.kill('SIGKILL'));
  await waitForFiles([file]);
  assert.throws(() => acquireLock(state), isLocked(writer.pid ?? -1));
  assert.equal(readFileSync(file, 'utf8'), `${writer.pid}\n`);
});
