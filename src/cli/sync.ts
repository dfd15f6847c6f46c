/** `newsmirror sync`: one run of the whole pipeline. */
import { Command } from 'commander';
import type { MirrorConfig } from '../config/schema.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { runSync } from '../pipeline.js';
import type { RunReport } from '../types.js';
import { createReporter, remoteLine } from './progress.js';
import { parseSchedule, type RunOutcome, runSchedule } from './schedule.js';
import {
  configOption,
  EXIT,
  err,
  exitCodeForError,
  kb,
  load,
  out,
  reporterMode,
  shardWords,
  withState,
} from './shared.js';

export function exitCodeFor(report: RunReport): number {
  if (report.sources.total > 0 && report.sources.failed === report.sources.total) return EXIT.failed;
  // An image that could not be mirrored shows as a placeholder and is retried; a view counter
  // that could not be read leaves the last hot list in place: both are reported, but neither
  // makes the run a partial failure.
  return report.failures.some((f) => f.stage !== 'images' && f.stage !== 'counter') ? EXIT.partial : EXIT.ok;
}

export function summary(report: RunReport, config: MirrorConfig): string[] {
  const s = report.sources;
  const lines = [
    `sources: ${s.ok} fetched, ${s.notModified} not modified, ${s.failed} failed (of ${s.total})`,
    `items: ${report.items.new} new, ${report.items.updated} updated, ${report.items.unchanged} unchanged, ${report.items.filtered} filtered${report.items.leftOut ? `, ${report.items.leftOut} left out` : ''}`,
    ...(report.leftOut ?? []).map(
      (l) => `left out: ${l.count} item${l.count === 1 ? '' : 's'} of ${l.source}: ${l.reason}`,
    ),
    `articles: ${report.articles.mirrored} mirrored, ${report.articles.failed} failed${givenUp(report)}`,
    ...lowConfidenceLines(report),
    `images: ${report.images.downloaded} downloaded (${kb(report.images.bytes)}${
      report.articles.mirrored > 0 ? `, ${kb(report.images.bytes / report.articles.mirrored)} per new article` : ''
    }), ${report.images.reused} reused, ${report.images.failed} failed${report.images.deferred ? `, ${report.images.deferred} deferred to the next run` : ''}`,
    `pages: ${report.pages.written} written, ${report.pages.removed} removed, ${report.pages.unchanged} unchanged`,
    // The index is built again for the channels whose pages changed; a run that changed none leaves it alone.
    ...(report.search
      ? [
          `search index: ${shardWords(report.search.shards)} (${report.search.pages} article pages), ${kb(report.search.bytes)} in all, in ${(report.search.ms / 1000).toFixed(1)} s`,
        ]
      : []),
    report.commit
      ? `commit: ${report.commit.sha.slice(0, 10)} ${report.commit.message}`
      : 'commit: none (nothing changed)',
    ...(report.remotes ?? []).map(remoteLine),
    `mirror: ${config.output.dir}`,
  ];
  if (report.failures.length > 0) {
    const images = report.failures.filter((f) => f.stage === 'images').length;
    const what = images > 0 ? `, ${images} of them images shown as placeholders` : '';
    lines.push(`failures: ${report.failures.length}${what} (run \`newsmirror status\` for details)`);
  }
  const hot = report.failures.find((f) => f.stage === 'counter');
  if (hot) lines.push(`hot list: kept the last one; ${hot.code}: ${hot.message}`);
  return lines;
}

/** One line per outlet whose articles the generic extractor was unsure of (extract/confidence.ts). */
export function lowConfidenceLines(report: RunReport): string[] {
  const byOutlet = new Map<string, number>();
  for (const a of report.lowConfidence ?? []) byOutlet.set(a.outlet, (byOutlet.get(a.outlet) ?? 0) + 1);
  return [...byOutlet].map(
    ([outlet, n]) =>
      `low confidence: ${n} article${n === 1 ? '' : 's'} of ${outlet} read by the generic extractor may not be the article; a site rule would fix it (\`newsmirror check --suggest-rule rules.yaml\` drafts one)`,
  );
}

