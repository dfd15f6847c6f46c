/**
 * Assembles the demo's articles from the stories in ./stories/ and writes one
 * JSON file per outlet to examples/demo/content/:
 *
 *   npx tsx examples/demo/tools/make-content.ts
 *
 * Deterministic: ids, dates, pictures, links and layout choices follow from
 * each story's position, so running it again changes no byte (a test checks
 * that the committed JSON is what this script makes).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import {
  articlePath,
  checkContent,
  type DemoArticle,
  type DemoChannel,
  type DemoOutlet,
  type OutletKey,
} from '../../../src/demo/content.js';
import { chenxingAuthors, chenxingChannels } from './stories/chenxing.js';
import { gangwanAuthors, gangwanChannels } from './stories/gangwan.js';
import { harborlightAuthors, harborlightChannels } from './stories/harborlight.js';
import type { ChannelKit, Story } from './stories/types.js';

interface OutletPlan {
  key: OutletKey;
  name: string;
  lang: DemoOutlet['outlet']['lang'];
  prefix: string;
  timezone: string;
  /** Offset written into `published`. */
  offsetHours: 0 | 8;
  /** The byte encoding the origin serves; every character must survive it. */
  encoding: 'gbk' | 'big5' | 'utf-8';
  channels: ChannelKit[];
  sources: Record<string, DemoChannel['source']>;
  authors: string[];
  /** The id for the article at `rank` in the outlet's publication order. */
  idFor: (rank: number, story: Story) => string;
  quote: (who: string, quote: string, i: number) => string;
  /** Splits the detail paragraph after its first sentence. */
  firstSentence: RegExp;
  caption: (image: string, i: number, author: string) => string;
  externals: { href: string; text: string }[];
}

const zhCnPictures: Record<string, string> = {
  'harbor.png': '港湾晨景',
  'city.png': '城市街景',
  'market.jpg': '集市一角',
  'mountain.png': '远山',
  'field.jpg': '秋收时节的田野',
  'leaf.png': '绿叶特写',
  'stars.png': '夜空',
  'ferry.png': '往来的渡轮',
  'sunrise.jpg': '日出',
  'lantern.png': '街头的灯笼',
  'chart.png': '数据示意图',
  'court.jpg': '球场',
};
const zhTwPictures: Record<string, string> = {
  'harbor.png': '港灣晨景',
  'city.png': '城市街景',
  'market.jpg': '市集一角',
  'mountain.png': '遠山',
  'field.jpg': '秋收時節的田野',
  'leaf.png': '綠葉特寫',
  'stars.png': '夜空',
  'ferry.png': '往來的渡輪',
  'sunrise.jpg': '日出',
  'lantern.png': '街頭的燈籠',
  'chart.png': '數據示意圖',
  'court.jpg': '球場',
};
const enPictures: Record<string, string> = {
  'harbor.png': 'The harbor on a calm morning',
  'city.png': 'The town center at dusk',
  'market.jpg': 'Stalls at the Saturday market',
  'mountain.png': 'The hills behind North Ridge',
  'field.jpg': 'Farmland outside town',
  'leaf.png': 'A leaf up close',
  'stars.png': 'The night sky over North Ridge',
  'ferry.png': 'The harbor ferry',
  'sunrise.jpg': 'Sunrise over the bay',
  'lantern.png': 'Lanterns on Old Quay',
  'chart.png': 'A chart of the findings',
  'court.jpg': 'A sports court',
};

function picture(table: Record<string, string>, image: string): string {
  const name = table[image];
  if (name === undefined) throw new Error(`no caption words for ${image}`);
  return name;
}

