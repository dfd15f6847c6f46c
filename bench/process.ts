/**
 * One article through the CPU stages, two ways: newsmirror's (site rule or Readability on
 * linkedom → clean → Markdown) and the baseline's (jsdom + @mozilla/readability + turndown,
 * what a mirror script would do without newsmirror). Both take the decoded page and return
 * the Markdown body.
 */
import { Readability } from '@mozilla/readability';
import { JSDOM } from 'jsdom';
import TurndownService from 'turndown';
import { cleanArticle } from '../src/clean/index.js';
import { extractArticle } from '../src/extract/index.js';
import { renderBody } from '../src/render/body.js';
import { articleMeta } from './corpus.js';

export interface ProcessJob {
  i: number;
  html: string;
  url: string;
}

export function newsmirrorProcess(job: ProcessJob): string {
  const meta = articleMeta(job.i);
  const rule = meta.outlet.rule;
  const extracted = extractArticle({
    html: job.html,
    url: job.url,
    item: { url: job.url, title: meta.title, published: meta.published, author: meta.author, summary: meta.summary },
    rule,
    timezone: meta.outlet.lang === 'en' ? 'UTC' : 'Asia/Shanghai',
  });
  const article = cleanArticle(
    extracted,
    {
      id: String(job.i),
      outlet: meta.outlet.name,
      channel: meta.channel.id,
      firstSeen: meta.published,
      updatedAt: meta.published,
      version: 1,
    },
    { rule, images: 'hotlink' },
  );
  return renderBody(article.html, { links: 'mirror', resolveLink: () => undefined });
}

let turndown: TurndownService | undefined;

export function baselineProcess(job: ProcessJob): string {
  turndown ??= new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced' });
  const dom = new JSDOM(job.html, { url: job.url });
  try {
    const parsed = new Readability(dom.window.document).parse();
    return turndown.turndown(parsed?.content ?? '');
  } finally {
    dom.window.close();
  }
}
