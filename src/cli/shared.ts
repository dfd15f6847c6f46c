/** What the commands share: exit codes, the two output streams, number formats, the run lock. */

import { existsSync, readdirSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import { ZodError } from 'zod';
import { checkPaths } from '../config/check.js';
import { loadConfig } from '../config/load.js';
import type { MirrorConfig } from '../config/schema.js';
import { ErrorCodes, errorChain, errorCode, MirrorError } from '../errors.js';
import { Store } from '../store/database.js';
import { acquireLock } from '../store/lock.js';
import type { SearchIndexResult } from '../store/search-index.js';

/** Exit codes: stable, documented in the README. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  partial: 3,
  locked: 4,
  failed: 5,
} as const;

/** The exit code for an error a command threw. */
export function exitCodeForError(e: MirrorError): number {
  switch (e.code) {
    case ErrorCodes.ConfigInvalid:
    case ErrorCodes.ConfigNotFound:
    case ErrorCodes.ConfigSyntax:
    case ErrorCodes.RuleInvalid:
    case ErrorCodes.UsageInvalid:
      return EXIT.usage;
    case ErrorCodes.Locked:
      return EXIT.locked;
    case ErrorCodes.Interrupted:
      // 128 + the signal's number, as shells report a process stopped by it.
      return 128 + (osConstants.signals[(/SIG[A-Z]+/.exec(e.message)?.[0] ?? 'SIGTERM') as NodeJS.Signals] ?? 15);
    default:
      return EXIT.failed;
  }
}

/**
 * An error as the `error` of a --json document (README, "Commands"): its permanent code,
 * what happened, the chain of causes (left out when the message already lists the config's
 * problems), and what to do.
 */
export function errorJson(e: unknown): { code: string; message: string; cause?: string; hint?: string } {
  const [message = '', ...causes] = errorChain(e);
  const listed = e instanceof Error && e.cause instanceof ZodError;
  const hint = e instanceof MirrorError ? e.hint : undefined;
  return {
    code: errorCode(e),
    message: runnable(message),
    ...(causes.length > 0 && !listed ? { cause: causes.join(': ') } : {}),
    ...(hint ? { hint: runnable(hint) } : {}),
  };
}

/**
 * How the user runs newsmirror from a shell: `newsmirror` when it is installed on PATH
 * (`npm install -g .`, `npm link`), else `npx newsmirror` (a checkout after `npm ci`, where
 * npm runs the package's own command). The folders npm puts on PATH while it runs a script
 * do not count: the user's shell does not have them.
 */
export const commandName = once(() => {
  const names = process.platform === 'win32' ? ['newsmirror.cmd', 'newsmirror.exe'] : ['newsmirror'];
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !dir.split(/[\\/]/).includes('node_modules'))
    .some((dir) => names.some((n) => existsSync(path.join(dir, n))));
  return onPath ? 'newsmirror' : 'npx newsmirror';
});

/** Commands quoted in a message (`` `newsmirror status` ``), written the way this user can run them. */
export function runnable(text: string): string {
  const name = commandName();
  return name === 'newsmirror' ? text : text.replaceAll('`newsmirror ', `\`${name} `);
}

function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: make() };
    return value.v;
  };
}

/** stdout and stderr, one line each; quoted commands are written as the user can run them. */
export const out = (s: string) => process.stdout.write(`${runnable(s)}\n`);
export const err = (s: string) => process.stderr.write(`${runnable(s)}\n`);

/** Root of the installed package (two levels above this file in src/ and in dist/). */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function reporterMode(json: boolean | undefined, quiet: boolean | undefined): 'tty' | 'plain' | 'silent' {
  if (json || quiet) return 'silent';
  return process.stderr.isTTY && !process.env.CI ? 'tty' : 'plain';
}

export function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

const DEFAULT_CONFIG = 'newsmirror.yaml';
/** What `npm start` (the demo, with its default `-o mirror`) leaves here: its config with this run's paths. */
const DEMO_CONFIG = path.join('.newsmirror', 'mirror.yaml');

export const configOption = () => new Option('-c, --config <file>', 'config file').default(DEFAULT_CONFIG);

/** The config; `publishing` when the command commits (it refuses the starter's placeholder address). */
export const load = (file: string, options: { publishing?: boolean } = {}): MirrorConfig =>
  loadConfig(configFile(file), { env: process.env, publishing: options.publishing ?? false });

/**
 * The config file to read. Without `-c`, in a folder where `npm start` ran the demo and there
 * is no newsmirror.yaml, that is the demo's config (said on stderr), so that `status`, `build`
 * and `audit` work on the demo mirror as they are. A demo run with `-o <dir>` left its config
 * elsewhere in .newsmirror/: the error then names the flag to add.
 */
export function configFile(file: string): string {
  if (file !== DEFAULT_CONFIG || existsSync(file)) return file;
  if (existsSync(DEMO_CONFIG)) {
    err(`newsmirror: no ${DEFAULT_CONFIG} here; using the demo's config ${DEMO_CONFIG} (pass -c <file> for another)`);
    return DEMO_CONFIG;
  }
  let others: string[] = [];
  try {
    others = readdirSync('.newsmirror').filter((n) => n.endsWith('.yaml'));
  } catch {
    // no demo was run here
  }
  if (others.length > 0) {
    const found = others.map((n) => path.join('.newsmirror', n));
    throw new MirrorError(ErrorCodes.ConfigNotFound, `there is no ${DEFAULT_CONFIG} in ${process.cwd()}`, {
      hint: `the demo left its config here: add \`-c ${found[0]}\`${found.length > 1 ? ` (or one of ${found.slice(1).join(', ')})` : ''}; or run \`newsmirror init\` to write a config of your own`,
    });
  }
  return file;
}

/**
 * Runs `fn` holding the run lock on the state, with the state open, and turns the first
 * SIGTERM/SIGINT into an abort: fetching stops, the current writes finish, the lock is left
 * free. A second signal kills at once (the handlers are `once`).
 */
export async function withState<T>(
  config: MirrorConfig,
  fn: (store: Store, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  checkPaths(config);
  const lock = acquireLock(config.output.stateFile);
  let store: Store;
  try {
    store = Store.open(config.output.stateFile);
  } catch (e) {
    lock.release();
    throw e;
  }
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) =>
    controller.abort(
      new MirrorError(ErrorCodes.Interrupted, `stopped by ${signal}`, {
        hint: 'nothing is lost: the next run continues where this one stopped',
      }),
    );
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    return await fn(store, controller.signal);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    store.close();
    lock.release();
  }
}

/** `3 of 12 channels built` (the search index is one shard per channel). */
export function shardWords(shards: SearchIndexResult['shards']): string {
  const all = shards.built + shards.kept;
  return `${shards.built} of ${all} channel${all === 1 ? '' : 's'} built${shards.removed > 0 ? `, ${shards.removed} removed` : ''}`;
}
