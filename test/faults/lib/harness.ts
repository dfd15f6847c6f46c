/** Shared plumbing of the fault suite: work folders, configs, in-process runs and the CLI. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../../src/config/load.js';
import type { MirrorConfig } from '../../../src/config/schema.js';
import { runSync, type SyncOptions } from '../../../src/pipeline.js';
import { Store } from '../../../src/store/database.js';
import type { RunReport } from '../../../src/types.js';
import { repoRoot } from '../../helpers.js';
import { faultRule } from './site.js';

export function workdir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `nm-faults-${prefix}-`));
}

export interface ChannelSpec {
  id: string;
  name?: string;
  feed: string;
}

/** A config for the suite's origins: small timeouts and caps so that faults cost little time. */
export function suiteConfig(
  channels: readonly ChannelSpec[],
  overrides: { fetch?: Record<string, unknown>; [key: string]: unknown } = {},
): Record<string, unknown> {
  const { fetch, ...rest } = overrides;
  return {
    site: { publicUrl: 'https://github.com/example/fault-mirror/blob/main' },
    output: { dir: 'mirror', stateFile: 'state/state.db' },
    fetch: {
      // Generous: origins in the test process share its event loop with the pipeline, and a
      // busy loop must not time out a healthy fetch. Tests of silent origins set a short one.
      timeoutMs: 15_000,
      retries: 1,
      retryBaseMs: 20,
      retryMaxMs: 300,
      maxBytes: 1024 * 1024,
      maxRedirects: 5,
      concurrency: 8,
      perHostConcurrency: 8,
      // The suite's origins listen on loopback, which newsmirror refuses unless allowed.
      allowAddresses: ['127.0.0.1'],
      ...fetch,
    },
    images: 'hotlink',
    outlets: [
      {
        name: 'Fault Gazette',
        prefix: 'F',
        timezone: 'UTC',
        channels: channels.map((c) => ({ id: c.id, name: c.name ?? c.id, feed: c.feed })),
      },
    ],
    rules: [faultRule()],
    retention: { pagesPerChannel: 300, qrPerChannel: 5 },
    git: { enabled: true, authorName: 'fault suite', authorEmail: 'faults@newsmirror.invalid' },
    ...rest,
  };
}

export function writeConfig(dir: string, config: Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'newsmirror.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

export function load(file: string): MirrorConfig {
  return loadConfig(file, { env: {} });
}

/** One sync in this process, with its own Store (opened and closed like the CLI does). */
export async function syncOnce(config: MirrorConfig, options: SyncOptions = {}): Promise<RunReport> {
  const store = Store.open(config.output.stateFile);
  try {
    return await runSync(config, store, options);
  } finally {
    store.close();
  }
}

export function withStore<T>(config: MirrorConfig, fn: (store: Store) => T): T {
  const store = Store.open(config.output.stateFile);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

// ---- the CLI as a child process -------------------------------------------

let built: string | undefined;

/**
 * The CLI compiled once per test process into a temp folder (a fresh build of the
 * working tree, so it never runs a stale dist/): it starts in a third of tsx's time,
 * which matters when a test starts it a hundred times.
 */
export function compiledCli(): string {
  if (built) return built;
  const out = workdir('build');
  try {
    execFileSync(
      path.join(repoRoot, 'node_modules/.bin/tsc'),
      [
        '-p',
        path.join(repoRoot, 'tsconfig.build.json'),
        '--outDir',
        path.join(out, 'dist'),
        '--declaration',
        'false',
        '--sourceMap',
        'false',
      ],
      { cwd: repoRoot, stdio: 'pipe' },
    );
  } catch (err) {
    // tsc emits even when another part of the tree does not type-check; only a missing CLI is fatal.
    if (!existsSync(path.join(out, 'dist/cli/main.js'))) throw err;
  }
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(out, 'node_modules'));
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
  built = path.join(out, 'dist/cli/main.js');
  return built;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(
  args: string[],
  cwd: string,
  options: { detached?: boolean; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {},
): { child: ChildProcess; done: Promise<CliResult>; stderrLines: { at: number; line: string }[] } {
  const child = spawn(process.execPath, [compiledCli(), ...args], {
    cwd,
    detached: options.detached ?? false,
    env: { ...process.env, CI: '1', NODE_OPTIONS: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const stderrLines: { at: number; line: string }[] = [];
  let partial = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
    partial += d;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      stderrLines.push({ at: Date.now(), line });
      options.onLine?.(line);
    }
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, stderrLines };
}

export async function cli(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return spawnCli(args, cwd, env ? { env } : {}).done;
}
