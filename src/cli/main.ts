#!/usr/bin/env node
/**
 * The command line. Each command lives in its own file and returns a commander `Command`;
 * this file only wires them and turns errors into messages and exit codes (README "Exit codes").
 */
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ErrorCodes, errorChain, MirrorError } from '../errors.js';
import { addCommand } from './add.js';
import { auditCommand } from './audit.js';
import { buildCommand } from './build.js';
import { checkCommand } from './check.js';
import { counterCommand } from './counter.js';
import { demoCommand } from './demo.js';
import { extractCommand } from './extract.js';
import { initCommand } from './init.js';
import { publishCommand } from './publish.js';
import { rebuildStateCommand } from './rebuild-state.js';
import { rotateCommand } from './rotate.js';
import { serveCommand } from './serve.js';
import { EXIT, err, errorJson, exitCodeForError, out } from './shared.js';
import { statusCommand } from './status.js';
import { syncCommand } from './sync.js';

export { ownHosts } from './audit.js';
export { EXIT, packageRoot } from './shared.js';

export function buildProgram(): Command {
  const program = new Command()
    .name('newsmirror')
    .description('Keep a readable mirror of news sites on git hosts and static hosts')
    .version('0.1.0');
  for (const command of [
    initCommand(),
    addCommand(),
    checkCommand(),
    syncCommand(),
    buildCommand(),
    rebuildStateCommand(),
    publishCommand(),
    rotateCommand(),
    extractCommand(),
    auditCommand(),
    statusCommand(),
    demoCommand(),
    counterCommand(),
    serveCommand(),
  ])
    program.addCommand(command);
  // Usage errors (an unknown command or option, a missing argument) throw instead of exiting,
  // so that `main` gives them exit 2 like every other usage error; commander prints its own
  // message first. `addCommand` does not pass the setting down, so each command gets it.
  for (const c of [program, ...program.commands]) c.exitOverride();
  return program;
}

/** `--json` among the options (before a lone `--`): the outcome, errors included, is JSON on stdout. */
function wantsJson(argv: string[]): boolean {
  const args = argv.slice(2);
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).includes('--json');
}

/**
 * A reader that stops reading (`newsmirror status | head -1`) closes stdout: the next write
 * fails with EPIPE. That ends the program quietly, as a closed pipe ends any Unix tool; every
 * command writes to stdout only once its work is done, so nothing is cut short. A closed
 * stderr only silences the progress lines.
 */
function quietOnClosedPipe(): void {
  const closed = (e: NodeJS.ErrnoException) => e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED';
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (!closed(e)) throw e;
    process.exit(EXIT.ok);
  });
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (!closed(e)) throw e;
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const json = wantsJson(argv);
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (caught) {
    let e = caught;
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit 0; commander has printed them.
      if (e.exitCode === 0) return EXIT.ok;
      e = new MirrorError(ErrorCodes.UsageInvalid, e.message.replace(/^error: /, ''), {
        hint: 'run `newsmirror --help`, or `newsmirror <command> --help`, for the commands and their options',
      });
    }
    const code = e instanceof MirrorError ? exitCodeForError(e) : EXIT.internal;
    if (json) out(JSON.stringify({ exitCode: code, error: errorJson(e) }, null, 2));
    if (e instanceof MirrorError) {
      // Commander has already said what was wrong with the command line.
      if (!(caught instanceof CommanderError)) {
        const shown = errorJson(e);
        err(`newsmirror: ${shown.message}`);
        if (shown.cause) err(`  cause: ${shown.cause}`);
      }
      if (e.hint) err(`  what to do: ${e.hint}`);
      return code;
    }
    err(`newsmirror: unexpected error: ${errorChain(e).join(': ')}`);
    if (e instanceof Error && e.stack) err(e.stack);
    return code;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
