/** `newsmirror publish`: commit the mirror folder if it changed. */
import { Command } from 'commander';
import { publishMirror } from '../publish/index.js';
import { configOption, load, out } from './shared.js';

export function publishCommand(): Command {
  return new Command('publish')
    .description('commit the mirror folder if it changed')
    .addOption(configOption())
    .action(async (o: { config: string }) => {
      const config = load(o.config);
      const c = await publishMirror(config, { new: 0, updated: 0, removed: 0 }, new Date());
      out(c ? `commit ${c.sha.slice(0, 10)} ${c.message}` : 'nothing to commit');
    });
}
