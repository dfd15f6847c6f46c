/** `newsmirror demo`: the whole pipeline offline, against the bundled sample origin. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { parseDocument } from 'yaml';
import { loadConfig } from '../config/load.js';
import { applyRemotes, RemoteSchema } from '../config/remotes.js';
import type { MirrorConfig } from '../config/schema.js';
import { counterOptions, type RunningCounter, startCounter } from '../counter/index.js';
import { readKnownPages } from '../counter/pages.js';
import { simulateReaders } from '../demo/readers.js';
import { runSync } from '../pipeline.js';
import type { RunReport } from '../types.js';
import { createReporter } from './progress.js';
import { err, out, packageRoot, reporterMode, withState } from './shared.js';
import { exitCodeFor, runSyncCommand, summary } from './sync.js';

interface DemoOptions {
  out?: string;
  json?: boolean;
  quiet?: boolean;
  publish: boolean;
  /** Also run the view counter, send it a simulated readership and show the hot list it makes. */
  counter?: boolean;
}

/** The seed of the simulated readership: the same pages are read by the same readers every run. */
const READERS_SEED = 12;

async function runDemo(opts: DemoOptions): Promise<number> {
  const { startDemoOrigin } = await import('../demo/origin.js');
  const root = packageRoot();
  const configFile = path.join(root, 'examples', 'demo', 'newsmirror.yaml');
  const outDir = path.resolve(opts.out ?? path.join(process.cwd(), 'mirror'));
  const stateFile = path.join(path.dirname(outDir), '.newsmirror', `${path.basename(outDir)}.db`);
  // The origin keeps its port across runs (URLs are article identities), and serves
  // its second edition from the second run on, so a re-run shows update detection.
  const demoFile = `${stateFile}.demo.json`;
  const previous = existsSync(demoFile)
    ? (JSON.parse(readFileSync(demoFile, 'utf8')) as { port: number; runs: number; counterPort?: number })
    : undefined;
  const edition = previous && previous.runs > 0 ? 2 : 1;
  let origin: Awaited<ReturnType<typeof startDemoOrigin>>;
  try {
    origin = await startDemoOrigin({ edition, port: previous?.port ?? 0 });
  } catch {
    origin = await startDemoOrigin({ edition, port: 0 });
  }
  try {
    const base = loadConfig(configFile, { env: { ...process.env, DEMO_ORIGIN: origin.url } });
    // Two local bare repositories next to the mirror stand in for git hosts, so that a
    // newcomer sees a push happen: one keeps every run, one holds a single snapshot commit.
    const remotesDir = path.join(path.dirname(stateFile), 'remotes');
    const demoRemotes = opts.publish ? createDemoRemotes(remotesDir) : [];
    let config: MirrorConfig = {
      ...base,
      output: { dir: outDir, stateFile },
      // The view counts beside the demo's state (`.newsmirror/<out>.counter.db`).
      counter: { ...base.counter, stateFile: `${stateFile.replace(/\.db$/, '')}.counter.db` },
      ...applyRemotes({ site: base.site, remotes: demoRemotes }, base.baseDir),
    };
    if (!opts.quiet && !opts.json) err(`demo origin (edition ${edition}) at ${origin.url}`);
    let code: number;
    let counterPort = previous?.counterPort;
    if (opts.counter) {
      const done = await demoWithCounter(config, counterPort, opts);
      ({ code, config } = done);
      counterPort = done.config.counter.port;
    } else {
      code = await runSyncCommand(config, { publish: opts.publish, json: opts.json, quiet: opts.quiet });
    }
    writeFileSync(
      demoFile,
      JSON.stringify({ port: Number(new URL(origin.url).port), runs: (previous?.runs ?? 0) + 1, counterPort }),
    );
    // The demo's config with this run's origin and paths filled in, so that `status`,
    // `build` and `audit` work on the demo mirror like on any other.
    const resolved = `${stateFile.replace(/\.db$/, '')}.yaml`;
    writeFileSync(resolved, resolvedDemoConfig(configFile, origin.url, config));
    if (!opts.quiet && !opts.json) {
      const rel = (p: string) => path.relative(process.cwd(), p) || '.';
      out('');
      if (config.remotes.length > 0) {
        out('Pushed to two local git repositories (git-ignored), as a sync pushes to GitHub, GitLab or Codeberg:');
        for (const r of config.remotes) {
          out(`  ${rel(r.target).padEnd(40)} history: ${r.history.padEnd(8)} ${commitsIn(r.target, r.branch)}`);
        }
        out(`  look: git --git-dir ${rel(config.remotes[0]?.target ?? '')} log --oneline`);
      }
      out(`Open ${rel(path.join(outDir, 'README.md'))} (the home page), or push ${rel(outDir)} to a git host.`);
      if (config.html.enabled)
        out(
          `The website beside it: ${rel(path.join(outDir, 'index.html'))}; preview it with search: \`newsmirror serve ${rel(outDir)}\`, then http://127.0.0.1:8080/`,
        );
      if (edition === 1) out('Run it again: the origin then serves one updated article, and only that page changes.');
      out(`Explore: \`newsmirror status -c ${rel(resolved)}\`   |   \`newsmirror audit -c ${rel(resolved)}\``);
    }
    return code;
  } finally {
    await origin.close();
  }
}