/** `, 1 given up (…)`: no run tries a given-up article again until asked to. */
function givenUp(report: RunReport): string {
  const { givenUp: now, givenUpTotal: all } = report.articles;
  const retry = '`newsmirror sync --retry-failed` tries them again';
  if (all === 0) return '';
  if (now === 0) return `; ${all} given up by earlier runs (${retry})`;
  return now === all ? `, ${now} given up (${retry})` : `, ${now} given up (${all} in all; ${retry})`;
}

export interface SyncOptions {
  publish: boolean;
  json?: boolean;
  quiet?: boolean;
  /** Fetch the given-up articles again. */
  retryFailed?: boolean;
  /** Remove article pages the state does not know (after a lost state, instead of `rebuild-state`). */
  force?: boolean;
}

/** One sync of `config`, reported as the options ask; returns the exit code. */
export async function runSyncCommand(config: MirrorConfig, opts: SyncOptions): Promise<number> {
  const reporter = createReporter(reporterMode(opts.json, opts.quiet), err);
  const report = await withState(config, (store, signal) =>
    runSync(config, store, {
      publish: opts.publish,
      retryFailed: opts.retryFailed ?? false,
      allowRemovingUnknown: opts.force ?? false,
      onEvent: (e) => reporter.onEvent(e),
      signal,
    }),
  );
  reporter.done();
  if (opts.json) out(JSON.stringify(report, null, 2));
  else if (!opts.quiet) for (const l of summary(report, config)) out(l);
  return exitCodeFor(report);
}

/** One scheduled run: no progress output (the schedule logs a line), errors kept for the log. */
async function scheduledRun(config: MirrorConfig, opts: SyncOptions): Promise<RunOutcome> {
  try {
    const report = await withState(config, (store, signal) =>
      runSync(config, store, {
        publish: opts.publish,
        retryFailed: opts.retryFailed ?? false,
        allowRemovingUnknown: opts.force ?? false,
        signal,
      }),
    );
    return { code: exitCodeFor(report), report };
  } catch (e) {
    return { code: e instanceof MirrorError ? exitCodeForError(e) : EXIT.internal, error: e };
  }
}

export function syncCommand(): Command {
  return new Command('sync')
    .description('poll every source, mirror new and updated articles, render, commit')
    .addOption(configOption())
    .option('--no-publish', 'write the mirror but do not commit')
    .option('--json', 'print the run report as JSON on stdout')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--retry-failed', 'also fetch the articles given up after too many failed attempts (see status)')
    .option('--force', 'remove article pages the state does not know (after a lost state; see rebuild-state)')
    .option('--every <duration>', 'sync again and again, this far apart (90s, 15m, 1h, 1h30m), until stopped')
    .option('--jitter <duration>', 'with --every: delay each run by a random part of this (e.g. 5m)')
    .action(async (o: SyncOptions & { config: string; every?: string; jitter?: string }) => {
      if (o.every === undefined && o.jitter !== undefined) {
        throw new MirrorError(ErrorCodes.UsageInvalid, '--jitter needs --every', {
          hint: 'e.g. --every 1h --jitter 5m',
        });
      }
      const schedule = o.every === undefined ? undefined : parseSchedule(o.every, o.jitter);
      const config = load(o.config, { publishing: o.publish });
      // With --every, --retry-failed and --force apply to the first run: they repair the state once.
      let first = true;
      const next = () => {
        const run = scheduledRun(config, first ? o : { ...o, retryFailed: false, force: false });
        first = false;
        return run;
      };
      process.exitCode = schedule
        ? await runSchedule({ ...schedule, json: o.json, quiet: o.quiet }, next)
        : await runSyncCommand(config, o);
    });
}
