/**
 * Locks and signals, through the CLI: a second run while one holds the lock exits 4 and
 * says who holds it; a lock left by a dead process (or an empty or garbled one) is taken
 * over; SIGTERM and SIGINT stop a run cleanly: it exits soon with 128 + the signal's
 * number, releases the lock, writes nothing partial, records no failure, and the next
 * run completes with nothing lost.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addFigures } from './lib/figures.js';
import { cli, compiledCli, load, spawnCli, suiteConfig, withStore, workdir, writeConfig } from './lib/harness.js';
import { checkCommitted, checkMirror } from './lib/invariants.js';
import { type FaultOrigin, startFaultOrigin } from './lib/origin.js';

const counts = { faultsInjected: 0, runsSurvived: 0, invariantsChecked: 0, lost: 0 };

describe('locks and signals', { concurrency: 3 }, () => {
  let origin: FaultOrigin;
  before(async () => {
    compiledCli();
    origin = await startFaultOrigin();
    origin.setLatency(150, 250);
  });
  after(async () => {
    addFigures('signals', counts);
    await origin.close();
  });

  /** A mirror of one slow channel of `n` articles (a run takes a few seconds). */
  const setup = (name: string, n: number, extra: Record<string, unknown> = {}) => {
    origin.addChannel(name, n, (i) => (extra.images ? { image: `${origin.url}/img/${i}.png` } : {}));
    const dir = workdir(name);
    writeConfig(
      dir,
      suiteConfig([{ id: name, feed: `${origin.url}/c/${name}/feed.xml` }], {
        fetch: { concurrency: 2, perHostConcurrency: 2, timeoutMs: 8000 },
        ...extra,
      }),
    );
    return { dir, config: load(path.join(dir, 'newsmirror.yaml')) };
  };

  const allMirrored = (name: string, mirror: string) => {
    const missing = origin.articles(name).filter((a) => !existsSync(path.join(mirror, `pages/${name}/${a.id}.md`)));
    counts.lost += missing.length;
    assert.deepEqual(
      missing.map((a) => a.id),
      [],
      'nothing is lost',
    );
  };

  test('a second run while one holds the lock exits 4 and names the holder', async () => {
    // Its articles are held until the three tries are done: the first run is still going, for sure.
    const { dir, config } = setup('locked', 40, {
      fetch: { concurrency: 2, perHostConcurrency: 2, timeoutMs: 600_000 },
    });
    const held = origin.hold((p) => p.startsWith('/c/locked/a/'));
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    const first = spawnCli(['sync'], dir, { onLine: (l) => l.startsWith('source ') && started() });
    await running;
    const tries = [['sync'], ['build'], ['sync', '--no-publish']];
    const seconds = await Promise.all(tries.map((args) => cli(args, dir)));
    assert.equal(first.child.exitCode, null, 'the first run was still running');
    held.release();
    for (const [i, second] of seconds.entries()) {
      assert.equal(second.code, 4, `${tries[i]?.join(' ')}: ${second.stderr}`);
      assert.match(second.stderr, new RegExp(`another newsmirror run \\(pid ${first.child.pid}\\) is using`));
      assert.match(second.stderr, /what to do: wait for it to finish/);
      counts.faultsInjected++;
      counts.runsSurvived++;
    }
    const r = await first.done;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(`${config.output.stateFile}.lock`), 'the lock is released');
    allMirrored('locked', config.output.dir);
    counts.invariantsChecked +=
      checkMirror(config.output.dir, { completed: true }).checked + checkCommitted(config.output.dir);
  });

  test('a lock left by a killed run, an empty one and a garbled one are taken over', async () => {
    const { dir, config } = setup('stale', 3);
    const dead = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const deadPid = dead.pid;
    dead.kill('SIGKILL');
    await new Promise((r) => dead.on('exit', r));
    mkdirSync(path.dirname(config.output.stateFile), { recursive: true });
    for (const content of [`${deadPid}\n`, '', 'not a pid\n']) {
      writeFileSync(`${config.output.stateFile}.lock`, content);
      const r = await cli(['sync'], dir);
      assert.equal(r.code, 0, `lock "${content.trim()}": ${r.stderr}`);
      assert.ok(!existsSync(`${config.output.stateFile}.lock`), 'released after the run');
      counts.faultsInjected++;
      counts.runsSurvived++;
    }
    allMirrored('stale', config.output.dir);
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    test(`${signal} stops a sync cleanly and the next run completes`, async () => {
      const name = `sig-${signal.toLowerCase()}`;
      const { dir, config } = setup(name, 16);
      // The first 4 articles are answered, the others held: the signal comes once the run waits
      // for a held one, so it lands while articles are being fetched, however slow the machine.
      const article = (p: string) => Number(p.match(/^\/c\/[^/]+\/a\/[^/]+-(\d+)\.html$/)?.[1] ?? 0);
      const held = origin.hold((p) => p.startsWith(`/c/${name}/a/`) && article(p) > 4);
      let sent = false;
      let asked = 0;
      const run = spawnCli(['sync'], dir, {
        onLine: (l) => {
          if (!/^articles: \d+ to fetch$/.test(l)) return;
          const poll = setInterval(() => {
            if (held.waiting() === 0 || sent) return;
            clearInterval(poll);
            sent = true;
            asked = origin.requestsUnder(`/c/${name}/a/`);
            run.child.kill(signal);
          }, 10);
          run.done.then(() => clearInterval(poll));
        },
      });
      const r = await run.done;
      // Stopped at once, not at the end of the run: no article asked for after the signal (counted
      // in requests, not in seconds, so a loaded machine cannot fail it).
      const askedAfter = origin.requestsUnder(`/c/${name}/a/`) - asked;
      held.release();
      assert.ok(sent, 'the signal was sent while articles were being fetched');
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, new RegExp(`stopped by ${signal}`));
      assert.match(r.stderr, /next run continues/);
      assert.ok(askedAfter <= 2, `${askedAfter} articles asked for after the signal (at most the 2 on their way)`);
      assert.ok(!existsSync(`${config.output.stateFile}.lock`), 'the lock is released');
      counts.faultsInjected++;
      counts.invariantsChecked += checkMirror(config.output.dir, { completed: true }).checked;
      withStore(config, (store) => {
        // Stopping is not failing: no failure recorded, no attempt counted.
        assert.deepEqual(store.recentFailures(`F/${name}`, 10), []);
        assert.equal(store.sourceStatuses().find((s) => s.source === `F/${name}`)?.consecutiveFailures, 0);
        assert.ok(store.pendingItems().every((p) => p.attempts === 0));
        assert.ok(store.pendingItems().length > 0, 'some items were still to fetch');
      });
      const next = await cli(['sync'], dir);
      assert.equal(next.code, 0, next.stderr);
      allMirrored(name, config.output.dir);
      counts.invariantsChecked +=
        checkMirror(config.output.dir, { completed: true }).checked + checkCommitted(config.output.dir);
      counts.runsSurvived += 2;
    });
  }

  test('SIGTERM while images download stops cleanly too', async () => {
    const { dir, config } = setup('sig-images', 10, { images: 'mirror' });
    let sentAt = 0;
    const run = spawnCli(['sync'], dir, {
      onLine: (l) => {
        // Images are fetched after the articles: stop right after the last article.
        if (/^articles: (\d+)\/\1$/.test(l) && sentAt === 0) {
          setTimeout(() => {
            sentAt = Date.now();
            run.child.kill('SIGTERM');
          }, 150);
        }
      },
    });
    const r = await run.done;
    assert.ok(sentAt > 0);
    assert.equal(r.code, 143, r.stderr);
    assert.ok(!existsSync(`${config.output.stateFile}.lock`), 'the lock is released');
    counts.faultsInjected++;
    counts.invariantsChecked += checkMirror(config.output.dir, { completed: true }).checked;
    const next = await cli(['sync'], dir);
    assert.equal(next.code, 0, next.stderr);
    allMirrored('sig-images', config.output.dir);
    counts.invariantsChecked +=
      checkMirror(config.output.dir, { completed: true }).checked + checkCommitted(config.output.dir);
    counts.runsSurvived += 2;
  });
});
