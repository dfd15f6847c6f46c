#!/usr/bin/env node
/** The command line: the only place that prints for humans and chooses exit codes. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import { parseDocument, parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { auditMirror } from '../audit/index.js';
import { cleanArticle } from '../clean/index.js';
import { checkPaths } from '../config/check.js';
import { DEFAULTS } from '../config/defaults.js';
import { loadConfig } from '../config/load.js';
import { type MirrorConfig, type SiteRule, SiteRuleSchema } from '../config/schema.js';
import { starterConfig } from '../config/starter.js';
import { describeError, ErrorCodes, MirrorError } from '../errors.js';
import { extractArticle } from '../extract/index.js';
import { createFetcher, readLocalDocument } from '../fetch/index.js';
import { buildMirror, imageCacheDir, runSync } from '../pipeline.js';
import { publishMirror } from '../publish/index.js';
import { builtinRules, findRule } from '../sites/index.js';
import { Store } from '../store/database.js';
import { acquireLock } from '../store/lock.js';
import { rebuildState } from '../store/rebuild.js';
import type { RunReport } from '../types.js';
import { createReporter } from './progress.js';

/** Exit codes: stable, documented in the README. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  partial: 3,
  locked: 4,
  failed: 5,
} as const;

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

/** Root of the installed package (two levels above this file in src/ and in dist/). */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

function reporterMode(json: boolean | undefined, quiet: boolean | undefined): 'tty' | 'plain' | 'silent' {
  if (json || quiet) return 'silent';
  return process.stderr.isTTY && !process.env.CI ? 'tty' : 'plain';
}

function exitCodeFor(report: RunReport): number {
  if (report.sources.total > 0 && report.sources.failed === report.sources.total) return EXIT.failed;
  // An image that could not be mirrored shows as a placeholder and is retried: it is
  // reported, but it does not make the run a partial failure.
  return report.failures.some((f) => f.stage !== 'images') ? EXIT.partial : EXIT.ok;
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

function summary(report: RunReport, config: MirrorConfig): string[] {
  const s = report.sources;
  const lines = [
    `sources: ${s.ok} fetched, ${s.notModified} not modified, ${s.failed} failed (of ${s.total})`,
    `items: ${report.items.new} new, ${report.items.updated} updated, ${report.items.unchanged} unchanged, ${report.items.filtered} filtered`,
    `articles: ${report.articles.mirrored} mirrored, ${report.articles.failed} failed`,
    `images: ${report.images.downloaded} downloaded (${kb(report.images.bytes)}${
      report.articles.mirrored > 0 ? `, ${kb(report.images.bytes / report.articles.mirrored)} per new article` : ''
    }), ${report.images.reused} reused, ${report.images.failed} failed${report.images.deferred ? `, ${report.images.deferred} deferred to the next run` : ''}`,
    `pages: ${report.pages.written} written, ${report.pages.removed} removed, ${report.pages.unchanged} unchanged`,
    report.commit
      ? `commit: ${report.commit.sha.slice(0, 10)} ${report.commit.message}`
      : 'commit: none (nothing changed)',
    `mirror: ${config.output.dir}`,
  ];
  if (report.failures.length > 0) {
    const images = report.failures.filter((f) => f.stage === 'images').length;
    const what = images > 0 ? `, ${images} of them images shown as placeholders` : '';
    lines.push(`failures: ${report.failures.length}${what} (run \`newsmirror status\` for details)`);
  }
  return lines;
}

async function withState<T>(config: MirrorConfig, fn: (store: Store, signal: AbortSignal) => Promise<T>): Promise<T> {
  checkPaths(config);
  const lock = acquireLock(config.output.stateFile);
  let store: Store;
  try {
    store = Store.open(config.output.stateFile);
  } catch (e) {
    lock.release();
    throw e;
  }
  const release = () => {
    store.close();
    lock.release();
  };
  // SIGTERM/SIGINT: stop fetching, let the current writes finish, leave the lock free.
  // A second signal kills at once (the handler is `once`).
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
    release();
  }
}

