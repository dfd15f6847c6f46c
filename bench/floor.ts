/**
 * The floor, and where the CPU time of an article goes (issue 13.5). On the same decoded pages
 * as the processing figures, in this process, one thread:
 *
 * - the least any extractor must do: htmlparser2's `parseDocument` of the page;
 * - newsmirror's CPU stages as a sync runs them: fetch + decode (from the bench origin on
 *   loopback, which serves stored gzip bytes from this same process), extract, clean,
 *   Markdown, QR, render (the article page around its Markdown), write, git (`git add` +
 *   `git commit` of the written tree, CPU of the git processes).
 *
 * CPU time (`process.cpuUsage`, every thread of this process: V8's collector and compiler
 * helpers are part of the cost), not wall time, so other jobs on the machine change the
 * figures little. Each stage is timed over every article in turn; the parse and the three
 * processing stages are timed in alternating rounds, and the lowest round of each is kept.
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
  /** extract + clean + Markdown over the parse alone. */
  vsParse: number;
  /** The same ratio in each round, lowest and highest: how far one round can be trusted. */
  vsParseSpread: [number, number];
}

/** Parse-only and staged CPU of one group of pages: `rounds` alternating rounds, lowest kept. */
function groupFloor(jobs: readonly ProcessJob[], rounds: number): { floor: GroupFloor; articles: Article[] } {
  const best = { parse: Infinity, extract: Infinity, clean: Infinity, markdown: Infinity };
  const ratios: number[] = [];
  let articles: Article[] = [];
  for (let r = 0; r < rounds; r++) {
    let t = process.cpuUsage();
    for (const j of jobs) parseDocument(j.html);
    const parse = cpuMs(t);
    t = process.cpuUsage();
    const extracted = jobs.map(extractOf);
    const extract = cpuMs(t);
    t = process.cpuUsage();
    articles = jobs.map((j, k) => cleanOf(j, extracted[k] as ExtractedArticle));
    const clean = cpuMs(t);
    t = process.cpuUsage();
    for (const a of articles) markdownOf(a);
    const markdown = cpuMs(t);
    best.parse = Math.min(best.parse, parse);
    best.extract = Math.min(best.extract, extract);
    best.clean = Math.min(best.clean, clean);
    best.markdown = Math.min(best.markdown, markdown);
    ratios.push((extract + clean + markdown) / parse);
  }
  const n = Math.max(1, jobs.length);
  const per = (ms: number) => round(ms / n, 3);
  const total = best.extract + best.clean + best.markdown;
  return {
    floor: {
      articles: jobs.length,
      parseMs: per(best.parse),
      extractMs: per(best.extract),
      cleanMs: per(best.clean),
      markdownMs: per(best.markdown),
      vsParse: round(total / best.parse, 2),
      vsParseSpread: [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)],
    },
    articles,
  };
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
  // Warm-up: the JIT and the rule and converter caches, as the processing figures do.
  groupFloor(jobs.slice(0, 25), 1);
  const rule = groupFloor(
    jobs.filter((j) => ruleOf(j) !== undefined),
    rounds,
  );
  const fallback = groupFloor(
    jobs.filter((j) => ruleOf(j) === undefined),
    rounds,
  );
  const articles = [...rule.articles, ...fallback.articles];
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
    (rule.floor[g] * rule.floor.articles + fallback.floor[g] * fallback.floor.articles) / n;
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
  return { rule: rule.floor, fallback: fallback.floor, stages };
}