/** `layout.beaconUrl` for a counter on 127.0.0.1:`port`. */
function beaconUrlFor(config: MirrorConfig, port: number): string {
  return `http://127.0.0.1:${port}${config.counter.beaconPath.replace(/\/+$/, '')}/{path}`;
}

/** One sync of `config`, with the progress the options ask for; returns its report. */
async function syncOnce(config: MirrorConfig, opts: DemoOptions): Promise<RunReport> {
  const reporter = createReporter(reporterMode(opts.json, opts.quiet), err);
  try {
    return await withState(config, (store, signal) =>
      runSync(config, store, { publish: opts.publish, onEvent: (e) => reporter.onEvent(e), signal }),
    );
  } finally {
    reporter.done();
  }
}

/**
 * `demo --counter`: sync; start the view counter on 127.0.0.1 (on the port of the last demo
 * with the counter, so the pages' beacon stays the same); send it a simulated readership;
 * write the counts; sync again, so that the home page's hot section and the hot-list index
 * rank the pages by those counts; stop the counter. Returns the worse exit code of the two
 * syncs, and the config with the counter's beacon.
 */
async function demoWithCounter(
  config: MirrorConfig,
  previousPort: number | undefined,
  opts: DemoOptions,
): Promise<{ code: number; config: MirrorConfig }> {
  const talk = !opts.quiet && !opts.json;
  // The pages carry the beacon of the last demo's counter, when there was one: its port is reused.
  const withBeacon = (c: MirrorConfig, port: number): MirrorConfig => ({
    ...c,
    layout: { ...c.layout, beaconUrl: beaconUrlFor(c, port) },
    counter: { ...c.counter, host: '127.0.0.1', port },
  });
  if (previousPort !== undefined) config = withBeacon(config, previousPort);
  const first = await syncOnce(config, opts);
  if (talk) for (const l of summary(first, config)) out(l);

  // The counter reads the pages the first sync rendered. Its simulated readers come with
  // addresses of their own in X-Forwarded-For, as a reverse proxy sends them: the demo's
  // counter trusts it (it listens on 127.0.0.1 only, for the length of the demo).
  const options = { ...counterOptions(config), host: '127.0.0.1', trustProxy: true };
  options.onWarning = (message) => err(`newsmirror counter: ${message}`);
  let counter: RunningCounter;
  try {
    counter = await startCounter({ ...options, port: previousPort ?? 0 });
  } catch {
    counter = await startCounter({ ...options, port: 0 });
  }
  try {
    config = withBeacon(config, counter.port);
    const beaconUrl = config.layout.beaconUrl as string;
    const rel = (p: string) => path.relative(process.cwd(), p) || '.';
    if (talk) {
      out('');
      out(`View counter at ${counter.url} (counts in ${rel(options.countsFile)}); every page's beacon is ${beaconUrl}`);
    }
    const readers = await simulateReaders(beaconUrl, readKnownPages(options.pages), READERS_SEED);
    // Write what the counter holds in memory now, rather than after its next flushMs.
    counter.flush();
    const m = counter.metrics();
    const { report: second, titles } = await withState(config, async (store, signal) => {
      const reporter = createReporter(reporterMode(opts.json, opts.quiet), err);
      try {
        const report = await runSync(config, store, {
          publish: opts.publish,
          onEvent: (e) => reporter.onEvent(e),
          signal,
        });
        const titles = new Map<string, string>();
        for (const p of readers.pages) {
          const id = /\/([^/]+)\.md$/.exec(p.path)?.[1];
          const a = id === undefined ? undefined : store.getArticle(id);
          if (a) titles.set(p.path, a.title);
        }
        return { report, titles };
      } finally {
        reporter.done();
      }
    });
    const readersTotal = readers.pages.reduce((n, p) => n + p.readers, 0);
    if (talk) {
      out(
        `Simulated readership (seed ${readers.seed}): ${readersTotal} readers, each from an address of its own, opened ${readers.pages.length} pages; ${readers.reloads} of them loaded their page again.`,
      );
      out(
        `The counter answered ${readers.requests} beacon requests: ${m.counted} counted, ${m.throttled} throttled (the reloads: one reader, one page, once per ${Math.round(config.counter.throttleMs / 60_000)} minutes).`,
      );
      for (const p of readers.pages) out(`  ${String(p.readers).padStart(3)}  ${p.path}  ${titles.get(p.path) ?? ''}`);
      out(
        `Synced again with those counts: pages ${second.pages.written} written, ${second.pages.unchanged} unchanged; ${
          second.commit ? `commit ${second.commit.sha.slice(0, 10)} ${second.commit.message}` : 'no commit'
        }`,
      );
      const hotName = config.layout.hotList.name;
      out(
        `The hot list (${rel(path.join(config.output.dir, 'indexes', `${hotName}.md`))}, and the "${hotName}" section of ${rel(path.join(config.output.dir, 'README.md'))}) now lists these pages, most read first.`,
      );
    }
    if (opts.json) {
      const counted = {
        url: counter.url,
        beaconUrl,
        counts: options.countsFile,
        seed: readers.seed,
        pages: readers.pages,
        requests: readers.requests,
        reloads: readers.reloads,
        counted: m.counted,
        throttled: m.throttled,
      };
      out(JSON.stringify({ sync: first, counter: counted, hotSync: second }, null, 2));
    }
    return { code: Math.max(exitCodeFor(first), exitCodeFor(second)), config };
  } finally {
    await counter.stop();
  }
}

