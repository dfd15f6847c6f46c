/**
 * Who holds the run lock, as a user meets it: lock files left with odd contents are taken over,
 * a live run's lock never is (however old), a run releases only its own lock, and a lock that
 * stays half-written ends in a clear error instead of a run that waits for ever.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MirrorError } from '../errors.js';
import { acquireLock } from './lock.js';

function stateIn(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nm-lockh-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = path.join(dir, 'state.db');
  return { dir, state, lockFile: `${state}.lock` };
}

/** A process that runs until the test ends. */
function liveProcess(t: { after: (fn: () => void) => void }): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  assert.ok(child.pid);
  return child.pid;
}

for (const [what, text] of <[string, string][]>[
  ['this very pid (left by an earlier process that had it)', `${process.pid}\n`],
  ['pid 0 (which would signal our own process group)', '0\n'],
  ['a negative pid', '-1\n'],
  ['a number past the largest pid', '99999999999999999999\n'],
  ['words', 'locked by someone\n'],
  ['nothing but a newline', '\n'],
]) {
  test(`a lock file holding ${what} is taken over`, (t) => {
    const { dir, state, lockFile } = stateIn(t);
    writeFileSync(lockFile, text);
    const lock = acquireLock(state);
    assert.equal(readFileSync(lockFile, 'utf8'), `${process.pid}\n`);
    lock.release();
    assert.ok(!existsSync(lockFile));
    assert.deepEqual(readdirSync(dir), [], 'no takeover claim or temp file is left');
  });
}

test("a live run's lock is not taken, however old the file, and the error says what to do", (t) => {
  const { state, lockFile } = stateIn(t);
  const pid = liveProcess(t);
  writeFileSync(lockFile, `${pid}\n`);
  const hourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(lockFile, hourAgo, hourAgo);
  assert.throws(
    () => acquireLock(state),
    (e: unknown) =>
      e instanceof MirrorError &&
      e.code === 'Locked' &&
      e.message.includes(`pid ${pid}`) &&
      e.hint === `wait for it to finish; if no such run exists, delete ${lockFile}`,
  );
  assert.equal(readFileSync(lockFile, 'utf8'), `${pid}\n`, 'the lock is untouched');
});

test('a run releases only its own lock: not one another run took since, and not a missing one', (t) => {
  const { state, lockFile } = stateIn(t);
  const mine = acquireLock(state);
  // Someone deleted the lock by hand and another run took it.
  rmSync(lockFile);
  const other = liveProcess(t);
  writeFileSync(lockFile, `${other}\n`);
  mine.release();
  assert.equal(readFileSync(lockFile, 'utf8'), `${other}\n`, "the other run's lock stays");
  rmSync(lockFile);
  mine.release();
  assert.ok(!existsSync(lockFile));
});

test('a lock that stays half-written ends in an error naming the files to delete, not an endless wait', (t) => {
  const { state, lockFile } = stateIn(t);
  // A writer that keeps the lock file fresh and never finishes writing its pid: the waiting run
  // gives up after its budget of pauses (10 s of them), with the fix.
  const writer = spawn(
    process.execPath,
    [
      '-e',
      `const fs = require('node:fs');
       fs.writeFileSync(${JSON.stringify(lockFile)}, '');
       setInterval(() => { const now = new Date(); fs.utimesSync(${JSON.stringify(lockFile)}, now, now); }, 50);`,
    ],
    { stdio: 'ignore' },
  );
  t.after(() => writer.kill('SIGKILL'));
  while (!existsSync(lockFile)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  assert.throws(
    () => acquireLock(state),
    (e: unknown) =>
      e instanceof MirrorError &&
      e.code === 'Locked' &&
      e.message === `could not take the lock ${lockFile}: another run has been taking it over for 10 s` &&
      e.hint === `if no other newsmirror run is starting, delete ${lockFile} and ${lockFile}.takeover-* and retry`,
  );
  assert.equal(readFileSync(lockFile, 'utf8'), '', 'the half-written lock is left to its writer');
});

test('on a file system without hard links the lock is still exclusive, released, and taken over when dead', (t) => {
  const { dir, state, lockFile } = stateIn(t);
  const noLinks = { hardLinks: false };
  const first = acquireLock(state, noLinks);
  assert.equal(readFileSync(lockFile, 'utf8'), `${process.pid}\n`);
  first.release();
  assert.ok(!existsSync(lockFile));
  // A live holder (another process) is reported, not replaced.
  const pid = liveProcess(t);
  writeFileSync(lockFile, `${pid}\n`);
  assert.throws(
    () => acquireLock(state, noLinks),
    (e: unknown) => e instanceof MirrorError && e.code === 'Locked' && e.message.includes(`pid ${pid}`),
  );
  // A dead one (garbled here) is taken over, claim and all.
  writeFileSync(lockFile, 'garbled\n');
  const steps: string[] = [];
  const second = acquireLock(state, { ...noLinks, onTakeoverStep: (s) => steps.push(s) });
  assert.deepEqual(steps, ['dead', 'claimed']);
  assert.equal(readFileSync(lockFile, 'utf8'), `${process.pid}\n`);
  second.release();
  assert.deepEqual(readdirSync(dir), [], 'no lock, claim or temp file is left');
});
