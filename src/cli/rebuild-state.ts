/** `newsmirror rebuild-state`: the state read back from the published pages, after it was lost. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ErrorCodes, MirrorError } from '../errors.js';
import { imageCacheDir } from '../pipeline.js';
import { rebuildState } from '../store/rebuild.js';
import { configOption, EXIT, load, out, withState } from './shared.js';

export function rebuildStateCommand(): Command {
  return new Command('rebuild-state')
    .description('rebuild the state database from the published mirror (after the database was lost)')
    .addOption(configOption())
    .option('--json', 'print the result as JSON')
    .action(async (o: { config: string; json?: boolean }) => {
      const config = load(o.config);
      const r = await withState(config, async (store) => {
        if (!existsSync(path.join(config.output.dir, 'pages'))) {
          throw new MirrorError(
            ErrorCodes.ConfigInvalid,
            `there is no mirror at ${config.output.dir} to rebuild from`,
            {
              hint: 'check output.dir, or clone the published mirror there first',
            },
          );
        }
        return rebuildState(config, store, { imageCacheDir: imageCacheDir(config) });
      });
      if (o.json) out(JSON.stringify(r, null, 2));
      else {
        out(
          `restored ${r.restored} articles from ${r.pages} pages (${r.kept} already in the state, ${r.rejected.length} not readable); ${r.assets} images back in the cache`,
        );
        for (const x of r.rejected) out(`  not restored: ${x.path}: ${x.reason}`);
        if (r.refetch > 0)
          out(`${r.refetch} of them show images that could not be mirrored: the next sync fetches them again to retry`);
        if (r.restored > 0) out('the next `newsmirror sync` fetches every feed once and mirrors only what is new');
      }
      process.exitCode = r.rejected.length > 0 ? EXIT.partial : EXIT.ok;
    });
}
