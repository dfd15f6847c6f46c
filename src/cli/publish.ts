/** `newsmirror publish`: commit the mirror folder if it changed, and push it to every remote. */
import { Command } from 'commander';
import { publishMirror, pushRemotes } from '../publish/index.js';
import { remoteLine } from './progress.js';
import { configOption, EXIT, load, out, withState } from './shared.js';

export function publishCommand(): Command {
  return new Command('publish')
    .description('commit the mirror folder if it changed, and push it to every remote')
    .addOption(configOption())
    .action(async (o: { config: string }) => {
      const config = load(o.config);
      // The state says what each remote holds; the run lock keeps a sync from pushing at the same time.
      const remotes = await withState(config, async (store, signal) => {
        const c = await publishMirror(config, 'publish', new Date());
        out(c ? `commit ${c.sha.slice(0, 10)} ${c.message}` : 'nothing to commit');
        return pushRemotes(config, { store, signal });
      });
      for (const r of remotes) out(remoteLine(r));
      if (remotes.some((r) => r.status === 'failed')) process.exitCode = EXIT.partial;
    });
}
