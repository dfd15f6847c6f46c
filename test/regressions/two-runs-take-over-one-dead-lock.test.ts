/**
 * Regression: runs that start together over a lock left by a killed run could all take it
 * over. Each read the dead pid, then deleted "the stale lock", which by then could be the
 * new lock of the run that got there first, and wrote its own. Now one run wins and the
 * others are told the lock is held.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const lockModule = fileURLToPath(new URL('../../src/store/lock.ts', import.meta.url));
const RACERS = 6;
const ROUNDS = 5;

/** Start RACERS processes that each try to take the lock at the same moment and hold it a while. */
async function race(state: string): Promise<string[]> {
  const startAt = Date.now() + 1500; // all loaded by then, so they start together
  const code = `
    const { acquireLock } = await import(${JSON.stringify(lockModule)});
    while (Date.now() < ${startAt}) {}
    try {
      const lock = acquireLock(${JSON.stringify(state)});
      process.stdout.write('got');
      setTimeout(() => lock.release(), 400);
    } catch (e) {
      process.stdout.write(e.code === 'Locked' ? 'locked' : 'error ' + e.message);
    }`;
  const runs = Array.from(
    { length: RACERS },
    () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code]);
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.on('close', () => resolve(out));
      }),
  );
  return Promise.all(runs);
}

test('of several runs started together over a dead lock, exactly one takes it', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nm-lockrace-'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  for (let round = 0; round < ROUNDS; round++) {
    const state = path.join(dir, `state-${round}.db`);
    writeFileSync(`${state}.lock`, `${dead}\n`);
    const outcomes = await race(state);
    assert.deepEqual(
      outcomes.filter((o) => o !== 'locked'),
      ['got'],
      `round ${round}: ${outcomes.join(', ')}`,
    );
  }
});
