/**
 * The demo origin's content: three fictional outlets stored as JSON under
 * examples/demo/content/ (one file per outlet, made by
 * examples/demo/tools/make-content.ts). This module is the one description of
 * that format and of the URL scheme each outlet uses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Where the bundled content lives: the same relative path from src/demo and dist/demo. */
export const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('../../examples/demo/content/', import.meta.url));

const TableSchema = z.strictObject({
  caption: z.string().min(1),
  header: z.array(z.string()).min(1),
  rows: z.array(z.array(z.string())).min(1),
});

const ArticleSchema = z.strictObject({
  /** The id the article URL carries: `n1390113` (outlet 1), `a100023` (outlet 2), a slug (outlet 3). */
  id: z.string().regex(/^[a-z0-9-]+$/),
  channel: z.string().min(1),
  title: z.string().min(1),
  author: z.string().min(1),
  /** ISO 8601 with the outlet's offset (`+08:00`) or `Z`; its date part is the date in the URL. */
  published: z.iso.datetime({ offset: true }),
  lead: z.strictObject({ image: z.string(), caption: z.string() }).optional(),
  /** Inline HTML we wrote ourselves: text, entities and `<strong>` only. */
  paragraphs: z.array(z.string().min(1)).min(3).max(7),
  /** `<h2>` put before paragraph `beforeParagraph` (0-based). */
  headings: z.array(z.strictObject({ text: z.string(), beforeParagraph: z.number().int().min(1) })).optional(),
  /** Inline figures, put after paragraph `afterParagraph` (0-based). */
  figures: z
    .array(z.strictObject({ image: z.string(), caption: z.string(), afterParagraph: z.number().int().min(0) }))
    .optional(),
  /** A "see also" line after a paragraph: to another demo article (`toArticleId`) or to an outside URL (`href`). */
  links: z
    .array(
      z.strictObject({
        toArticleId: z.string().optional(),
        href: z.url().optional(),
        text: z.string().min(1),
        afterParagraph: z.number().int().min(0),
      }),
    )
    .optional(),
  table: TableSchema.extend({ afterParagraph: z.number().int().min(0) }).optional(),
  /** What this article looks like in edition 2 of the origin (exactly one article has it). */
  edition2: z
    .strictObject({
      title: z.string().min(1),
      updated: z.iso.datetime({ offset: true }),
      paragraphs: z.array(z.string().min(1)).min(3).max(7),
      table: TableSchema.optional(),
    })
    .optional(),
});
export type DemoArticle = z.infer<typeof ArticleSchema>;

export const OUTLET_KEYS = ['chenxing', 'gangwan', 'harborlight'] as const;
export type OutletKey = (typeof OUTLET_KEYS)[number];

const ChannelSchema = z.strictObject({
  id: z.string().regex(/^[a-z]+$/),
  name: z.string().min(1),
  description: z.string(),
  /** How the channel is published: RSS 2.0 (with `content:encoded` when `rss-full`), Atom, JSON Feed or an HTML listing. */
  source: z.enum(['rss', 'rss-full', 'atom', 'jsonfeed', 'listing']),
});
export type DemoChannel = z.infer<typeof ChannelSchema>;

const OutletSchema = z.strictObject({
  outlet: z.strictObject({
    key: z.enum(OUTLET_KEYS),
    name: z.string().min(1),
    lang: z.enum(['zh-CN', 'zh-TW', 'en']),
    prefix: z.string().regex(/^[A-Z]$/),
    timezone: z.string(),
    channels: z.array(ChannelSchema).min(1),
  }),
  articles: z.array(ArticleSchema).min(1),
});
export type DemoOutlet = z.infer<typeof OutletSchema>;

/** Read and check every `*.json` outlet file of a content folder, in OUTLET_KEYS order. */
export function loadDemoContent(dir: string = DEFAULT_CONTENT_DIR): DemoOutlet[] {
  const outlets = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const file = path.join(dir, f);
      const parsed = OutletSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) throw new Error(`${file}: not valid demo content:\n${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
  outlets.sort((a, b) => OUTLET_KEYS.indexOf(a.outlet.key) - OUTLET_KEYS.indexOf(b.outlet.key));
  checkContent(outlets);
  return outlets;
}

/** Cross-file invariants the schema cannot say. Throws on the first problem. */
export function checkContent(outlets: readonly DemoOutlet[]): void {
  const ids = new Set<string>();
  const channels = new Set<string>();
  for (const o of outlets) {
    for (const ch of o.outlet.channels) {
      if (channels.has(ch.id)) throw new Error(`channel ${ch.id} is defined twice`);
      channels.add(ch.id);
    }
    for (const a of o.articles) {
      if (ids.has(a.id)) throw new Error(`article id ${a.id} is used twice`);
      ids.add(a.id);
    }
  }
  let edited = 0;
  for (const o of outlets) {
    const own = new Set(o.outlet.channels.map((c) => c.id));
    for (const a of o.articles) {
      if (!own.has(a.channel)) throw new Error(`${a.id}: channel ${a.channel} is not a channel of ${o.outlet.key}`);
      for (const l of a.links ?? []) {
        if ((l.toArticleId === undefined) === (l.href === undefined)) {
          throw new Error(`${a.id}: a link needs exactly one of toArticleId or href`);
        }
        if (l.toArticleId !== undefined && !ids.has(l.toArticleId)) {
          throw new Error(`${a.id}: link to unknown article ${l.toArticleId}`);
        }
      }
      if (a.edition2) edited++;
    }
  }
  if (edited !== 1) throw new Error(`exactly one article must have an edition2 (found ${edited})`);
}

/** The folder each outlet's pages live under. */
const SITE_DIR: Record<OutletKey, string> = { chenxing: 'gb', gangwan: 'b5', harborlight: 'news' };

/** `2026-11-20` from an ISO time written in the outlet's own offset. */
function localDate(iso: string): { y: string; m: string; d: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  return { y: m[1] ?? '', m: m[2] ?? '', d: m[3] ?? '' };
}

/**
 * The article's path at the origin, by outlet:
 * - chenxing:    `/gb/26/11/20/n1390113.htm`
 * - gangwan:     `/b5/2026/11/20/a100023.html`
 * - harborlight: `/news/2026/11/20/harbor-ferry-schedule-changes`
 */
export function articlePath(key: OutletKey, article: Pick<DemoArticle, 'id' | 'published'>): string {
  const { y, m, d } = localDate(article.published);
  switch (key) {
    case 'chenxing':
      return `/${SITE_DIR[key]}/${y.slice(2)}/${m}/${d}/${article.id}.htm`;
    case 'gangwan':
      return `/${SITE_DIR[key]}/${y}/${m}/${d}/${article.id}.html`;
    case 'harborlight':
      return `/${SITE_DIR[key]}/${y}/${m}/${d}/${article.id}`;
  }
}

/** The path of a channel's feed or listing page. */
export function channelPath(key: OutletKey, channel: DemoChannel): string {
  const n = OUTLET_KEYS.indexOf(key) + 1;
  switch (channel.source) {
    case 'rss':
    case 'rss-full':
    case 'atom':
      return `/outlet${n}/feeds/${channel.id}.xml`;
    case 'jsonfeed':
      return `/outlet${n}/feeds/${channel.id}.json`;
    case 'listing':
      return `/${SITE_DIR[key]}/${channel.id}/index.html`;
  }
}