async function syncCommand(
  config: MirrorConfig,
  opts: { publish: boolean; json?: boolean; quiet?: boolean },
): Promise<number> {
  const reporter = createReporter(reporterMode(opts.json, opts.quiet), err);
  const report = await withState(config, (store, signal) =>
    runSync(config, store, { publish: opts.publish, onEvent: (e) => reporter.onEvent(e), signal }),
  );
  reporter.done();
  if (opts.json) out(JSON.stringify(report, null, 2));
  else if (!opts.quiet) for (const l of summary(report, config)) out(l);
  return exitCodeFor(report);
}

function readRuleFile(file: string): SiteRule[] {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MirrorError(ErrorCodes.RuleInvalid, `cannot read the rule file ${file}`, {
      cause: e,
      hint: 'check the path and the YAML syntax',
    });
  }
  // One rule or a list of rules; parsed with the matching schema so that errors name the key.
  const result = (Array.isArray(data) ? z.array(SiteRuleSchema) : SiteRuleSchema).safeParse(data);
  if (!result.success) {
    throw new MirrorError(ErrorCodes.RuleInvalid, `${file}: not a valid site rule:\n${z.prettifyError(result.error)}`, {
      cause: result.error,
      hint: 'see docs/site-rules.md for the keys a rule can have',
    });
  }
  const rules = Array.isArray(result.data) ? result.data : [result.data];
  for (const r of rules) {
    const patterns: [string, string | undefined][] = [
      ['idPattern', r.idPattern],
      ['updatedMarker', r.updatedMarker],
      ['bylinePattern', r.bylinePattern],
      ...(r.dropLines ?? []).map((p, i): [string, string] => [`dropLines[${i}]`, p]),
    ];
    for (const [key, p] of patterns) {
      if (p === undefined) continue;
      try {
        new RegExp(p, 'u');
      } catch (e) {
        throw new MirrorError(
          ErrorCodes.RuleInvalid,
          `${file}: rule "${r.name}": ${key} is not a valid regular expression`,
          {
            cause: e,
            hint: 'rule patterns are JavaScript regular expressions (with the u flag); see docs/site-rules.md',
          },
        );
      }
    }
  }
  return rules;
}