/** The demo's remotes: bare repositories in `dir`, made on first use. */
function createDemoRemotes(dir: string) {
  const remotes = RemoteSchema.array().parse([
    { name: 'demo-keep', url: path.join(dir, 'demo-keep.git'), history: 'keep', timeoutMs: 30_000, retries: 0 },
    {
      name: 'demo-snapshot',
      url: path.join(dir, 'demo-snapshot.git'),
      history: 'snapshot',
      timeoutMs: 30_000,
      retries: 0,
    },
  ]);
  for (const r of remotes) {
    if (!existsSync(path.join(r.url, 'HEAD'))) {
      execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', r.url], { stdio: 'ignore' });
    }
  }
  return remotes;
}

/** `3 commits` on a remote's branch. */
function commitsIn(repo: string, branch: string): string {
  try {
    const n = Number(execFileSync('git', ['--git-dir', repo, 'rev-list', '--count', branch], { encoding: 'utf8' }));
    return `${n} commit${n === 1 ? '' : 's'}`;
  } catch {
    return 'nothing pushed';
  }
}

/** The demo config as YAML with the origin and paths of this run written in (comments kept). */
function resolvedDemoConfig(configFile: string, originUrl: string, config: MirrorConfig): string {
  const placeholder = ['$', '{DEMO_ORIGIN}'].join('');
  const doc = parseDocument(readFileSync(configFile, 'utf8').replaceAll(placeholder, originUrl));
  doc.setIn(['output', 'dir'], config.output.dir);
  doc.setIn(['output', 'stateFile'], config.output.stateFile);
  if (config.picks) doc.setIn(['picks', 'file'], config.picks.file);
  doc.setIn(['counter', 'stateFile'], config.counter.stateFile);
  if (config.layout.beaconUrl) {
    // `demo --counter`: the pages carry this counter's beacon; `newsmirror counter -c` starts it again.
    doc.setIn(['layout', 'beaconUrl'], config.layout.beaconUrl);
    doc.setIn(['counter', 'port'], config.counter.port);
  }
  if (config.remotes.length > 0) {
    doc.set(
      'remotes',
      config.remotes.map((r) => ({ name: r.name, url: r.target, history: r.history })),
    );
  }
  return `# Written by \`newsmirror demo\` from ${configFile}: the demo origin runs only during \`demo\`.\n${doc.toString()}`;
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('run the whole pipeline offline against the bundled sample origin')
    .option('-o, --out <dir>', 'mirror folder', 'mirror')
    .option('--no-publish', 'do not commit')
    .option('--json', 'print the run report as JSON')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--counter', 'also run the view counter, visit some pages with simulated readers, and show the hot list')
    .action(async (o: DemoOptions) => {
      process.exitCode = await runDemo(o);
    });
}
