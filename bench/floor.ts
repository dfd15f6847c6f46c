/**
 * The floor, and where the CPU time of an article goes (issue 13.5). On the same decoded pages
 * as the processing figures, one thread:
 *
 * - the least any extractor must do: htmlparser2's `parseDocument` of the page;
 * - newsmirror's CPU stages as a sync runs them: fetch + decode (from the bench origin on
 *   loopback, which serves stored gzip bytes from this same process), extract, clean,
 *   Markdown, QR, render (the article page around its Markdown), write, git (`git add` +
 *   `git commit` of the written tree, CPU of the git processes).
 *
 * CPU time (`process.cpuUsage`, every thread of this process: V8's collector and compiler
 * helpers are part of the cost), not wall time, so other jobs on the machine change the
 * figures little. Each stage is timed over every article in turn. The parse and the three
 * processing stages are timed page by page in rounds, and the median round is kept (`groupFloor`).
 *
 * The parse and the three processing stages run in a process of their own (`floor-child.ts`),
 * as they run in a sync's stage pool: on a heap that holds the pages and little else. In the
 * bench's own process, whose heap also holds the baseline's jsdom, the origin's pages and every
 * figure so far, each collection had more to go through, and the ratios moved by 10–20 % from one
 * run to the next.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'htmlparser2';
import { cleanArticle } from '../src/clean/index.js';
import type { MirrorConfig } from '../src/config/schema.js';
import { extractArticle } from '../src/extract/index.js';
import { createFetcher } from '../src/fetch/index.js';
import { renderBody } from '../src/render/body.js';
import { type ChannelView, renderPages } from '../src/render/index.js';
import { writePagesToDir } from '../src/store/writer.js';
import type { Article, ExtractedArticle, Page } from '../src/types.js';
import { runScript } from './child.js';
import { articleMeta, OUTLETS } from './corpus.js';
import type { ProcessJob } from './process.js';
import { childrenCpuMs, round } from './util.js';

/** CPU milliseconds (user + system, all threads) since `from`. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

function ruleOf(job: ProcessJob) {
  return articleMeta(job.i).outlet.rule;
}

function extractOf(job: ProcessJob): ExtractedArticle {
  const meta = articleMeta(job.i);
  return extractArticle({
    html: job.html,
    url: job.url,
    item: { url: job.url, title: meta.title, published: meta.published, author: meta.author, summary: meta.summary },
    rule: meta.outlet.rule,
    timezone: meta.outlet.lang === 'en' ? 'UTC' : 'Asia/Shanghai',
  });
}

function cleanOf(job: ProcessJob, extracted: ExtractedArticle): Article {
  const meta = articleMeta(job.i);
  return cleanArticle(
    extracted,
    {
      id: String(job.i),
      outlet: meta.outlet.name,
      channel: meta.channel.id,
      firstSeen: meta.published,
      updatedAt: meta.published,
      version: 1,
    },
    { rule: meta.outlet.rule, images: 'hotlink' },
  );
}

function markdownOf(article: Article): string {
  return renderBody(article.html, { links: 'mirror', resolveLink: () => undefined });
}

export interface GroupFloor {
  articles: number;
  /** htmlparser2 `parseDocument`, CPU ms per article. */
  parseMs: number;
  extractMs: number;
  cleanMs: number;
  markdownMs: number;
  /** extract + clean + Markdown over the parse alone: the median of the rounds. */
  vsParse: number;
  /** The same ratio in each round, lowest and highest: how far one round can be trusted. */
  vsParseSpread: [number, number];
}

/** The median of a non-empty list. */
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Parse-only and staged CPU of one group of pages, in `rounds` rounds. Within a round each page
 * is parsed, extracted, cleaned and converted in turn, each step timed on its own: a stretch in
 * which the machine is slower (another job, a neighbour on the host) weighs on the parse and on
 * the stages alike, where timing all the parses and then all the extractions let it fall on one
 * side. A collection that runs during a step is that step's: it copies what is alive then, and
 * the garbage of the step before is dead by then and costs it nothing. The figures are the
 * medians over the rounds; the spread is the lowest and highest round.
 */
