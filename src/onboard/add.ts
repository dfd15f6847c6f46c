/**
 * `newsmirror add`: from what discovery found and what the operator chose, the outlet to
 * append to the config (ids, names and prefix that the config does not use yet), and a few
 * sample articles of each chosen source to show how well they will be read.
 */
import type { ImagePolicy, SiteRule } from '../config/schema.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import type { Fetcher } from '../fetch/index.js';
import type { NewChannel, NewOutlet } from './config-edit.js';
import type { FoundSource } from './discover.js';
import { type ArticleSample, sampleArticle } from './quality.js';

/** What the config already uses, so that the new outlet's names do not clash. */
export interface Taken {
  channelIds: Set<string>;
  prefixes: Set<string>;
}

/** The sources a selection like `1,3` or `all` names (1-based, as listed). */
export function parseSelection(answer: string, count: number): number[] {
  const a = answer.trim().toLowerCase();
  if (a === '' || a === 'a' || a === 'all') return Array.from({ length: count }, (_, i) => i);
  const picked = new Set<number>();
  for (const part of a.split(/[\s,]+/).filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    const from = Number(range?.[1]);
    const to = Number(range?.[2] ?? range?.[1]);
    if (!range || from < 1 || to > count || from > to) {
      throw new MirrorError(ErrorCodes.UsageInvalid, `"${part}" is not one of the numbers listed (1-${count})`, {
        hint: 'name the sources by their numbers in the list, e.g. `--pick 1,3` or `--pick 2-4`',
      });
    }
    for (let i = from; i <= to; i++) picked.add(i - 1);
  }
  return [...picked].sort((x, y) => x - y);
}

export interface ChooseOptions {
  /** `--pick`: numbers as listed. */
  pick?: string | undefined;
  /** `--all`. */
  all?: boolean | undefined;
  /** Asks the operator (a terminal); undefined: nobody to ask. */
  ask?: ((question: string) => Promise<string>) | undefined;
}

/**
 * Which of the found sources to add (indexes into `sources`): `--pick`, else `--all` or nobody
 * to ask (every feed; a site with sitemaps only: its sitemaps), else the operator's answer
 * (Enter: every feed).
 */
export async function chooseSources(sources: readonly FoundSource[], o: ChooseOptions): Promise<number[]> {
  const feeds = sources.flatMap((s, i) => (s.kind === 'feed' ? [i] : []));
  const every = feeds.length > 0 ? feeds : sources.map((_, i) => i);
  if (o.pick !== undefined) return parseSelection(o.pick, sources.length);
  if (o.all || !o.ask) return every;
  const answer = await o.ask(
    `add which? numbers separated by commas (e.g. 1,3), or Enter for every ${feeds.length > 0 ? 'feed' : 'sitemap'}: `,
  );
  return answer.trim() === '' ? every : parseSelection(answer, sources.length);
}

/** `s` without the dashes at its ends (a scan: /-+$/ is quadratic on a long run of dashes). */
function trimDashes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === '-') start++;
  while (end > start && s[end - 1] === '-') end--;
  return s.slice(start, end);
}

const slug = (s: string) =>
  trimDashes(s.normalize('NFKD').replace(/[^A-Za-z0-9_-]+/g, '-'))
    .toLowerCase()
    .slice(0, 40);

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d|picks)$/i;

function uniqueId(base: string, taken: Set<string>): string {
  const root = RESERVED.test(base) || base === '' ? `${base || 'channel'}-1` : base;
  let id = root;
  for (let n = 2; taken.has(id); n++) id = `${root}-${n}`;
  taken.add(id);
  return id;
}

/** A channel id from the source's address: its last path segment (`/feeds/world.xml` → `world`). */
export function channelIdFor(source: FoundSource, host: string): string {
  const parts = new URL(source.url).pathname.split('/').filter(Boolean);
  const lastUseful = [...parts]
    .reverse()
    .map((p) => p.replace(/\.(xml|rss|atom|json|rdf|gz)$/gi, ''))
    .find((p) => !/^(feeds?|rss|atom|index|sitemap|sitemap_index|xml)$/i.test(p));
  const base =
    slug(lastUseful ?? '') || slug(source.title ?? '') || slug(host.split('.').find((p) => p !== 'www') ?? '');
  return source.kind === 'sitemap' && !/sitemap/.test(base) ? `${base || 'site'}-sitemap` : base;
}

// Separators between a site's name and a feed's: scanned, not matched with \s* runs, which are
// quadratic on a long run of spaces.
const LEADING_SEPS = '-–—|:：·•»';
const TRAILING_SEPS = '-–—|:：·•«';
/** `s` after a separator that opens it (spaces around it dropped), else undefined. */
function afterLeadingSep(s: string): string | undefined {
  const t = s.trimStart();
  return t !== '' && LEADING_SEPS.includes(t[0] as string) ? t.slice(1).trimStart() : undefined;
}
/** `s` before a separator that closes it (spaces around it dropped), else undefined. */
function beforeTrailingSep(s: string): string | undefined {
  const t = s.trimEnd();
  return t !== '' && TRAILING_SEPS.includes(t.at(-1) as string) ? t.slice(0, -1).trimEnd() : undefined;
}

