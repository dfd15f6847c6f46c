/** `newsmirror check`: a dry run of every channel's source; writes nothing. */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { ErrorCodes, MirrorError } from '../errors.js';
import { createFetcher } from '../fetch/index.js';
import { needsAttention, runCheck } from '../onboard/check.js';
import { sampleLines } from '../onboard/quality.js';
import { configOption, EXIT, load, out } from './shared.js';

interface CheckCliOptions {
  config: string;
  channel?: string;
  limit: string;
  json?: boolean;
  suggestRule?: string;
}

async function runCheckCommand(o: CheckCliOptions): Promise<number> {
  const config = load(o.config);
  const limit = Number.parseInt(o.limit, 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
    throw new MirrorError(ErrorCodes.UsageInvalid, `--limit ${o.limit}: not a number from 1 to 50`);
  }
  if (o.channel !== undefined && !config.outlets.some((ot) => ot.channels.some((c) => c.id === o.channel))) {
    throw new MirrorError(ErrorCodes.UsageInvalid, `there is no channel "${o.channel}" in the config`, {
      hint: `the channels are: ${config.outlets.flatMap((ot) => ot.channels.map((c) => c.id)).join(', ')}`,
    });
  }
  const report = await runCheck(config, { fetcher: createFetcher(config.fetch), channel: o.channel, limit });
  const attention = report.channels.filter(needsAttention);
  const exitCode = attention.length > 0 ? EXIT.partial : EXIT.ok;
  if (o.suggestRule !== undefined) {
    const rules = report.fallback.map((f) => f.rule);
    // Next to the rules an operator writes: a YAML list that `extract --rule` and `rules:` read.
    writeFileSync(o.suggestRule, rules.length > 0 ? stringify(rules) : '[]\n');
  }
  if (o.json) {
    out(JSON.stringify({ exitCode, ...report }, (k, v) => (k === 'page' ? undefined : v), 2));
    return exitCode;
  }
  for (const c of report.channels) {
    const listed = c.error
      ? `failed: ${c.error.code}: ${c.error.message}`
      : `${c.items} listed${c.filtered ? `, ${c.filtered} filtered out` : ''}`;
    out(`${c.outlet} / ${c.channel} (${c.kind} ${c.source}): ${listed} — ${c.verdict}`);
    for (const a of c.articles) for (const l of sampleLines(a)) out(l);
  }
  for (const f of report.fallback) {
    out(
      `${f.outlet}: no site rule, the fallback extractor reads it; confidence ${f.confidence} (the body found in the same place on ${f.agreeing} of ${f.pages} pages)`,
    );
  }
  if (o.suggestRule !== undefined) {
    out(
      report.fallback.length > 0
        ? `a starting rule for ${report.fallback.map((f) => f.outlet).join(', ')} is in ${o.suggestRule}: try it with \`newsmirror extract <url> --rule ${o.suggestRule}\`, then add it under rules:`
        : `every outlet has a site rule: ${o.suggestRule} holds no rule`,
    );
  }
  out('');
  out(
    attention.length === 0
      ? `all ${report.channels.length} channel(s) look fine; nothing was written (\`newsmirror sync\` mirrors them)`
      : `${attention.length} of ${report.channels.length} channel(s) need a look: ${attention.map((c) => `${c.channel} (${c.verdict})`).join(', ')}; nothing was written`,
  );
  return exitCode;
}

export function checkCommand(): Command {
  return new Command('check')
    .description(
      'dry run: read every source and a few of its newest articles, show what sync would mirror; writes nothing',
    )
    .addOption(configOption())
    .option('--channel <id>', 'only this channel')
    .option('--limit <n>', 'articles tried per channel', '3')
    .option('--json', 'print JSON')
    .option('--suggest-rule <file>', 'write a starting site rule for each outlet the fallback extractor reads (YAML)')
    .action(async (o: CheckCliOptions) => {
      process.exitCode = await runCheckCommand(o);
    });
}