async function extractCommand(
  target: string,
  opts: { url?: string; rule?: string; json?: boolean; config?: string },
): Promise<number> {
  const isUrl = /^https?:\/\//i.test(target);
  let config: MirrorConfig | undefined;
  if (opts.config && existsSync(opts.config)) config = loadConfig(opts.config, { env: process.env });
  const extraRules = opts.rule ? readRuleFile(opts.rule) : [];
  const rules = [...extraRules, ...(config?.rules ?? []), ...builtinRules];
  let doc: ReturnType<typeof readLocalDocument>;
  if (isUrl) {
    const fetcher = createFetcher(config?.fetch ?? { ...DEFAULTS.fetch });
    doc = await fetcher.fetchDocument(target);
  } else {
    doc = readLocalDocument(target, opts.url ?? pathToFileURL(path.resolve(target)).toString());
  }
  const url = opts.url ?? doc.finalUrl;
  const rule = extraRules[0] ?? findRule(url, rules);
  const extracted = extractArticle({ html: doc.text, url, rule });
  const now = new Date().toISOString();
  const article = cleanArticle(
    extracted,
    { id: 'extract', outlet: '', channel: '', firstSeen: now, updatedAt: now, version: 1 },
    { rule, images: 'hotlink' },
  );
  const text = article.html
    .replace(/<(p|div|h\d|li|figcaption|br|tr)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();
  const result = {
    url,
    charset: doc.charset,
    extractor: extracted.extractor,
    rule: extracted.rule ?? null,
    title: article.title,
    byline: article.byline ?? null,
    published: article.published ?? null,
    lang: article.lang ?? null,
    leadImage: article.leadImage ?? null,
    html: article.html,
    text,
  };
  if (opts.json) {
    out(JSON.stringify(result, null, 2));
  } else {
    out(`title:     ${result.title}`);
    out(`byline:    ${result.byline ?? '-'}`);
    out(`published: ${result.published ?? '-'}`);
    out(`extractor: ${result.extractor}${result.rule ? ` (rule ${result.rule})` : ''}`);
    out(`charset:   ${result.charset}`);
    out(
      `lead:      ${result.leadImage ? `${result.leadImage.src}${result.leadImage.caption ? ` — ${result.leadImage.caption}` : ''}` : '-'}`,
    );
    out('');
    out(text);
  }
  return EXIT.ok;
}

function statusCommand(config: MirrorConfig, opts: { json?: boolean }): number {
  if (!existsSync(config.output.stateFile)) {
    throw new MirrorError(ErrorCodes.StoreFailed, `no state yet at ${config.output.stateFile}`, {
      hint: 'run `newsmirror sync` first',
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
    const images = store.imageStats();
    const articleCount = store.articleCount();
    const result = {
      stateFile: config.output.stateFile,
      articles: articleCount,
      images: {
        ...images,
        bytesPerArticle: articleCount > 0 ? Math.round(images.bytes / articleCount) : 0,
        recentFailures: store.recentFailures('images', 10),
      },
      pending: pending.length,
      lastRun: last ? { startedAt: last.startedAt, finishedAt: last.finishedAt, report: last.report } : null,
      sources,
    };
    if (opts.json) {
      out(JSON.stringify(result, null, 2));
    } else {
      out(`state: ${result.stateFile}`);
      out(`articles: ${result.articles}, pending retry: ${result.pending}`);
      out(
        `images: ${images.stored} stored (${kb(images.bytes)}, ${kb(result.images.bytesPerArticle)} per article), ${images.failed} failed`,
      );
      for (const f of result.images.recentFailures.slice(0, 5)) out(`  image failed: ${f.url}: ${f.message}`);
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
      for (const p of pending.slice(0, 10)) out(`pending: ${p.item.url} (${p.attempts} attempts) ${p.lastError ?? ''}`);
    }
    return sources.some((s) => s.consecutiveFailures > 0) ? EXIT.partial : EXIT.ok;
  } finally {
    store.close();
  }
}

/** The hosts that serve the mirror itself: its public URL, asset base, beacon, and `site.hosts`. */
export function ownHosts(config: MirrorConfig): string[] {
  const hosts = [config.site.publicUrl, config.site.assetUrl, config.layout.beaconUrl?.replace('{path}', '')]
    .filter((u): u is string => Boolean(u))
    .map((u) => {
      try {
        return new URL(u).host;
      } catch {
        return '';
      }
    });
  return [...hosts, ...config.site.hosts].filter(Boolean);
}

function auditCommand(dir: string, hosts: string[], opts: { json?: boolean }): number {
  if (!existsSync(dir)) {
    throw new MirrorError(ErrorCodes.ConfigInvalid, `there is no mirror at ${dir}`, {
      hint: 'run `newsmirror sync` first, or check output.dir / --dir',
    });
  }
  const result = auditMirror(dir, hosts);
  if (opts.json) {
    out(JSON.stringify({ ownHosts: hosts, ...result }, null, 2));
  } else {
    for (const r of result.outside) out(`${r.file}: ${r.kind} ${r.url}`);
    const byHost = new Map<string, number>();
    for (const r of result.outside) byHost.set(r.host, (byHost.get(r.host) ?? 0) + 1);
    out(
      `${result.files} pages, ${result.resources} resources, ${result.outside.length} from outside hosts` +
        (byHost.size > 0 ? `: ${[...byHost].map(([h, n]) => `${h} (${n})`).join(', ')}` : ''),
    );
    if (result.outside.length > 0)
      out('set `images: mirror` to serve images from the mirror, or list your own hosts under site.hosts');
  }
  return result.outside.length > 0 ? EXIT.partial : EXIT.ok;
}

async function demoCommand(opts: { out?: string; json?: boolean; quiet?: boolean; publish: boolean }): Promise<number> {
  const { startDemoOrigin } = await import('../demo/origin.js');
  const root = packageRoot();
  const configFile = path.join(root, 'examples', 'demo', 'newsmirror.yaml');
  const outDir = path.resolve(opts.out ?? path.join(process.cwd(), 'mirror'));
  const stateFile = path.join(path.dirname(outDir), '.newsmirror', `${path.basename(outDir)}.db`);
  // The origin keeps its port across runs (URLs are article identities), and serves
  // its second edition from the second run on, so a re-run shows update detection.
  const demoFile = `${stateFile}.demo.json`;
  const previous = existsSync(demoFile)
    ? (JSON.parse(readFileSync(demoFile, 'utf8')) as { port: number; runs: number })
    : undefined;
  const edition = previous && previous.runs > 0 ? 2 : 1;
  let origin: Awaited<ReturnType<typeof startDemoOrigin>>;
  try {
    origin = await startDemoOrigin({ edition, port: previous?.port ?? 0 });
  } catch {
    origin = await startDemoOrigin({ edition, port: 0 });
  }
  try {
    const base = loadConfig(configFile, { env: { ...process.env, DEMO_ORIGIN: origin.url } });
    const config: MirrorConfig = { ...base, output: { dir: outDir, stateFile } };
    if (!opts.quiet && !opts.json) err(`demo origin (edition ${edition}) at ${origin.url}`);
    const code = await syncCommand(config, { publish: opts.publish, json: opts.json, quiet: opts.quiet });
    writeFileSync(
      demoFile,
      JSON.stringify({ port: Number(new URL(origin.url).port), runs: (previous?.runs ?? 0) + 1 }),
    );
    // The demo's config with this run's origin and paths filled in, so that `status`,
    // `build` and `audit` work on the demo mirror like on any other.
    const resolved = `${stateFile.replace(/\.db$/, '')}.yaml`;
    writeFileSync(resolved, resolvedDemoConfig(configFile, origin.url, config));
    if (!opts.quiet && !opts.json) {
      const rel = (p: string) => path.relative(process.cwd(), p) || '.';
      out('');
      out(`Open ${rel(path.join(outDir, 'README.md'))} (the home page), or push ${rel(outDir)} to a git host.`);
      if (edition === 1) out('Run it again: the origin then serves one updated article, and only that page changes.');
      out(`Explore: newsmirror status -c ${rel(resolved)}   |   newsmirror audit -c ${rel(resolved)}`);
    }
    return code;
  } finally {
    await origin.close();
  }
}

/** The demo config as YAML with the origin and paths of this run written in (comments kept). */
function resolvedDemoConfig(configFile: string, originUrl: string, config: MirrorConfig): string {
  const placeholder = ['$', '{DEMO_ORIGIN}'].join('');
  const doc = parseDocument(readFileSync(configFile, 'utf8').replaceAll(placeholder, originUrl));
  doc.setIn(['output', 'dir'], config.output.dir);
  doc.setIn(['output', 'stateFile'], config.output.stateFile);
  if (config.picks) doc.setIn(['picks', 'file'], config.picks.file);
  return `# Written by \`newsmirror demo\` from ${configFile}: the demo origin runs only during \`demo\`.\n${doc.toString()}`;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('newsmirror')
    .description('Keep a readable mirror of news sites on git hosts and static hosts')
    .version('0.1.0')
    .showHelpAfterError();
  const configOption = () => new Option('-c, --config <file>', 'config file').default('newsmirror.yaml');
  const load = (file: string) => loadConfig(file, { env: process.env });

  program
    .command('init')
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

  program
    .command('sync')
    .description('poll every source, mirror new and updated articles, render, commit')
    .addOption(configOption())
    .option('--no-publish', 'write the mirror but do not commit')
    .option('--json', 'print the run report as JSON on stdout')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (o: { config: string; publish: boolean; json?: boolean; quiet?: boolean }) => {
      process.exitCode = await syncCommand(load(o.config), o);
    });

  program
    .command('build')
    .description('re-render the whole mirror from the state, fetching nothing, and commit')
    .addOption(configOption())
    .option('--no-publish', 'write the mirror but do not commit')
    .option('--json', 'print the result as JSON')
    .action(async (o: { config: string; publish: boolean; json?: boolean }) => {
      const config = load(o.config);
      const r = await withState(config, (store) => buildMirror(config, store, { publish: o.publish }));
      const res = {
        written: r.written.written.length,
        removed: r.written.removed.length,
        unchanged: r.written.unchanged,
        commit: r.commit ?? null,
      };
      if (o.json) out(JSON.stringify(res, null, 2));
      else
        out(
          `pages: ${res.written} written, ${res.removed} removed, ${res.unchanged} unchanged; ${res.commit ? `commit ${res.commit.sha.slice(0, 10)}` : 'no commit'}`,
        );
    });

  program
    .command('rebuild-state')
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
        if (r.restored > 0) out('the next `newsmirror sync` fetches every feed once and mirrors only what is new');
      }
      process.exitCode = r.rejected.length > 0 ? EXIT.partial : EXIT.ok;
    });

  program
    .command('publish')
    .description('commit the mirror folder if it changed')
    .addOption(configOption())
    .action(async (o: { config: string }) => {
      const config = load(o.config);
      const c = await publishMirror(config, { new: 0, updated: 0, removed: 0 }, new Date());
      out(c ? `commit ${c.sha.slice(0, 10)} ${c.message}` : 'nothing to commit');
    });

  program
    .command('extract')
    .description('print what the site rule or the fallback extracts from a page (URL or saved file)')
    .argument('<target>', 'an http(s) URL or a saved HTML file')
    .option('--url <url>', 'the original URL of a saved file (for rules and relative links)')
    .option('--rule <file>', 'try a site rule from a YAML file')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .action(async (target: string, o: { url?: string; rule?: string; json?: boolean; config?: string }) => {
      process.exitCode = await extractCommand(target, o);
    });

  program
    .command('audit')
    .description('list every resource of every page that would load from a host other than the mirror’s own')
    .addOption(configOption())
    .option('--dir <mirror>', 'audit this mirror folder (without a config, only relative URLs count as own)')
    .option('--host <host...>', 'more hosts that serve the mirror')
    .option('--json', 'print JSON')
    .action((o: { config: string; dir?: string; host?: string[]; json?: boolean }) => {
      const extra = o.host ?? [];
      if (o.dir && !existsSync(o.config)) {
        process.exitCode = auditCommand(path.resolve(o.dir), extra, o);
      } else {
        const config = load(o.config);
        process.exitCode = auditCommand(
          o.dir ? path.resolve(o.dir) : config.output.dir,
          [...ownHosts(config), ...extra],
          o,
        );
      }
    });

  program
    .command('status')
    .description('per source: last success, counts, recent failures')
    .addOption(configOption())
    .option('--json', 'print JSON')
    .action((o: { config: string; json?: boolean }) => {
      process.exitCode = statusCommand(load(o.config), o);
    });

  program
    .command('demo')
    .description('run the whole pipeline offline against the bundled sample origin')
    .option('-o, --out <dir>', 'mirror folder', 'mirror')
    .option('--no-publish', 'do not commit')
    .option('--json', 'print the run report as JSON')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (o: { out: string; json?: boolean; quiet?: boolean; publish: boolean }) => {
      process.exitCode = await demoCommand(o);
    });
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
      switch (e.code) {
        case ErrorCodes.ConfigInvalid:
        case ErrorCodes.ConfigNotFound:
        case ErrorCodes.ConfigSyntax:
        case ErrorCodes.RuleInvalid:
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
