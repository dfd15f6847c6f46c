/**
 * corpus/feeds: 156 feeds from four parser test suites, through decodeBody → parseFeed, compared
 * with what each suite expects where it says (item count, titles, links, dates, a few contents).
 *
 * parseFeed drops items without a usable http(s) link (there is nothing to mirror), so a
 * suite's expectation about such an item is "not applicable" rather than a disagreement;
 * the count of those is reported.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MirrorError } from '../../src/errors.js';
import { loadFragment } from '../../src/extract/dom.js';
import { decodeBody, normaliseCharset } from '../../src/fetch/charset.js';
import { type ParsedFeed, parseFeed } from '../../src/sources/feed.js';
import { htmlToText } from '../../src/sources/text.js';
import { type CaseRow, describe, mean, round, type SuiteResult } from './report.js';

export interface FeedsSummary {
  /** Input documents (feeds, and the few non-feeds the suites feed their parsers). */
  files: number;
  /** Anything thrown other than MirrorError('FeedParse'). */
  crashes: number;
  parsed: number;
  rejected: number;
  /** Files for which a suite states an expectation we can check. */
  withExpected: number;
  /** Mean over those files of the fraction of their checks that agree. */
  agreement: number;
  checks: number;
  checksAgreed: number;
  /** Expectations about items without a link, which parseFeed skips by design. */
  notApplicable: number;
}

/** `description`: the item's HTML as node-feedparser means it, content:encoded else description. */
type Field = 'url' | 'title' | 'published' | 'summary' | 'content' | 'description';

interface ItemExpectation {
  url?: string | null | undefined;
  title?: string | null | undefined;
  published?: string | null | undefined;
}

interface Expectation {
  mustFail?: boolean | undefined;
  title?: string | undefined;
  /** Every item the suite saw, in order, linked or not. */
  items?: ItemExpectation[] | undefined;
  /** How many items (all linked) when `items` is not given. */
  itemCount?: number | undefined;
  /** Single-field checks; `index` counts every entry of the document. */
  fields?: { index: number; field: Field; value: string }[] | undefined;
  charset?: string | undefined;
}

interface Input {
  /** Path relative to corpus/feeds. */
  rel: string;
  url: string;
  contentType?: string | undefined;
  expected?: Expectation | undefined;
}

interface Check {
  what: string;
  ok: boolean | 'n/a';
  detail?: string;
}

export function runFeeds(corpus: string): SuiteResult<FeedsSummary> {
  const root = path.join(corpus, 'feeds');
  const inputs = [
    ...rowanmanning(root),
    ...gofeed(root),
    ...feedparserSuite(root),
    ...nodeFeedparser(root),
    ...epochTimes(corpus),
  ];
  const rows: CaseRow[] = [];
  let crashes = 0;
  let parsedCount = 0;
  let rejected = 0;
  let checks = 0;
  let agreed = 0;
  let notApplicable = 0;
  const fractions: number[] = [];
  for (const input of inputs) {
    const file = input.rel.startsWith('../') ? path.resolve(root, input.rel) : path.join(root, input.rel);
    const bytes = readFileSync(file);
    let decoded: ReturnType<typeof decodeBody> | undefined;
    let outcome: ParsedFeed | MirrorError;
    try {
      decoded = decodeBody(bytes, input.contentType);
      outcome = parseFeed(decoded.text, input.url, 'UTC');
      parsedCount++;
    } catch (err) {
      if (!(err instanceof MirrorError && err.code === 'FeedParse')) {
        crashes++;
        rows.push({ name: input.rel, status: 'crash', cells: { items: '-', checks: '-' }, note: describe(err) });
        continue;
      }
      rejected++;
      outcome = err;
    }
    const result = input.expected ? compare(outcome, input.expected, decoded?.charset, decoded?.text ?? '') : [];
    const applicable = result.filter((c) => c.ok !== 'n/a');
    const good = applicable.filter((c) => c.ok === true);
    notApplicable += result.length - applicable.length;
    if (applicable.length > 0) {
      checks += applicable.length;
      agreed += good.length;
      fractions.push(good.length / applicable.length);
    }
    const items = outcome instanceof MirrorError ? 'FeedParse' : String(outcome.items.length);
    const failed = applicable.filter((c) => c.ok !== true);
    rows.push({
      name: input.rel,
      status: applicable.length === 0 ? 'n/a' : failed.length === 0 ? 'ok' : 'fail',
      cells: {
        items,
        checks: applicable.length === 0 ? '-' : `${good.length}/${applicable.length}`,
      },
      note:
        failed
          .slice(0, 3)
          .map((c) => `${c.what}${c.detail ? `: ${c.detail}` : ''}`)
          .join('; ') || undefined,
    });
  }
  return {
    columns: ['items', 'checks'],
    rows,
    summary: {
      files: inputs.length,
      crashes,
      parsed: parsedCount,
      rejected,
      withExpected: fractions.length,
      agreement: round(mean(fractions)),
      checks,
      checksAgreed: agreed,
      notApplicable,
    },
  };
}

