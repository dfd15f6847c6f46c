/** `newsmirror init`: a commented starter config. */
import { existsSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { starterConfig } from '../config/starter.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { configOption, out } from './shared.js';

export function initCommand(): Command {
  return new Command('init')
    .description('write a commented starter config')
    .addOption(configOption())
    .option('--force', 'overwrite an existing file')
    .action((o: { config: string; force?: boolean }) => {
      if (existsSync(o.config) && !o.force) {
        throw new MirrorError(ErrorCodes.ConfigInvalid, `${o.config} already exists`, {
          hint: 'pass --force to overwrite it',
        });
      }
      writeFileSync(o.config, starterConfig());
      out(`wrote ${o.config}: edit site.publicUrl and outlets, then run \`newsmirror sync\``);
    });
}
