/**
 * Crashes: `newsmirror sync` (and `build`) run as a child process against a slow local
 * origin and are killed with SIGKILL at random moments spread over the run: while it
 * fetches, renders, writes pages and commits; sometimes the node process alone (its git
 * may outlive it), sometimes the whole process group (git dies mid-commit and leaves its
 * lock files). After every kill the mirror must still be whole (no truncated page, QR
 * code or asset, no dangling index entry, no duplicate, nothing that was there before is
 * gone); the next run picks up where the killed one stopped; after every run that
 * completes the tree is committed and clean and every stored article has its page; and
 * at the end every article the origin published is in the mirror.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { random } from '../lib/seed.js';
import { addFigures } from './lib/figures.js';
import { compiledCli, load, spawnCli, suiteConfig, withStore, workdir, writeConfig } from './lib/harness.js';
import { checkCommitted, checkMirror, checkNothingLost, listAll, type MirrorSnapshot } from './lib/invariants.js';
import { startFaultOrigin } from './lib/origin.js';

const KILLS = Number(process.env.NEWSMIRROR_CRASH_KILLS ?? 52);
const CHANNELS = ['world', 'local', 'sport', 'science', 'culture'];
const INITIAL = 24;

type Phase = 'startup' | 'feeds' | 'fetch' | 'render' | 'write' | 'commit' | 'exiting';
type Kind = 'sync' | 'relabel-sync' | 'relabel-build';

interface Profile {
  articlesStart?: number;
  articlesDone?: number;
  pages?: number;
  commit?: number;
  exit: number;
}

// The limit only guards against a hang: the trials are counted by events (kills, phases), not by
// the clock. Idle, the test takes about 190 s; on a 2-core machine shared with other work it
// passed 240 s (issue 18.5), so it gets the suite's 15 minutes, far from what it needs.
test('SIGKILL at random moments of sync and build never loses or breaks anything', { timeout: 900_000 }, async () => {
  const origin = await startFaultOrigin();
  origin.setLatency(10, 50);
  const grow = (n: number) => {
    for (const ch of CHANNELS) {
      origin.addChannel(ch, n, (i) =>
        i % 3 === 0 ? { image: `${origin.url}/img/${i % 7}.png`, caption: `Picture ${i} of ${ch}` } : {},
      );
    }
  };
  grow(INITIAL);
  const dir = workdir('crash');
  let label = 'Home';
  const writeCfg = () =>
    writeConfig(
      dir,
      suiteConfig(
        CHANNELS.map((id) => ({ id, feed: `${origin.url}/c/${id}/feed.xml` })),
        {
          fetch: { timeoutMs: 8000, concurrency: 6, perHostConcurrency: 6 },
          images: 'mirror',
          retention: { pagesPerChannel: 1000, qrPerChannel: 10 },
          layout: { homeLabel: label },
        },
      ),
    );
  writeCfg();
  const config = load(path.join(dir, 'newsmirror.yaml'));
  const mirror = config.output.dir;

  const profiles = new Map<Kind, Profile>();
  const phases = new Map<Phase, number>();
  let kills = 0;
  let trials = 0;
  let completed = 0;
  let invariants = 0;
  let groupKills = 0;
  let staleLocks = 0;
  let lost = 0;
  let previous: MirrorSnapshot | undefined;
  const log: string[] = [];

  /**
   * When to kill: a random moment inside the phase this trial aims at. The phase starts
   * when its progress line appears on stderr and lasts as long as it did in the last
   * complete run of this kind; `build` prints nothing on the way, so it is a random
   * moment after start-up.
   */
  const AIMS = ['fetch', 'render', 'commit', 'any'] as const;
  // Seeded (test/lib/seed.ts): NEWSMIRROR_SEED replays the same kill moments.
  const rand = random('crash: kill moments');
  const plan = (kind: Kind, aim: (typeof AIMS)[number]): { anchor?: RegExp; delay: number } => {
    const p = profiles.get(kind);
    if (!p) return { delay: 700 + rand() * 2500 };
    const rnd = (a: number | undefined, b: number | undefined) => rand() * Math.max(5, (b ?? 0) - (a ?? 0));
    if (kind !== 'relabel-build' && p.articlesStart !== undefined) {
      if (aim === 'fetch') return { anchor: /^articles: \d+ to fetch$/, delay: rnd(p.articlesStart, p.articlesDone) };
      if (aim === 'render') return { anchor: /^articles: (\d+)\/\1$/, delay: rnd(p.articlesDone, p.pages) };
      if (aim === 'commit') return { anchor: /^pages: /, delay: rnd(p.pages, p.commit) };
    }
    return { delay: 700 + rand() * Math.max(100, p.exit - 700) };
  };

  const headOf = () => {
    try {
      return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: mirror, encoding: 'utf8', stdio: 'pipe' }).trim();
    } catch {
      return '';
    }
  };

  const runTrial = async (kind: Kind, kill: boolean) => {
    trials++;
    if (kind === 'sync') grow(1);
    else {
      label = label === 'Home' ? 'Front page' : 'Home';
      writeCfg();
      if (kind === 'relabel-sync') grow(1);
    }
    const group = kill && kills % 2 === 1;
    const head = headOf();
    const started = Date.now();
    const { anchor, delay } = plan(kind, AIMS[trials % AIMS.length] ?? 'any');
    let killedAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const killNow = () => {
      killedAt = Date.now() - started;
      try {
        if (group && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const { child, done, stderrLines } = spawnCli([kind === 'relabel-build' ? 'build' : 'sync'], dir, {
      detached: group,
      onLine: (line) => {
        if (kill && anchor && timer === undefined && anchor.test(line)) timer = setTimeout(killNow, delay);
      },
    });
    if (kill && !anchor) timer = setTimeout(killNow, delay);
    const result = await done;
    clearTimeout(timer);
    const wasKilled = result.signal === 'SIGKILL';
    const at = (re: RegExp) => {
      const l = stderrLines.find((x) => re.test(x.line));
      return l ? l.at - started : undefined;
    };

    if (!wasKilled) {
      assert.equal(result.code, 0, `${kind} completes (trial ${trials}):\n${result.stdout}\n${result.stderr}`);
      completed++;
      const total = stderrLines.find((x) => /^articles: \d+ to fetch$/.test(x.line))?.line.match(/\d+/)?.[0];
      profiles.set(kind, {
        articlesStart: at(/^articles: \d+ to fetch$/),
        articlesDone: total ? at(new RegExp(`^articles: ${total}/${total}$`)) : undefined,
        pages: at(/^pages: /),
        commit: at(/^commit/),
        exit: Date.now() - started,
      });
      invariants += checkCommitted(mirror);
      invariants += withStore(config, (store) => {
        // `build` fetches nothing: items a killed sync queued stay pending for the next sync.
        if (kind !== 'relabel-build')
          assert.equal(store.pendingItems().length, 0, 'a completed sync leaves nothing pending');
        let n = 0;
        for (const a of store.allArticles()) {
          assert.ok(existsSync(path.join(mirror, `pages/${a.channel}/${a.id}.md`)), `stored ${a.id} has its page`);
          n++;
        }
        return n;
      });
    } else {
      kills++;
      if (group) groupKills++;
      // Where did the kill land? The progress lines say how far the run got; the tree says
      // whether it had started writing; HEAD whether the commit went through.
      const seen = (re: RegExp) => stderrLines.some((x) => re.test(x.line) && x.at - started <= (killedAt ?? 0) + 5);
      let phase: Phase;
      const wrote = listAll(mirror).some((f) => {
        try {
          return statSync(path.join(mirror, f)).mtimeMs >= started;
        } catch {
          return false;
        }
      });
      if (seen(/^commit/) || headOf() !== head) phase = 'exiting';
      else if (seen(/^pages: /)) phase = 'commit';
      else if (wrote) phase = 'write';
      else if (kind === 'relabel-build') phase = (killedAt ?? 0) < 500 ? 'startup' : 'render';
      else if (seen(/^articles: (\d+)\/\1$/)) phase = 'render';
      else if (seen(/^articles: /)) phase = 'fetch';
      else if (seen(/^source /)) phase = 'feeds';
      else phase = 'startup';
      phases.set(phase, (phases.get(phase) ?? 0) + 1);
      if (existsSync(path.join(mirror, '.git', 'index.lock'))) staleLocks++;
      log.push(`trial ${trials} ${kind} killed at ${killedAt} ms (${group ? 'group' : 'node'}): ${phase}`);
      // The state database survives a kill intact (if the run got as far as making it).
      if (existsSync(config.output.stateFile)) {
        const db = new Database(config.output.stateFile);
        try {
          assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
        } finally {
          db.close();
        }
        invariants++;
      }
    }
    const now = checkMirror(mirror, { completed: !wasKilled });
    invariants += now.checked;
    if (previous) invariants += checkNothingLost(previous, now.snapshot);
    previous = now.snapshot;
  };

  compiledCli();
  try {
    // The first run, killed a few times before it may finish: a crash inside `git init` and
    // the first commit must not leave a repository that later runs cannot use.
    for (let i = 0; i < 3; i++) await runTrial('relabel-sync', true);
    await runTrial('sync', false);
    await runTrial('relabel-build', false);
    await runTrial('relabel-sync', false);
    const kinds: Kind[] = ['sync', 'sync', 'relabel-build', 'sync', 'relabel-sync'];
    for (let k = 0; kills < KILLS && k < KILLS * 3; k++) await runTrial(kinds[k % kinds.length] ?? 'sync', true);

    // The last run completes; every article the origin ever published is in the mirror.
    await runTrial('sync', false);
    const missing: string[] = [];
    for (const ch of CHANNELS) {
      for (const a of origin.articles(ch)) {
        if (!existsSync(path.join(mirror, `pages/${ch}/${a.id}.md`))) missing.push(a.id);
      }
    }
    lost = missing.length;
    console.log(
      `# crash trials: ${kills} kills (${groupKills} of the whole process group) in ${trials} runs, ${completed} completed`,
    );
    console.log(`# kills by phase: ${[...phases].map(([p, n]) => `${p} ${n}`).join(', ')}`);
    console.log(`# git index.lock left by a kill (then cleared by the next run): ${staleLocks}`);
    console.log(`# profiles (ms): ${JSON.stringify(Object.fromEntries(profiles))}`);
    if (process.env.NEWSMIRROR_CRASH_LOG) console.log(log.join('\n'));
    assert.deepEqual(missing, [], 'nothing the origin published is lost');
    assert.ok(kills >= KILLS, `${kills} kills`);
    for (const p of ['fetch', 'write', 'commit'] as const) {
      assert.ok(
        (phases.get(p) ?? 0) >= 1,
        `at least one kill while ${p === 'fetch' ? 'fetching' : p === 'write' ? 'writing' : 'committing'}: ${[...phases].join('; ')}`,
      );
    }
    assert.ok((phases.get('render') ?? 0) + (phases.get('write') ?? 0) >= 3, 'kills while rendering and writing');
  } finally {
    // Recorded even when an invariant failed: the figures say how far the trials got.
    addFigures('crash', {
      faultsInjected: kills,
      crashTrials: kills,
      runsSurvived: completed,
      invariantsChecked: invariants,
      lost,
    });
    await origin.close();
  }
});