export function groupFloor(jobs: readonly ProcessJob[], rounds: number): GroupFloor {
  const perRound: { parse: number; extract: number; clean: number; markdown: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const sum = { parse: 0, extract: 0, clean: 0, markdown: 0 };
    for (const j of jobs) {
      let t = process.cpuUsage();
      parseDocument(j.html);
      sum.parse += cpuMs(t);
      t = process.cpuUsage();
      const extracted = extractOf(j);
      sum.extract += cpuMs(t);
      t = process.cpuUsage();
      const article = cleanOf(j, extracted);
      sum.clean += cpuMs(t);
      t = process.cpuUsage();
      markdownOf(article);
      sum.markdown += cpuMs(t);
    }
    perRound.push(sum);
  }
  const n = Math.max(1, jobs.length);
  const per = (k: 'parse' | 'extract' | 'clean' | 'markdown') => round(median(perRound.map((x) => x[k])) / n, 3);
  const ratios = perRound.map((x) => (x.extract + x.clean + x.markdown) / x.parse);
  return {
    articles: jobs.length,
    parseMs: per('parse'),
    extractMs: per('extract'),
    cleanMs: per('clean'),
    markdownMs: per('markdown'),
    vsParse: round(median(ratios), 2),
    vsParseSpread: [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)],
  };
}

/** Articles the floor processes untimed, twice, before its rounds. */
const WARMUP_ARTICLES = 200;

/** What `floor-child.ts` is asked: the bench's first `articles` pages, `rounds` rounds. */
export interface FloorChildJob {
  articles: number;
  rounds: number;
}

/** The rule and fallback groups of `jobs`, timed (what `floor-child.ts` runs). */
export function floorGroups(jobs: readonly ProcessJob[], rounds: number): { rule: GroupFloor; fallback: GroupFloor } {
  // Warm-up, as the stage pool's figures do (200 articles a thread): the JIT, and the rule and
  // converter caches. After 25 articles the ratio still fell from one round to the next
  // (2.66, 2.51, 2.50, 2.44, 2.40 on rule pages); a sync's threads work in that steady state.
  groupFloor(jobs.slice(0, WARMUP_ARTICLES), 2);
  const rule = groupFloor(
    jobs.filter((j) => ruleOf(j) !== undefined),
    rounds,
  );
  const fallback = groupFloor(
    jobs.filter((j) => ruleOf(j) === undefined),
    rounds,
  );
  return { rule, fallback };
}

export interface FloorBench {
  /** Pages of outlets with a site rule. */
  rule: GroupFloor;
  /** Pages left to the Readability fallback. */
  fallback: GroupFloor;
  /** CPU ms per article by stage, over `stages.articles` articles of every outlet. */
  stages: {
    articles: number;
    fetchDecodeMs: number;
    extractMs: number;
    cleanMs: number;
    markdownMs: number;
    qrMs: number;
    renderMs: number;
    writeMs: number;
    gitMs: number;
    totalMs: number;
    /** The indexes and home page of those articles, CPU ms in all (not per article). */
    indexesMs: number;
  };
}

/**
 * `jobs` are decoded pages (as the processing figures use); `origin` serves the same pages
 * (`urls[outlet]`); `config` is the bench config (its fetch settings allow loopback).
 */
