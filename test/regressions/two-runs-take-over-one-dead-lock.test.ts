/**
 * Regression: runs that start together over a lock left by a killed run could all take it
 * over. Each read the dead pid, then deleted "the stale lock", which by then could be the
 * new lock of the run that got there first, and wrote its own. Now one run wins and the
 * others are told the lock is held.
 *
 * The race is forced, not hoped for: every racer reads the dead lock and stops there until all
 * of them have (a file barrier), then all go on together; the winner holds the lock until every
 * racer has its answer, so a late racer never finds it free. An earlier version started the
 * racers at a fixed time and had the winner hold for 400 ms; on 2 busy cores the racers reached
 * the lock over 600 ms, mostly one after the other, and a late one rightly took the free lock.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { type Racer, startRacer, waitForFiles } from '../lock-racer.js';

const RACERS = 6;
const ROUNDS = 3;

test('of several runs started together over a dead lock, exactly one takes it', { timeout: 180_000 }, async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nm-lockrace-'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  const racers: Racer[] = [];
  t.after(() => {
    for (const r of racers) r.child.kill('SIGKILL');
  });
  for (let round = 0; round < ROUNDS; round++) {
    const dir = path.join(root, `round-${round}`);
    mkdirSync(dir);
    const state = path.join(dir, 'state.db');
    writeFileSync(`${state}.lock`, `${dead}\n`);
    const these = Array.from({ length: RACERS }, (_, i) => startRacer({ state, dir, name: `r${i}`, at: 'dead' }));
    racers.push(...these);
    // Every racer has read the dead lock and waits: release them together.
    await waitForFiles(these.map((r) => r.atFile));
    writeFileSync(path.join(dir, 'go'), '');
    await waitForFiles(these.map((r) => r.outcomeFile));
    const outcomes = these.map((r) => r.outcome());
    const winners = outcomes.filter((o) => o.startsWith('got '));
    assert.equal(winners.length, 1, `round ${round}: ${outcomes.join(', ')}`);
    assert.deepEqual(
      outcomes.filter((o) => !o.startsWith('got ') && !o.startsWith('locked ')),
      [],
      `round ${round}: ${outcomes.join(', ')}`,
    );
    assert.equal(readFileSync(`${state}.lock`, 'utf8'), `${winners[0]?.slice('got '.length)}\n`, 'the winner holds it');
    writeFileSync(path.join(dir, 'release'), '');
    await Promise.all(these.map((r) => r.exited));
    assert.ok(!existsSync(`${state}.lock`), 'the winner released it');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.lock')),
      [],
      'no takeover file is left behind',
    );
  }
});
