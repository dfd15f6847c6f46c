/** `newsmirror demo`: the whole pipeline offline, against the bundled sample origin. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { parseDocument } from 'yaml';
import { loadConfig } from '../config/load.js';
import { applyRemotes, RemoteSchema } from '../config/remotes.js';
import type { MirrorConfig } from '../config/schema.js';
import { err, out, packageRoot } from './shared.js';
import { runSyncCommand } from './sync.js';

async function runDemo(opts: { out?: string; json?: boolean; quiet?: boolean; publish: boolean }): Promise<number> {
  const { startDemoOrigin } = await import('../demo/origin.js');
  const root = packageRoot();
  const configFile = path.join(root, 'examples', 'demo', 'newsmirror.yaml');
  const outDir = path.resolve(opts.out ?? path.join(process.cwd(), 'mirror'));
  const stateFile = path.join(path.dirname(outDir), '.newsmirror', `${path.basename(outDir)}.db`);
  // The origin keeps its port across runs (URLs are article identities), and serves
  // its second edition from the second run on, so a re-run shows update detection.
  const demoFile = `${stateFile}.demo.json`;
  const previous = existsSync(demoFile)
    ? (JSON.parse(readFileSync(demoFile, 'utf8')) as { port: number; runs: number })
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
    const config: MirrorConfig = {
      ...base,
      output: { dir: outDir, stateFile },
      ...applyRemotes({ site: base.site, remotes: demoRemotes }, base.baseDir),
    };
    if (!opts.quiet && !opts.json) err(`demo origin (edition ${edition}) at ${origin.url}`);
    const code = await runSyncCommand(config, { publish: opts.publish, json: opts.json, quiet: opts.quiet });
    writeFileSync(
      demoFile,
      JSON.stringify({ port: Number(new URL(origin.url).port), runs: (previous?.runs ?? 0) + 1 }),
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
      if (edition === 1) out('Run it again: the origin then serves one updated article, and only that page changes.');
      out(`Explore: \`newsmirror status -c ${rel(resolved)}\`   |   \`newsmirror audit -c ${rel(resolved)}\``);
    }
    return code;
  } finally {
    await origin.close();
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
    .action(async (o: { out: string; json?: boolean; quiet?: boolean; publish: boolean }) => {
      process.exitCode = await runDemo(o);
    });
}