/** Text as both sides should mean it: tags dropped, entities decoded, whitespace collapsed. */
const plain = (s: string | null | undefined) => htmlToText(s ?? '');

/** HTML compared after one parse and serialisation each, so quoting and entity style do not count. */
const html = (s: string | undefined) =>
  loadFragment(s ?? '')
    .html()
    .replace(/\s+/g, ' ')
    .trim();

/** URLs compared as parsed: `http://example.org` and `http://example.org/` are the same. */
function sameUrl(a: string | undefined, b: string | null | undefined): boolean {
  if (a === undefined || b == null) return false;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

function sameInstant(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Date.parse(a);
  const y = Date.parse(b);
  return !Number.isNaN(x) && x === y;
}

/** Entries in the document (linked or not), to tell whether index-based checks can line up. */
function entryCount(text: string): number {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return ((JSON.parse(trimmed) as { items?: unknown[] }).items ?? []).length;
    } catch {
      return -1;
    }
  }
  return (text.match(/<(?:[\w-]+:)?(?:item|entry)[\s>]/g) ?? []).length;
}

function compare(
  outcome: ParsedFeed | MirrorError,
  e: Expectation,
  charset: string | undefined,
  text: string,
): Check[] {
  const out: Check[] = [];
  if (e.charset !== undefined) {
    out.push({ what: 'charset', ok: normaliseCharset(e.charset) === charset, detail: `${charset} vs ${e.charset}` });
  }
  if (e.mustFail) {
    out.push({ what: 'rejected', ok: outcome instanceof MirrorError, detail: 'expected an error' });
    return out;
  }
  if (outcome instanceof MirrorError) {
    out.push({ what: 'parsed', ok: false, detail: outcome.message });
    return out;
  }
  if (e.title !== undefined && plain(e.title) !== '') {
    const ok = plain(outcome.title) === plain(e.title);
    out.push({
      what: 'feed title',
      ok,
      detail: `${JSON.stringify(outcome.title)} vs ${JSON.stringify(plain(e.title))}`,
    });
  }
  if (e.items !== undefined) {
    const linked = e.items.filter((i) => typeof i.url === 'string' && /^https?:\/\//i.test(i.url));
    for (let k = 0; k < e.items.length - linked.length; k++) out.push({ what: 'unlinked item', ok: 'n/a' });
    out.push({
      what: 'item count',
      ok: outcome.items.length === linked.length,
      detail: `${outcome.items.length} vs ${linked.length}`,
    });
    linked.forEach((exp, i) => {
      // Items line up by position unless one side kept an item the other skipped: then by URL.
      const atIndex = outcome.items[i];
      const ours = sameUrl(atIndex?.url, exp.url)
        ? atIndex
        : (outcome.items.find((o) => sameUrl(o.url, exp.url)) ?? atIndex);
      out.push({ what: `item ${i} url`, ok: sameUrl(ours?.url, exp.url), detail: `${ours?.url} vs ${exp.url}` });
      if (exp.title !== undefined) {
        out.push({
          what: `item ${i} title`,
          ok: plain(ours?.title) === plain(exp.title),
          detail: `${JSON.stringify(ours?.title)} vs ${JSON.stringify(plain(exp.title))}`,
        });
      }
      if (typeof exp.published === 'string') {
        out.push({
          what: `item ${i} date`,
          ok: sameInstant(ours?.published, exp.published),
          detail: `${ours?.published} vs ${exp.published}`,
        });
      }
    });
  }
  if (e.itemCount !== undefined) {
    out.push({
      what: 'item count',
      ok: outcome.items.length === e.itemCount,
      detail: `${outcome.items.length} vs ${e.itemCount}`,
    });
  }
  const aligned = entryCount(text) === outcome.items.length;
  for (const f of e.fields ?? []) {
    if (!aligned) {
      out.push({ what: `item ${f.index} ${f.field}`, ok: 'n/a' });
      continue;
    }
    const item = outcome.items[f.index];
    const value = f.field === 'description' ? (item?.content ?? item?.summary) : item?.[f.field];
    const ok =
      f.field === 'published'
        ? sameInstant(value, f.value)
        : f.field === 'summary' || f.field === 'content' || f.field === 'description'
          ? html(value) === html(f.value)
          : f.field === 'url'
            ? sameUrl(value, f.value)
            : value === f.value;
    out.push({
      what: `item ${f.index} ${f.field}`,
      ok,
      detail: `${JSON.stringify(value)} vs ${JSON.stringify(f.value)}`,
    });
  }
  return out;
}

function listDirs(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => statSync(path.join(dir, n)).isDirectory())
        .sort()
    : [];
}