export async function floorBench(options: {
  jobs: readonly ProcessJob[];
  rounds: number;
  config: MirrorConfig;
  originUrls: readonly string[];
  work: string;
}): Promise<FloorBench> {
  const { jobs, rounds, config } = options;
  // The parse and the processing stages, timed in a process of their own (see the top).
  const groups = await runScript<{ rule: GroupFloor; fallback: GroupFloor }>('floor-child.ts', {
    articles: jobs.length,
    rounds,
  } satisfies FloorChildJob);
  const { rule, fallback } = groups;
  // The cleaned articles the rest of this measures, made here (untimed).
  const articles = jobs.map((j) => cleanOf(j, extractOf(j)));
  const n = jobs.length;

  // fetch + decode, from the origin (gzip → bytes → charset → text), one at a time.
  const fetcher = createFetcher(config.fetch);
  const urls = jobs.map((j) => {
    const meta = articleMeta(j.i);
    return `${options.originUrls[meta.outlet.index]}${meta.path}`;
  });
  for (const u of urls.slice(0, 10)) await fetcher.fetchDocument(u);
  let t = process.cpuUsage();
  for (const u of urls) await fetcher.fetchDocument(u);
  const fetchMs = cpuMs(t);

  // Render every page of a mirror of these articles, timed by kind.
  const byChannel = new Map<string, Article[]>();
  for (const a of articles) byChannel.set(a.channel, [...(byChannel.get(a.channel) ?? []), a]);
  const view = {
    outlets: OUTLETS.map((o) => ({
      name: o.name,
      prefix: o.prefix,
      channels: o.channels.map(
        (c): ChannelView => ({
          id: c.id,
          name: c.name,
          indexName: `${o.prefix}${c.name}`,
          timezone: o.lang === 'en' ? 'UTC' : 'Asia/Shanghai',
          imagePolicy: 'hotlink',
          articles: (byChannel.get(c.id) ?? []).sort((a, b) => b.firstSeen.localeCompare(a.firstSeen)),
        }),
      ),
    })),
    picks: [],
    hot: [],
  };
  const keep = { ...config, retention: { ...config.retention, pagesPerChannel: n, qrPerChannel: n } };
  const spent = { article: 0, qr: 0, other: 0 };
  const pages: Page[] = [];
  const it = renderPages(view, keep);
  for (;;) {
    t = process.cpuUsage();
    const next = it.next();
    const ms = cpuMs(t);
    if (next.done) break;
    const page = next.value;
    if (page.kind === 'article') spent.article += ms;
    else if (page.kind === 'qr') spent.qr += ms;
    else spent.other += ms;
    pages.push(page);
  }
  const qrs = pages.filter((p) => p.kind === 'qr').length;
  const arts = pages.filter((p) => p.kind === 'article').length;

  const dir = path.join(options.work, 'floor-mirror');
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  t = process.cpuUsage();
  writePagesToDir(dir, pages);
  const writeMs = cpuMs(t);

  const before = childrenCpuMs();
  t = process.cpuUsage();
  const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b.invalid' };
  execFileSync('git', ['add', '-A'], { cwd: dir, env });
  execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b.invalid', 'commit', '-qm', 'floor'], {
    cwd: dir,
    env,
  });
  const gitMs = childrenCpuMs() - before + cpuMs(t);

  const all = (g: 'extractMs' | 'cleanMs' | 'markdownMs') =>
    (rule[g] * rule.articles + fallback[g] * fallback.articles) / n;
  const markdownMs = all('markdownMs');
  const stages = {
    articles: n,
    fetchDecodeMs: round(fetchMs / n, 3),
    extractMs: round(all('extractMs'), 3),
    cleanMs: round(all('cleanMs'), 3),
    markdownMs: round(markdownMs, 3),
    qrMs: round(spent.qr / Math.max(1, qrs), 3),
    // The article page's render holds its Markdown: the rest is the page around it.
    renderMs: round(Math.max(0, spent.article / Math.max(1, arts) - markdownMs), 3),
    writeMs: round(writeMs / n, 3),
    gitMs: round(gitMs / n, 3),
    totalMs: 0,
    indexesMs: round(spent.other, 1),
  };
  stages.totalMs = round(
    stages.fetchDecodeMs +
      stages.extractMs +
      stages.cleanMs +
      stages.markdownMs +
      stages.qrMs +
      stages.renderMs +
      stages.writeMs +
      stages.gitMs,
    3,
  );
  return { rule, fallback, stages };
}
