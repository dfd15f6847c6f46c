#!/usr/bin/env node
/**
 * The command line. Each command lives in its own file and returns a commander `Command`;
 * this file only wires them and turns errors into messages and exit codes (README "Exit codes").
 */
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { z } from 'zod';
import { describeError, MirrorError } from '../errors.js';
import { auditCommand } from './audit.js';
import { buildCommand } from './build.js';
import { demoCommand } from './demo.js';
import { extractCommand } from './extract.js';
import { initCommand } from './init.js';
import { publishCommand } from './publish.js';
import { rebuildStateCommand } from './rebuild-state.js';
import { rotateCommand } from './rotate.js';
import { EXIT, err, exitCodeForError } from './shared.js';
import { statusCommand } from './status.js';
import { syncCommand } from './sync.js';

export { ownHosts } from './audit.js';
export { EXIT, packageRoot } from './shared.js';

export function buildProgram(): Command {
  const program = new Command()
    .name('newsmirror')
    .description('Keep a readable mirror of news sites on git hosts and static hosts')
    .version('0.1.0')
    .showHelpAfterError();
  for (const command of [
    initCommand(),
    syncCommand(),
    buildCommand(),
    rebuildStateCommand(),
    publishCommand(),
    rotateCommand(),
    extractCommand(),
    auditCommand(),
    statusCommand(),
    demoCommand(),
  ])
    program.addCommand(command);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof MirrorError) {
      err(`newsmirror: ${e.message}`);
      if (e.cause && !(e.cause instanceof z.ZodError)) err(`  cause: ${describeError(e.cause)}`);
      if (e.hint) err(`  what to do: ${e.hint}`);
      return exitCodeForError(e);
    }
    err(`newsmirror: unexpected error: ${describeError(e)}`);
    if (e instanceof Error && e.stack) err(e.stack);
    return EXIT.internal;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
