/** `newsmirror add <address>`: find an outlet's feeds and sitemaps, try a few articles, append it to the config. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { DEFAULTS } from '../config/defaults.js';
import { parseConfig } from '../config/load.js';
import type { MirrorConfig } from '../config/schema.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { createFetcher } from '../fetch/index.js';
import { buildOutlet, chooseSources, sampleSource, timezoneFor } from '../onboard/add.js';
import { appendOutlet } from '../onboard/config-edit.js';
import { discoverSources, type FoundSource, nothingFound } from '../onboard/discover.js';
import type { ArticleSample } from '../onboard/quality.js';
import { sampleLines } from '../onboard/quality.js';
import { builtinRules } from '../sites/index.js';
import { channelSourceUrl } from '../sources/index.js';
import { configFile, configOption, EXIT, out } from './shared.js';

interface AddOptions {
  config: string;
  pick?: string;
  all?: boolean;
  channel?: string[];
  outlet?: string;
  prefix?: string;
  timezone?: string;
  samples: string;
  dryRun?: boolean;
  json?: boolean;
}

function describe(s: FoundSource, n: number): string {
  const what = s.kind === 'feed' ? 'feed' : s.news ? 'news sitemap' : 'sitemap';
  return `${String(n).padStart(3)}. ${what}: ${s.title ? `${s.title} — ` : ''}${s.url} (${s.items} item${s.items === 1 ? '' : 's'}; ${s.via})`;
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

async function runAdd(address: string, o: AddOptions): Promise<number> {
  const file = configFile(o.config);
  if (!existsSync(file)) {
    throw new MirrorError(ErrorCodes.ConfigNotFound, `there is no config file ${file}`, {
      hint: 'run `newsmirror init` first (or pass -c <file>)',
    });
  }
  const text = readFileSync(file, 'utf8');
  const config: MirrorConfig = parseConfig(text, { file, env: process.env });
  const samples = Number.parseInt(o.samples, 10);
  if (!Number.isInteger(samples) || samples < 0 || samples > 20) {
    throw new MirrorError(ErrorCodes.UsageInvalid, `--samples ${o.samples}: not a number from 0 to 20`);
  }
  const fetcher = createFetcher(config.fetch ?? DEFAULTS.fetch);
  const timezoneGuess = o.timezone ?? 'UTC';
  const found = await discoverSources(address, fetcher, { timezone: timezoneGuess });
  const log = o.json ? () => {} : out;
  log(`${found.finalUrl}${found.siteTitle ? ` — ${found.siteTitle}` : ''}`);
  found.sources.forEach((s, i) => {
    log(describe(s, i + 1));
  });
  for (const b of found.broken) log(`     not offered: ${b.url} (${b.via}): ${b.reason}`);
  if (found.sources.length === 0) throw nothingFound(found);

  const interactive = process.stdin.isTTY && !o.json;
  const chosenIdx = await chooseSources(found.sources, {
    pick: o.pick,
    all: o.all,
    ask: interactive ? ask : undefined,
  });
  // A source the config already reads is not added twice.
  const configured = new Map(
    config.outlets.flatMap((ot) => ot.channels.map((c) => [channelSourceUrl(c), `${ot.name} / ${c.id}`] as const)),
  );
  const picked = chosenIdx.map((i) => found.sources[i]).filter((s): s is FoundSource => s !== undefined);
  for (const s of picked) {
    const where = configured.get(s.url);
    if (where) log(`already in the config as ${where}: ${s.url}`);
  }
  const chosen = picked.filter((s) => !configured.has(s.url));
  if (chosen.length === 0) {
    throw new MirrorError(ErrorCodes.UsageInvalid, 'nothing new to add: the config is unchanged', {
      hint: picked.length > 0 ? 'every source chosen is already in the config' : 'choose at least one source',
    });
  }
  if (o.channel && o.channel.length !== chosen.length) {
    throw new MirrorError(
      ErrorCodes.UsageInvalid,
      `${o.channel.length} --channel id(s) for ${chosen.length} chosen source(s)`,
      { hint: 'give one --channel id per chosen source, in the order they are listed, or none' },
    );
  }

  const host = new URL(found.finalUrl).hostname;
  const timezone = o.timezone ?? timezoneFor(found.lang);
  const outlet = buildOutlet(
    chosen,
    { name: o.outlet ?? found.siteTitle ?? host, host, ids: o.channel, prefix: o.prefix, timezone },
    {
      channelIds: new Set(config.outlets.flatMap((ot) => ot.channels.map((c) => c.id))),
      prefixes: new Set(config.outlets.map((ot) => ot.prefix.toUpperCase())),
    },
  );
  const existing = config.outlets.find((ot) => ot.name === outlet.name);
  if (existing) outlet.prefix = existing.prefix;

  const rules = [...config.rules, ...builtinRules];
  const tried: { source: string; articles: ArticleSample[] }[] = [];
  for (const s of chosen) {
    const articles = await sampleSource(s, {
      fetcher,
      rules,
      timezone: timezone ?? 'Asia/Shanghai',
      images: config.images.policy,
      count: samples,
    });
    tried.push({ source: s.url, articles });
    if (articles.length > 0) log(`\n${s.url}:`);
    for (const a of articles) for (const l of sampleLines(a)) log(l);
  }

  const edited = appendOutlet(text, outlet, `added by newsmirror add ${address}`, file);
  // The edited file must still be a valid config before it replaces the old one.
  parseConfig(edited.text, { file, env: process.env });
  if (!o.dryRun) writeFileSync(file, edited.text);
  if (o.json) {
    out(JSON.stringify({ found, outlet, samples: tried, written: !o.dryRun, file }, jsonReplacer, 2));
  } else {
    log('');
    if (edited.replacedStarter) log('the starter’s example outlet (example.com) was taken out of the config');
    log(
      `${o.dryRun ? 'would add' : 'added'} ${existing ? `${outlet.channels.length} channel(s) to` : 'outlet'} "${outlet.name}" (${outlet.channels.map((c) => c.id).join(', ')}) ${o.dryRun ? 'to' : 'in'} ${file}`,
    );
    log('next: `newsmirror check` tries every channel without writing anything; then `newsmirror sync`');
  }
  return EXIT.ok;
}

/** Entries are in the found sources only for sampling: the JSON shows their count. */
function jsonReplacer(key: string, value: unknown): unknown {
  return key === 'entries' ? undefined : value;
}

export function addCommand(): Command {
  return new Command('add')
    .description("find a site's feeds and sitemaps, try a few articles, and add the outlet to the config")
    .argument('<address>', 'the outlet’s home page, or one of its feeds or sitemaps (http or https)')
    .addOption(configOption())
    .option('--pick <numbers>', 'the sources to add, by their numbers in the list (e.g. 1,3 or 2-4)')
    .option('--all', 'add every feed found (the default when there is no terminal to ask on)')
    .option('--channel <id...>', 'channel ids for the chosen sources, in order (default: from their addresses)')
    .option('--outlet <name>', 'the outlet’s name (default: the site’s name); an existing outlet gets the channels')
    .option('--prefix <letters>', 'one to three letters before its channel names in index file names')
    .option('--timezone <zone>', 'IANA zone for dates without an offset (default: from the page’s language)')
    .option('--samples <n>', 'articles tried per chosen source', '2')
    .option('--dry-run', 'show what would be added without changing the config')
    .option('--json', 'print JSON')
    .action(async (address: string, o: AddOptions) => {
      process.exitCode = await runAdd(address, o);
    });
}
