/** `newsmirror build`: render the whole mirror again from the state, fetching nothing. */
import { Command } from 'commander';
import { buildMirror } from '../pipeline.js';
import { type SearchIndexResult, type SiteStats, siteStats } from '../store/search-index.js';
import { remoteLine } from './progress.js';
import { configOption, EXIT, load, out, shardWords, withState } from './shared.js';

export function buildCommand(): Command {
  return new Command('build')
    .description('re-render the whole mirror from the state, fetching nothing, and commit')
    .addOption(configOption())
    .option('--no-publish', 'write the mirror but do not commit')
    .option('--json', 'print the result as JSON')
    .option('--force', 'remove article pages the state does not know (after a lost state; see rebuild-state)')
    .action(async (o: { config: string; publish: boolean; json?: boolean; force?: boolean }) => {
      const config = load(o.config, { publishing: o.publish });
      const r = await withState(config, (store) =>
        buildMirror(config, store, { publish: o.publish, allowRemovingUnknown: o.force ?? false }),
      );
      const res = {
        written: r.written.written.length,
        removed: r.written.removed.length,
        unchanged: r.written.unchanged,
        commit: r.commit ?? null,
        remotes: r.remotes ?? [],
        // The view counter could not be read: the last hot list was kept (not a failed build).
        hotFailure: r.hotFailure ?? null,
        site: config.html.enabled ? siteStats(config.output.dir) : null,
        search: r.search ?? null,
      };
      if (o.json) out(JSON.stringify(res, null, 2));
      else
        out(
          `pages: ${res.written} written, ${res.removed} removed, ${res.unchanged} unchanged; ${res.commit ? `commit ${res.commit.sha.slice(0, 10)}` : 'no commit'}`,
        );
      if (!o.json && res.site) for (const line of siteLines(res.site, res.search)) out(line);
      if (!o.json) for (const remote of res.remotes) out(remoteLine(remote));
      if (!o.json && res.hotFailure)
        out(`hot list: kept the last one; ${res.hotFailure.code}: ${res.hotFailure.message}`);
      // A remote that could not be pushed is retried by the next run, like a failed source.
      if (res.remotes.some((remote) => remote.status === 'failed')) process.exitCode = EXIT.partial;
    });
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** What the site weighs, its heaviest page, and the search index per 1,000 articles (issue 11). */
export function siteLines(site: SiteStats, search: Pick<SearchIndexResult, 'shards' | 'ms'> | null): string[] {
  const lines = [
    `site: ${mb(site.bytes)} in ${site.files} files (pages ${mb(site.htmlBytes)}, feeds ${mb(site.feedBytes)}, search index ${mb(site.searchBytes)}, images ${mb(site.imageBytes)})`,
  ];
  if (site.heaviest)
    lines.push(
      `heaviest page: ${site.heaviest.path} (${mb(site.heaviest.bytes)} with its images; ${mb(site.heaviest.htmlBytes)} of HTML)`,
    );
  const indexed = site.articlePages;
  if (site.searchBytes > 0 && indexed > 0)
    lines.push(
      `search index: ${mb(site.searchBytes)} for ${indexed} article pages, ${mb((site.searchBytes / indexed) * 1000)} per 1,000 articles${search ? `; ${shardWords(search.shards)} in ${(search.ms / 1000).toFixed(1)} s` : ' (unchanged, not rebuilt)'}`,
    );
  return lines;
}