export const PLANS: OutletPlan[] = [
  {
    key: 'chenxing',
    name: '晨星日报',
    lang: 'zh-CN',
    prefix: 'D',
    timezone: 'Asia/Shanghai',
    offsetHours: 8,
    encoding: 'gbk',
    channels: chenxingChannels,
    sources: { dnews: 'rss', dworld: 'rss', dtech: 'rss-full' },
    authors: chenxingAuthors,
    idFor: (rank) => `n${1390000 + rank * 113 + ((rank * 7) % 50)}`,
    quote: (who, q, i) => `${who}${['表示', '介绍说', '告诉记者', '说'][i % 4]}：“${q}”`,
    firstSentence: /^(.+?。)(.+)$/u,
    caption: (image, i, author) =>
      i % 2 === 0
        ? `资料图：${picture(zhCnPictures, image)}。`
        : `${picture(zhCnPictures, image)}。（记者 ${author} 摄）`,
    externals: [
      { href: 'https://example.org/guides/winter-travel', text: '冬季出行安全小贴士（外部网站）' },
      { href: 'https://example.org/data/open-city', text: '城市公共数据开放平台（外部网站）' },
      { href: 'https://example.com/science/reading-list', text: '科普读物推荐书单（外部网站）' },
    ],
  },
  {
    key: 'gangwan',
    name: '港灣時報',
    lang: 'zh-TW',
    prefix: 'H',
    timezone: 'Asia/Taipei',
    offsetHours: 8,
    encoding: 'big5',
    channels: gangwanChannels,
    sources: { hcity: 'atom', hculture: 'atom', hsport: 'listing' },
    authors: gangwanAuthors,
    idFor: (rank) => `a${String(100000 + rank * 3 + (rank % 3)).padStart(6, '0')}`,
    quote: (who, q, i) => `${who}${['表示', '指出', '受訪時說', '說'][i % 4]}：「${q}」`,
    firstSentence: /^(.+?。)(.+)$/u,
    caption: (image, i, author) =>
      i % 2 === 0
        ? `資料照片：${picture(zhTwPictures, image)}。`
        : `${picture(zhTwPictures, image)}。（記者${author}攝）`,
    externals: [
      { href: 'https://example.org/tw/city-services', text: '市民服務指南（外部網站）' },
      { href: 'https://example.org/tw/culture-calendar', text: '藝文活動行事曆（外部網站）' },
      { href: 'https://example.com/tw/sports-schedule', text: '賽程資訊（外部網站）' },
    ],
  },
  {
    key: 'harborlight',
    name: 'Harbor Light Gazette',
    lang: 'en',
    prefix: 'G',
    timezone: 'UTC',
    offsetHours: 0,
    encoding: 'utf-8',
    channels: harborlightChannels,
    sources: { gscience: 'jsonfeed', glocal: 'jsonfeed' },
    authors: harborlightAuthors,
    idFor: (_rank, story) => story.slug ?? slugify(story.title),
    quote: (who, q, i) => `“${q},” ${['said', 'explained', 'said', 'noted'][i % 4]} ${who}.`,
    firstSentence: /^(.+?\.)( .+)$/u,
    caption: (image, i, author) =>
      i % 2 === 0 ? `${picture(enPictures, image)}. (File photo)` : `${picture(enPictures, image)}. Photo: ${author}`,
    externals: [
      { href: 'https://example.org/tides/larkspur-bay', text: 'Tide tables for Larkspur Bay (external site)' },
      { href: 'https://example.com/community/events', text: 'Community events calendar (external site)' },
      { href: 'https://example.org/science/open-data', text: 'Open data from the marine institute (external site)' },
    ],
  },
];

const SLUG_STOP = new Set([
  'a',
  'after',
  'an',
  'and',
  'at',
  'by',
  'for',
  'from',
  'in',
  'its',
  'of',
  'on',
  'the',
  'this',
  'to',
  'with',
]);

/** `Kelp forest survey finds steady recovery along the outer reef` → `kelp-forest-survey-finds-steady-recovery`. */
function slugify(title: string): string {
  const words = title
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/(\d),(\d)/g, '$1$2')
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, 7);
  while (words.length > 3 && SLUG_STOP.has(words[words.length - 1] ?? '')) words.pop();
  return words.join('-');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** ISO time with the outlet's offset, to the second. */
function isoAt(ms: number, offsetHours: 0 | 8): string {
  const local = new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 19);
  return offsetHours === 0 ? `${local}Z` : `${local}+08:00`;
}