/** A feed title without the site's name before or after it (`Courier - City` → `City`). */
export function withoutSiteName(title: string, site: string): string {
  const t = title.trim();
  const rest = site && t.startsWith(site) ? t.slice(site.length) : undefined;
  if (rest !== undefined && (afterLeadingSep(rest) !== undefined || beforeTrailingSep(rest) !== undefined)) {
    const after = afterLeadingSep(rest) ?? rest;
    if (after) return after;
  }
  if (site && t.endsWith(site)) {
    const head = t.slice(0, t.length - site.length);
    const before = beforeTrailingSep(head);
    if (before) return before;
  }
  return t;
}

/** A channel name (it becomes an index file name): the source's title without the characters a file name cannot hold. */
function channelName(source: FoundSource, id: string, used: Set<string>, outlet: string): string {
  const raw = withoutSiteName(source.title ?? '', outlet)
    .replace(/[/\\:*?"<>|\u0000-\u001f]+/g, ' ')
    .replace(/^\.+/, '');
  const base = raw.replace(/\s+/g, ' ').trim().slice(0, 56) || id;
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base} ${n}`;
  used.add(name);
  return name;
}

/** One to three letters no other outlet uses: the outlet's initial(s), else the host's. */
export function prefixFor(name: string, host: string, taken: Set<string>): string {
  const letters =
    `${name.replace(/[^A-Za-z]/g, '')}${host.replace(/^www\./, '').replace(/[^A-Za-z]/g, '')}`.toUpperCase();
  for (let len = 1; len <= 3; len++) {
    for (let i = 0; i + len <= letters.length; i++) {
      const p = letters.slice(i, i + len);
      if (!taken.has(p)) return p;
    }
  }
  for (let c = 65; c < 91; c++) if (!taken.has(String.fromCharCode(c))) return String.fromCharCode(c);
  for (let c = 65; c < 91; c++) {
    for (let d = 65; d < 91; d++) {
      const p = String.fromCharCode(c, d);
      if (!taken.has(p)) return p;
    }
  }
  return 'ZZZ';
}

/** A time zone from the page's language, for dates that carry no offset. */
export function timezoneFor(lang: string | undefined): string | undefined {
  const l = (lang ?? '').toLowerCase();
  if (/^zh-(tw|hant)/.test(l)) return 'Asia/Taipei';
  if (/^zh-(hk|mo)/.test(l)) return 'Asia/Hong_Kong';
  if (/^zh/.test(l)) return 'Asia/Shanghai';
  return undefined;
}

export interface OutletPlan {
  name: string;
  host: string;
  /** Explicit channel ids, in the order of the chosen sources. */
  ids?: string[] | undefined;
  prefix?: string | undefined;
  timezone?: string | undefined;
}

/** The outlet entry for the chosen sources. */
export function buildOutlet(chosen: FoundSource[], plan: OutletPlan, taken: Taken): NewOutlet {
  const ids = new Set(taken.channelIds);
  const names = new Set<string>();
  const channels: NewChannel[] = chosen.map((s, i) => {
    const wanted = plan.ids?.[i];
    if (wanted !== undefined && ids.has(wanted)) {
      throw new MirrorError(ErrorCodes.UsageInvalid, `channel id "${wanted}" is already used in the config`, {
        hint: 'choose another id with --channel, or leave it out to have one made from the feed’s address',
      });
    }
    const id = wanted ?? uniqueId(channelIdFor(s, plan.host), ids);
    ids.add(id);
    const name = channelName(s, id, names, plan.name);
    return s.kind === 'feed' ? { id, name, feed: s.url } : { id, name, sitemap: s.url };
  });
  return {
    name: plan.name,
    prefix: plan.prefix ?? prefixFor(plan.name, plan.host, taken.prefixes),
    ...(plan.timezone ? { timezone: plan.timezone } : {}),
    channels,
  };
}

export interface SampleSettings {
  fetcher: Fetcher;
  rules: readonly SiteRule[];
  timezone: string;
  images: ImagePolicy;
  /** Articles tried per source. */
  count: number;
  signal?: AbortSignal | undefined;
}

/** A few of the source's newest articles, read as `sync` would read them. */
export async function sampleSource(source: FoundSource, s: SampleSettings): Promise<ArticleSample[]> {
  const out: ArticleSample[] = [];
  for (const item of source.entries.slice(0, s.count)) {
    out.push(
      await sampleArticle(s.fetcher, item, {
        rules: s.rules,
        timezone: s.timezone,
        images: s.images,
        signal: s.signal,
      }),
    );
  }
  return out;
}