/** rowanmanning/sample-feeds with @rowanmanning/feed-parser's snapshot of each. */
function rowanmanning(root: string): Input[] {
  const base = path.join(root, 'rowanmanning-sample-feeds');
  const out: Input[] = [];
  for (const kind of listDirs(base)) {
    for (const hash of listDirs(path.join(base, kind))) {
      const rel = `rowanmanning-sample-feeds/${kind}/${hash}`;
      const expectedFile = path.join(root, rel, 'expected.feed-parser.json');
      const exp = existsSync(expectedFile)
        ? (JSON.parse(readFileSync(expectedFile, 'utf8')) as {
            url: string;
            feed: { title: string | null; items: ItemExpectation[] };
          })
        : undefined;
      // Where the feed was captured from (index.md), as a fetch would have it; else the sample-feeds copy.
      const index = path.join(root, rel, 'index.md');
      const original = existsSync(index)
        ? /^original:\s*"?([^"\n]+)"?/m.exec(readFileSync(index, 'utf8'))?.[1]
        : undefined;
      out.push({
        rel: `${rel}/feed.xml`,
        url:
          original && /^https?:\/\//.test(original)
            ? original
            : (exp?.url ?? `https://sample-feeds.rowanmanning.com/${kind}/${hash}/feed.xml`),
        expected: exp && { title: exp.feed.title ?? undefined, items: exp.feed.items },
      });
    }
  }
  return out;
}

/** mmcdole/gofeed testdata: each input with gofeed's own parse (rss.Feed / atom.Feed / json.Feed). */
function gofeed(root: string): Input[] {
  const base = path.join(root, 'gofeed/parser');
  const out: Input[] = [];
  const url = 'http://gofeed.example/feed';
  for (const kind of ['rss', 'atom']) {
    const dir = path.join(base, kind);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.xml')) continue;
      const json = path.join(dir, f.replace(/\.xml$/, '.json'));
      const exp = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>) : undefined;
      out.push({ rel: `gofeed/parser/${kind}/${f}`, url, expected: exp && gofeedExpectation(exp) });
    }
  }
  const jsonDir = path.join(base, 'json');
  if (existsSync(jsonDir)) {
    for (const f of readdirSync(jsonDir).sort()) {
      if (!f.endsWith('.json') || f.endsWith('_expected.json')) continue;
      const expFile = path.join(jsonDir, f.replace(/\.json$/, '_expected.json'));
      const exp = existsSync(expFile)
        ? (JSON.parse(readFileSync(expFile, 'utf8')) as Record<string, unknown>)
        : undefined;
      out.push({ rel: `gofeed/parser/json/${f}`, url, expected: exp && gofeedExpectation(exp) });
    }
    if (existsSync(path.join(jsonDir, 'invalid/invalid.json'))) {
      out.push({ rel: 'gofeed/parser/json/invalid/invalid.json', url, expected: { mustFail: true } });
    }
  }
  const uni = path.join(base, 'universal');
  const table = existsSync(path.join(uni, 'expected.json'))
    ? (JSON.parse(readFileSync(path.join(uni, 'expected.json'), 'utf8')) as Record<
        string,
        { title?: string; hasError?: boolean }
      >)
    : {};
  for (const f of existsSync(uni) ? readdirSync(uni).sort() : []) {
    if (f === 'expected.json') continue;
    const row = table[f];
    out.push({
      rel: `gofeed/parser/universal/${f}`,
      url,
      expected: row && (row.hasError ? { mustFail: true } : { title: row.title }),
    });
  }
  return out;
}