/**
 * Stories are listed oldest first, about one a day per channel from 2026-11-05,
 * at daytime hours (07:00–20:59) of the outlet's own clock.
 */
function publishedMs(c: number, i: number, offsetHours: number): number {
  const day = Math.floor((i * 17) / 20);
  const hour = 7 + ((i * 5 + c * 3) % 14);
  const minute = (i * 37 + c * 11) % 60;
  return Date.UTC(2026, 10, 5 + day, hour - offsetHours, minute);
}

interface Draft {
  story: Story;
  kit: ChannelKit;
  c: number;
  i: number;
  ms: number;
  id: string;
}

export function buildContent(): DemoOutlet[] {
  // Ids first, everywhere: links may point into another outlet.
  const drafts: Draft[][] = [];
  let c = 0;
  for (const plan of PLANS) {
    const list: Draft[] = [];
    for (const kit of plan.channels) {
      kit.stories.forEach((story, i) => {
        list.push({ story, kit, c, i, ms: publishedMs(c, i, plan.offsetHours), id: '' });
      });
      c++;
    }
    [...list]
      .sort((a, b) => a.ms - b.ms)
      .forEach((d, rank) => {
        d.id = plan.idFor(rank, d.story);
      });
    drafts.push(list);
  }
  const byRef = new Map<string, Draft>();
  for (const d of drafts.flat()) byRef.set(`${d.kit.id}:${d.i}`, d);

  const outlets = PLANS.map((plan, p): DemoOutlet => {
    const articles = (drafts[p] ?? []).map((d) => assemble(plan, d, byRef));
    return {
      outlet: {
        key: plan.key,
        name: plan.name,
        lang: plan.lang,
        prefix: plan.prefix,
        timezone: plan.timezone,
        channels: plan.channels.map((k) => ({
          id: k.id,
          name: k.name,
          description: k.description,
          source: plan.sources[k.id] ?? 'rss',
        })),
      },
      articles,
    };
  });
  check(outlets);
  return outlets;
}

function assemble(plan: OutletPlan, d: Draft, byRef: Map<string, Draft>): DemoArticle {
  const { story, kit, c, i } = d;
  const author = plan.authors[(i + c) % plan.authors.length] ?? '';
  const detail = (text: string): string => {
    const m = plan.firstSentence.exec(text);
    // Every third article opens its details in bold; in Chinese the bold ends in 。, then text follows.
    return i % 3 === 0 && m ? `<strong>${escapeHtml(m[1] ?? '')}</strong>${escapeHtml(m[2] ?? '')}` : escapeHtml(text);
  };
  const paragraphs = [escapeHtml(story.lead), detail(story.detail), escapeHtml(plan.quote(story.who, story.quote, i))];
  for (const extra of story.more ?? []) paragraphs.push(escapeHtml(extra));
  const firstGeneric = paragraphs.length;
  const generic = (i * 7 + c) % 3;
  if (generic === 2 || (generic === 1 && i % 2 === 0)) paragraphs.push(pick(kit.background, i + c));
  if (generic === 2 || (generic === 1 && i % 2 === 1)) paragraphs.push(pick(kit.closing, i * 2 + c));

  // A few articles have no picture; not the newest ones, which the demo shows first.
  const leadImage = i % 6 !== 4 ? pick(kit.images, i) : undefined;
  const article: DemoArticle = {
    id: d.id,
    channel: kit.id,
    title: story.title,
    author,
    published: isoAt(d.ms, plan.offsetHours),
    ...(leadImage ? { lead: { image: leadImage, caption: plan.caption(leadImage, i, author) } } : {}),
    paragraphs,
  };
  if (paragraphs.length >= 5) {
    article.headings = [{ text: pick(kit.headings, i + c), beforeParagraph: firstGeneric }];
  }
  if (i % 4 === 2) {
    const image = pick(kit.images, i + 3);
    article.figures = [{ image, caption: plan.caption(image, i + 1, author), afterParagraph: 1 }];
  }
  if (story.gallery) {
    article.figures = story.gallery.map((g, k) => ({ ...g, afterParagraph: Math.min(k, paragraphs.length - 1) }));
  }
  const links: NonNullable<DemoArticle['links']> = [];
  const target = story.see ? byRef.get(story.see) : i % 3 === 1 ? byRef.get(`${kit.id}:${i - 1}`) : undefined;
  if (story.see && !target) throw new Error(`${story.title}: see ${story.see} names no story`);
  if (target) links.push({ toArticleId: target.id, text: story.seeText ?? target.story.title, afterParagraph: 2 });
  if (i % 5 === 3) links.push({ ...pick(plan.externals, i + c), afterParagraph: paragraphs.length - 1 });
  if (links.length > 0) article.links = links;
  if (story.table) article.table = { ...story.table, afterParagraph: 1 };
  if (story.edition2) {
    const e = story.edition2;
    const edited = [...paragraphs];
    edited[1] = detail(e.detail);
    edited.push(escapeHtml(e.added));
    article.edition2 = { title: e.title, updated: e.updated, paragraphs: edited };
    if (e.table) article.edition2.table = e.table;
  }
  return article;
}

