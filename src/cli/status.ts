/** `newsmirror status`: per source, the last success, counts and recent failures. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { MirrorConfig } from '../config/schema.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { remoteStatuses } from '../publish/index.js';
import { Store } from '../store/database.js';
import { configOption, EXIT, kb, load, out } from './shared.js';

async function runStatus(config: MirrorConfig, opts: { json?: boolean }): Promise<number> {
  if (!existsSync(config.output.stateFile)) {
    // A mirror without its state: a new machine, an expired CI cache, a deleted file.
    const mirrored = existsSync(path.join(config.output.dir, 'pages'));
    throw new MirrorError(ErrorCodes.StoreFailed, `no state yet at ${config.output.stateFile}`, {
      hint: mirrored
        ? `the mirror at ${config.output.dir} has pages: run \`newsmirror rebuild-state\` to read the state back from them, then \`newsmirror sync\``
        : 'run `newsmirror sync` first',
    });
  }
  const store = Store.open(config.output.stateFile);
  try {
    const statuses = new Map(store.sourceStatuses().map((s) => [s.source, s]));
    const counts = store.channelCounts();
    const sources = config.outlets.flatMap((o) =>
      o.channels.map((ch) => {
        const name = `${o.prefix}/${ch.id}`;
        const s = statuses.get(name);
        return {
          source: name,
          outlet: o.name,
          channel: ch.name,
          url: ch.feed ?? ch.listing?.url ?? ch.jsonListing?.url ?? '',
          lastAttempt: s?.lastAttempt ?? null,
          lastSuccess: s?.lastSuccess ?? null,
          lastItems: s?.lastItems ?? 0,
          articles: counts.get(ch.id) ?? 0,
          consecutiveFailures: s?.consecutiveFailures ?? 0,
          lastError: s?.lastError ?? null,
          recentFailures: store.recentFailures(name, 5),
        };
      }),
    );
    const last = store.lastRun();
    const pending = store.pendingItems();
    const givenUp = store.givenUpItems();
    const images = store.imageStats();
    const articleCount = store.articleCount();
    const lowConfidence = store.lowConfidenceCounts();
    // Per remote: what it holds, how far behind it is, its last success and last error.
    const remotes = await remoteStatuses(config, store);
    const result = {
      stateFile: config.output.stateFile,
      articles: articleCount,
      images: {
        ...images,
        bytesPerArticle: articleCount > 0 ? Math.round(images.bytes / articleCount) : 0,
        recentFailures: store.recentFailures('images', 10),
      },
      pending: pending.length,
      /** Articles no run fetches any more (too many failed attempts) until `sync --retry-failed`. */
      givenUp: givenUp.map((g) => ({
        url: g.item.url,
        title: g.item.title,
        channel: g.item.channel,
        attempts: g.attempts,
        lastError: g.lastError,
        firstSeen: g.firstSeen,
        givenUpAt: g.givenUpAt,
      })),
      /** Per outlet, stored articles whose extraction confidence is low: outlets that need a site rule. */
      lowConfidence,
      lastRun: last ? { startedAt: last.startedAt, finishedAt: last.finishedAt, report: last.report } : null,
      sources,
      remotes,
    };
    if (opts.json) {
      out(JSON.stringify(result, null, 2));
    } else {
      out(`state: ${result.stateFile}`);
      out(`articles: ${result.articles}, pending retry: ${result.pending}, given up: ${givenUp.length}`);
      out(
        `images: ${images.stored} stored (${kb(images.bytes)}, ${kb(result.images.bytesPerArticle)} per article), ${images.failed} failed`,
      );
      for (const f of result.images.recentFailures.slice(0, 5)) out(`  image failed: ${f.url}: ${f.message}`);
      for (const l of lowConfidence)
        out(
          `low confidence: ${l.articles} article${l.articles === 1 ? '' : 's'} of ${l.outlet} may not be the article (generic extractor); a site rule would fix it (\`newsmirror check --suggest-rule rules.yaml\`)`,
        );
      if (last?.report)
        out(
          `last run: ${last.startedAt} → ${last.finishedAt ?? 'unfinished'}; ${last.report.failures.length} failures`,
        );
      out('');
      for (const s of sources) {
        const state =
          s.consecutiveFailures > 0 ? `FAILING x${s.consecutiveFailures}` : s.lastSuccess ? 'ok' : 'never run';
        out(
          `${s.source.padEnd(16)} ${state.padEnd(12)} last ok ${s.lastSuccess ?? '-'}  articles ${s.articles}  last items ${s.lastItems}`,
        );
        if (s.lastError) out(`${''.padEnd(17)}last error: ${s.lastError}`);
        for (const f of s.recentFailures.slice(0, 3))
          out(`${''.padEnd(17)}${f.at} ${f.stage} ${f.code} ${f.url}: ${f.message}`);
      }
      for (const r of remotes) {
        const state =
          r.consecutiveFailures > 0 ? `FAILING x${r.consecutiveFailures}` : r.lastSuccess ? 'ok' : 'never pushed';
        out(
          `remote ${r.name} (${r.history}) ${state}: ${r.target} ${r.branch}, last ok ${r.lastSuccess ?? '-'}, ${r.behind} commit${r.behind === 1 ? '' : 's'} behind, holds about ${r.bytes === null ? '?' : kb(r.bytes)}`,
        );
        if (r.lastError) out(`${''.padEnd(7)}last error (${r.lastAttempt}): ${r.lastError}`);
      }
      for (const p of pending.slice(0, 10)) out(`pending: ${p.item.url} (${p.attempts} attempts) ${p.lastError ?? ''}`);
      for (const g of givenUp.slice(0, 20))
        out(`given up: ${g.item.url} (${g.attempts} attempts, last ${g.givenUpAt}) ${g.lastError ?? ''}`);
      if (givenUp.length > 20) out(`… and ${givenUp.length - 20} more given up (see --json)`);
      if (givenUp.length > 0) out('`newsmirror sync --retry-failed` tries the given-up articles again');
    }
    const failing =
      sources.some((s) => s.consecutiveFailures > 0) ||
      givenUp.length > 0 ||
      remotes.some((r) => r.consecutiveFailures > 0);
    return failing ? EXIT.partial : EXIT.ok;
  } finally {
    store.close();
  }
}

export function statusCommand(): Command {
  return new Command('status')
    .description('per source: last success, counts, recent failures')
    .addOption(configOption())
    .option('--json', 'print JSON')
    .action(async (o: { config: string; json?: boolean }) => {
      process.exitCode = await runStatus(load(o.config), o);
    });
}