function gofeedExpectation(exp: Record<string, unknown>): Expectation {
  const items = ((exp.items ?? exp.entries ?? []) as Record<string, unknown>[]).map((it): ItemExpectation => {
    const links = (it.links ?? []) as ({ href?: string; rel?: string } | string)[];
    const atomLink = links
      .map((l) => (typeof l === 'string' ? { href: l } : l))
      .find((l) => (l.rel ?? 'alternate') === 'alternate')?.href;
    return {
      url: (it.link as string | undefined) ?? (it.url as string | undefined) ?? atomLink ?? null,
      title: (it.title as string | undefined) ?? undefined,
      published:
        (it.pubDate as string | undefined) ??
        (it.published as string | undefined) ??
        (it.date_published as string | undefined) ??
        null,
    };
  });
  const title = typeof exp.title === 'string' ? exp.title : undefined;
  return { title, items };
}

/** A Python string literal of a feedparser `Expect:` line, with its escapes. */
function pyString(lit: string): string {
  const body = lit.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.startsWith('u') || e.startsWith('x')) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
  });
}

/**
 * kurtmckee/feedparser tests: the `Expect:` Python expression of each file, where it is about
 * something we model (feed title, an entry's description/content/date, the encoding). `bozo`
 * alone is feedparser's "ill-formed but parsed": for us only "no crash" applies.
 */
function feedparserSuite(root: string): Input[] {
  const base = path.join(root, 'feedparser');
  const out: Input[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) {
        walk(p);
        continue;
      }
      const rel = path.relative(root, p);
      const head = readFileSync(p).subarray(0, 2048).toString('latin1');
      const expect =
        /Expect:\s*(.*)/
          .exec(head)?.[1]
          ?.replace(/-->.*$/, '')
          .trim() ?? '';
      const headers = [...head.matchAll(/Header:\s*([\w-]+):\s*(.*)/g)].map((m) => [m[1]?.toLowerCase(), m[2]?.trim()]);
      const contentType = headers.find((h) => h[0] === 'content-type')?.[1];
      const location = headers.find((h) => h[0] === 'content-location')?.[1];
      const e: Expectation = {};
      const utf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');
      const title = /feed(?:\['title'\]|\.title) == ('(?:[^'\\]|\\.)*')/.exec(expect)?.[1];
      if (title) e.title = pyString(utf8(title));
      const fields: Expectation['fields'] = [];
      for (const m of expect.matchAll(
        /entries\[(\d+)\](?:\['(description|summary)'\]|\.(summary)|\['content'\]\[0\]\['value'\]) == ('(?:[^'\\]|\\.)*')/g,
      )) {
        const field: Field = m[2] || m[3] ? 'summary' : 'content';
        fields.push({ index: Number(m[1]), field, value: pyString(utf8(m[4] ?? "''")) });
      }
      const ord = /ord\(entries\[(\d+)\]\['description'\]\) == (\d+)/.exec(expect);
      if (ord) fields.push({ index: Number(ord[1]), field: 'summary', value: String.fromCodePoint(Number(ord[2])) });
      const parsedDate =
        /entries\[(\d+)\]\['(?:published|updated)_parsed'\] == \((\d+), (\d+), (\d+), (\d+), (\d+), (\d+)/.exec(expect);
      if (parsedDate) {
        const [y, mo, d, h, mi, s] = parsedDate.slice(2).map(Number) as [
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        fields.push({
          index: Number(parsedDate[1]),
          field: 'published',
          value: new Date(Date.UTC(y, mo - 1, d, h, mi, s)).toISOString(),
        });
      }
      if (fields.length > 0) e.fields = fields;
      const enc = /encoding == '([^']+)'/.exec(expect)?.[1];
      if (enc) e.charset = enc;
      const len = /len\(entries\) == (\d+)/.exec(expect)?.[1];
      if (len) e.itemCount = Number(len);
      out.push({
        rel,
        url: location ?? `http://127.0.0.1:8097/tests/${path.relative(base, p).split(path.sep).join('/')}`,
        contentType: contentType?.replace(/'/g, ''),
        expected: Object.keys(e).length > 0 ? e : undefined,
      });
    }
  };
  if (existsSync(base)) walk(base);
  return out;
}

