/** `newsmirror extract`: what a site rule or the fallback makes of one page, for writing rules. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { articleText, cleanArticle } from '../clean/index.js';
import { DEFAULTS } from '../config/defaults.js';
import { loadConfig, loadRules } from '../config/load.js';
import type { MirrorConfig } from '../config/schema.js';
import { DEFAULT_TIMEZONE, extractArticle, LOW_CONFIDENCE } from '../extract/index.js';
import { createFetcher, readLocalDocument } from '../fetch/index.js';
import { builtinRules, findRule } from '../sites/index.js';
import { configOption, EXIT, out } from './shared.js';

async function runExtract(
  target: string,
  opts: { url?: string; rule?: string; json?: boolean; config?: string },
): Promise<number> {
  const isUrl = /^https?:\/\//i.test(target);
  let config: MirrorConfig | undefined;
  if (opts.config && existsSync(opts.config)) config = loadConfig(opts.config, { env: process.env });
  const extraRules = opts.rule ? loadRules(opts.rule) : [];
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
  // Blocks apart, rows on their own lines, cells tab-separated: the same text search and feeds start from.
  const text = articleText(article.html);
  const result = {
    url,
    charset: doc.charset,
    extractor: extracted.extractor,
    rule: extracted.rule ?? null,
    // 1 for a rule; below LOW_CONFIDENCE the generic extractor may have missed the article.
    confidence: extracted.confidence ?? null,
    title: article.title,
    byline: article.byline ?? null,
    published: article.published ?? null,
    // 'day' when the page gave a date without a time (the time shown is then a placeholder).
    datePrecision: article.datePrecision ?? (article.published ? 'time' : 'none'),
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
    // A day without a time is that day in the page's time zone (stored as its midnight, in UTC).
    const day = (iso: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: rule?.timezone ?? DEFAULT_TIMEZONE }).format(new Date(iso));
    out(
      `published: ${result.published ? (result.datePrecision === 'day' ? `${day(result.published)} (day only)` : result.published) : '-'}`,
    );
    out(`extractor: ${result.extractor}${result.rule ? ` (rule ${result.rule})` : ''}`);
    if (result.confidence !== null)
      out(
        `confidence: ${result.confidence.toFixed(2)}${result.confidence < LOW_CONFIDENCE ? ' (low: this may not be the article; write a site rule, see docs/site-rules.md)' : ''}`,
      );
    out(`charset:   ${result.charset}`);
    out(
      `lead:      ${result.leadImage ? `${result.leadImage.src}${result.leadImage.caption ? ` — ${result.leadImage.caption}` : ''}` : '-'}`,
    );
    out('');
    out(text);
  }
  return EXIT.ok;
}

export function extractCommand(): Command {
  return new Command('extract')
    .description('print what the site rule or the fallback extracts from a page (URL or saved file)')
    .argument('<target>', 'an http(s) URL or a saved HTML file')
    .option('--url <url>', 'the original URL of a saved file (for rules and relative links)')
    .option('--rule <file>', 'try a site rule from a YAML file')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .action(async (target: string, o: { url?: string; rule?: string; json?: boolean; config?: string }) => {
      process.exitCode = await runExtract(target, o);
    });
}
