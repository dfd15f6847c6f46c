/**
 * `newsmirror check`: a dry run of the sources. Each channel's source is read (with no
 * validators, so every source answers in full), its few newest entries that the title
 * filters let through are fetched, extracted and cleaned as `sync` would, and the outcome
 * is reported. Nothing is written: no state (it is not even opened), no mirror, no image
 * cache.
 */
import { compileUserPattern } from '../config/patterns.js';
import type { MirrorConfig, SiteRule } from '../config/schema.js';
import { describeError, errorCode } from '../errors.js';
import type { Fetcher } from '../fetch/index.js';
import { builtinRules } from '../sites/index.js';
import { channelSourceUrl, fetchChannel } from '../sources/index.js';
import { type ArticleSample, sampleArticle } from './quality.js';
import { type RuleSuggestion, suggestRule } from './suggest.js';

export interface ChannelCheck {
  outlet: string;
  channel: string;
  kind: 'feed' | 'sitemap' | 'listing' | 'jsonListing';
  source: string;
  /** Entries the source lists now (before the title filters). */
  items: number;
  /** Entries the title filters leave out. */
  filtered: number;
  /** ok: articles read without warnings; warnings: every sample warned; empty: nothing to mirror; failed: the source could not be read. */
  verdict: 'ok' | 'warnings' | 'empty' | 'failed';
  error?: { code: string; message: string } | undefined;
  articles: ArticleSample[];
}

/** How the fallback extractor reads an outlet no site rule knows (suggest.ts). */
export interface FallbackCheck {
  outlet: string;
  confidence: RuleSuggestion['confidence'];
  /** Sample pages on which the suggested body selector finds the fallback's text, of `pages`. */
  agreeing: number;
  pages: number;
  /** A starting rule (written by `check --suggest-rule`). */
  rule: SiteRule;
}

export interface CheckReport {
  channels: ChannelCheck[];
  /** Outlets read by the fallback extractor, with its confidence. */
  fallback: FallbackCheck[];
}

export interface CheckOptions {
  fetcher: Fetcher;
  /** Only this channel id. */
  channel?: string | undefined;
  /** Articles tried per channel. */
  limit: number;
  signal?: AbortSignal | undefined;
}

const kindOf = (ch: MirrorConfig['outlets'][number]['channels'][number]): ChannelCheck['kind'] =>
  ch.feed ? 'feed' : ch.sitemap ? 'sitemap' : ch.listing ? 'listing' : 'jsonListing';

export async function runCheck(config: MirrorConfig, o: CheckOptions): Promise<CheckReport> {
  const rules = [...config.rules, ...builtinRules];
  const titleExclude = config.filters.titleExclude.map((p) => compileUserPattern(p));
  const targets = config.outlets.flatMap((outlet) =>
    outlet.channels
      .filter((c) => o.channel === undefined || c.id === o.channel)
      .map((channel) => ({ outlet, channel })),
  );
  const channels = await Promise.all(
    targets.map(async ({ outlet, channel }): Promise<ChannelCheck> => {
      const base = {
        outlet: outlet.name,
        channel: channel.id,
        kind: kindOf(channel),
        source: channelSourceUrl(channel),
      };
      let items: Awaited<ReturnType<typeof fetchChannel>>['items'];
      try {
        ({ items } = await fetchChannel(channel, outlet.timezone, {
          fetch: (u) => o.fetcher.fetchDocument(u, { gunzip: true, signal: o.signal }),
          validators: () => undefined,
        }));
      } catch (err) {
        if (o.signal?.aborted) throw err;
        const error = { code: errorCode(err), message: describeError(err) };
        return { ...base, items: 0, filtered: 0, verdict: 'failed', error, articles: [] };
      }
      const kept = items.filter((i) => !titleExclude.some((re) => re.test(i.title)));
      const articles: ArticleSample[] = [];
      for (const item of kept.slice(0, o.limit)) {
        articles.push(
          await sampleArticle(o.fetcher, item, {
            rules,
            ruleName: outlet.rule,
            timezone: outlet.timezone,
            images: outlet.images ?? config.images.policy,
            signal: o.signal,
          }),
        );
      }
      const verdict: ChannelCheck['verdict'] =
        kept.length === 0 || articles.every((a) => !a.ok)
          ? 'empty'
          : articles.some((a) => a.ok && a.warnings.length === 0)
            ? 'ok'
            : 'warnings';
      return { ...base, items: items.length, filtered: items.length - kept.length, verdict, articles };
    }),
  );
  const fallback: FallbackCheck[] = [];
  for (const outlet of config.outlets) {
    const pages = channels
      .filter((c) => c.outlet === outlet.name)
      .flatMap((c) => c.articles)
      .filter((a) => a.ok && a.rule === undefined && a.page)
      .map((a) => ({
        url: a.url,
        html: a.page?.html ?? '',
        text: a.page?.text ?? '',
        title: a.title,
        byline: a.byline,
      }));
    const suggestion = pages.length > 0 ? suggestRule(pages) : undefined;
    if (suggestion) {
      const { confidence, agreeing } = suggestion;
      // Outlets on one host (a test origin) get rules of their own names.
      let name = suggestion.rule.name;
      for (let n = 2; fallback.some((f) => f.rule.name === name); n++) name = `${suggestion.rule.name}-${n}`;
      const rule = { ...suggestion.rule, name };
      fallback.push({ outlet: outlet.name, confidence, agreeing, pages: suggestion.pages, rule });
    }
  }
  return { channels, fallback };
}

/** A channel that would mirror nothing, or only articles with warnings (exit 3). */
export const needsAttention = (c: ChannelCheck) => c.verdict !== 'ok';