/**
 * danmactough/node-feedparser: the mocha assertions copied as strings. The ones about item
 * links, counts, item HTML and "not a feed" are mapped; meta.*, guids and parser options
 * other than `feedurl` are not modelled here.
 */
function nodeFeedparser(root: string): Input[] {
  const base = path.join(root, 'node-feedparser');
  if (!existsSync(base)) return [];
  const tests = JSON.parse(readFileSync(path.join(base, 'expected-from-tests.json'), 'utf8')) as {
    cases: { feeds: string[]; parser_options_js: string[] | null; assertions_js: string[] }[];
  };
  const byFeed = new Map<string, Input>();
  for (const f of readdirSync(base).sort()) {
    if (f.endsWith('.json')) continue;
    // These tests read the file from disk, with no URL: the feed's own self link (else its
    // channel link) stands for where a fetch would have found it.
    const text = readFileSync(path.join(base, f), 'utf8');
    const self =
      /<(?:atom:)?link[^>]*rel=["']self["'][^>]*href=["'](https?:[^"']+)["']/.exec(text)?.[1] ??
      /<(?:atom:)?link[^>]*href=["'](https?:[^"']+)["'][^>]*rel=["']self["']/.exec(text)?.[1] ??
      /<link>\s*(https?:[^<\s]+)\s*<\/link>/.exec(text)?.[1];
    byFeed.set(f, { rel: `node-feedparser/${f}`, url: self ?? `http://node-feedparser.example/test/feeds/${f}` });
  }
  const jsString = (lit: string) => lit.slice(1, -1).replace(/\\'/g, "'");
  for (const c of tests.cases) {
    const opts = (c.parser_options_js ?? []).join(' ');
    const feedurl = /feedurl:\s*'([^']+)'/.exec(opts)?.[1];
    if (opts !== '' && !feedurl) continue;
    for (const feed of c.feeds) {
      const input = byFeed.get(feed);
      if (!input) continue;
      if (feedurl) {
        // A second run of the same feed with another base: its own input row.
        const copy: Input = { rel: input.rel, url: feedurl };
        byFeed.set(`${feed} ${feedurl}`, copy);
      }
      const target = feedurl ? (byFeed.get(`${feed} ${feedurl}`) as Input) : input;
      const e: Expectation = target.expected ?? {};
      // The derived file lists notafeed.html and saxerror.xml under each other's tests in
      // test/bad.js (the items asserted there are saxerror.xml's): "not a feed" is taken
      // for the HTML page only, and saxerror.xml is left without expectations.
      if (feed === 'saxerror.xml') continue;
      for (const a of c.assertions_js) {
        if (/message, 'Not a feed'/.test(a)) {
          e.mustFail = true;
          continue;
        }
        const count = /^assert\.\w+\((?:(?:links|items)\.length|itemCount), (\d+)\)$/.exec(a);
        if (count) {
          e.itemCount = Number(count[1]);
          continue;
        }
        const link = /^assert\.equal\((?:links\[(\d+)\]|items\[(\d+)\]\.link), ('.*')\)$/.exec(a);
        if (link) {
          e.fields ??= [];
          e.fields.push({ index: Number(link[1] ?? link[2]), field: 'url', value: jsString(link[3] ?? "''") });
          continue;
        }
        const html = /^assert\.equal\((?:descriptions\[(\d+)\]|items\[(\d+)\]\.description), ('.*')\)$/.exec(a);
        if (html) {
          e.fields ??= [];
          e.fields.push({ index: Number(html[1] ?? html[2]), field: 'description', value: jsString(html[3] ?? "''") });
        }
      }
      if (Object.keys(e).length > 0) target.expected = e;
    }
  }
  return [...byFeed.values()];
}

/** The real, truncated epochtimes.com feed of corpus/news: its complete items must come through. */
function epochTimes(corpus: string): Input[] {
  const rel = '../news/epochtimes.com/feeds/nsc422-feed-truncated.xml';
  if (!existsSync(path.join(corpus, 'news/epochtimes.com/feeds/nsc422-feed-truncated.xml'))) return [];
  // 50 items, the last one cut inside its CDATA: 49 complete ones.
  return [{ rel, url: 'https://www.epochtimes.com/gb/nsc422.htm/feed', expected: { itemCount: 49 } }];
}