function pick<T>(list: readonly T[], n: number): T {
  const v = list[n % list.length];
  if (v === undefined) throw new Error('empty list');
  return v;
}

/** Everything checkContent checks, plus what only the generator knows. */
function check(outlets: DemoOutlet[]): void {
  checkContent(outlets);
  const titles = new Set<string>();
  const bodies = new Set<string>();
  outlets.forEach((o, p) => {
    const plan = PLANS[p];
    if (!plan) throw new Error('plan missing');
    for (const a of o.articles) {
      if (titles.has(a.title)) throw new Error(`title used twice: ${a.title}`);
      titles.add(a.title);
      const body = a.paragraphs.slice(0, 2).join('\n');
      if (bodies.has(body)) throw new Error(`body used twice: ${a.title}`);
      bodies.add(body);
      if (plan.encoding !== 'utf-8') {
        const text = JSON.stringify(a);
        const back = iconv.decode(iconv.encode(text, plan.encoding), plan.encoding);
        if (back !== text) {
          const bad = [...text].filter((ch) => iconv.decode(iconv.encode(ch, plan.encoding), plan.encoding) !== ch);
          throw new Error(`${a.title}: not representable in ${plan.encoding}: ${bad.join(' ')}`);
        }
      }
    }
  });
}

/** The stories the demo's curated picks name, as `channel:index`. */
const PICKS = ['dnews:0', 'hculture:0', 'gscience:11'];

/**
 * examples/demo/picks.csv: `url,title` rows. The URLs are paths (CSV is not
 * interpolated, so it cannot say `${DEMO_ORIGIN}`); the demo resolves them
 * against the first outlet's origin.
 */
export function buildPicks(outlets: DemoOutlet[]): string {
  const rows = PICKS.map((ref) => {
    const [channel, index] = ref.split(':');
    const outlet = outlets.find((o) => o.outlet.channels.some((c) => c.id === channel));
    const article = outlet?.articles.filter((a) => a.channel === channel)[Number(index)];
    if (!outlet || !article) throw new Error(`pick ${ref} names no article`);
    return `${articlePath(outlet.outlet.key, article)},${csvField(article.title)}`;
  });
  return `url,title\n# Paths: the demo resolves them against the first outlet's origin.\n${rows.join('\n')}\n`;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('../content/', import.meta.url));
  const outlets = buildContent();
  for (const o of outlets) {
    const file = path.join(dir, `${o.outlet.key}.json`);
    writeFileSync(file, `${JSON.stringify(o, null, 2)}\n`);
    console.log(`${file}: ${o.articles.length} articles`);
  }
  const picks = fileURLToPath(new URL('../picks.csv', import.meta.url));
  writeFileSync(picks, buildPicks(outlets));
  console.log(`${picks}: ${PICKS.length} picks`);
}
