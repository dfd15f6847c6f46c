import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, MirrorError } from '../errors.js';

/**
 * The shared test corpus (real pages, feeds, XSS vectors), which lives outside the
 * repository: `$NEWSMIRROR_CORPUS`, else `../shared/corpus` next to the checkout. Only the
 * corpus suites (`*.corpus.test.ts`, `npm run test:corpus`) and `npm run conformance` read it;
 * `npm test` passes without it.
 * Throws when it is missing: a corpus test that silently skips proves nothing.
 */
export function corpusDir(): string {
  const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
  const dir = process.env.NEWSMIRROR_CORPUS ?? path.resolve(packageRoot, '../shared/corpus');
  if (!existsSync(path.join(dir, 'README.md'))) {
    throw new MirrorError(ErrorCodes.ConfigNotFound, `test corpus not found at ${dir}`, {
      hint:
        'set NEWSMIRROR_CORPUS to the corpus folder (the one holding news/, readability/, xss/), ' +
        'or put the corpus at ../shared/corpus beside the checkout',
    });
  }
  return dir;
}

/** One article-body fragment of corpus/news/<site>/fragments: a page of an old mirror bot. */
export interface NewsFragment {
  /** `<site>/<file>`, for messages. */
  file: string;
  site: string;
  /** The bot's `### title`. */
  title: string;
  /** The original article URL (the bot's footer, else the manifest). */
  url: string;
  /**
   * The outlet's HTML as a page would carry it: the lead-image block and the article body,
   * with the bot's Markdown lines (title, nav, promo links, footer) taken out.
   */
  html: string;
}

/**
 * The fragments of corpus/news, in a stable order. A fragment is `### title`, a rule, nav
 * links, the outlet's lead-image block, promo lines, the outlet's article HTML, then a footer
 * with the original URL (corpus/README.md). Markdown lines are the bot's; the rest is the
 * outlet's markup.
 */
export function readNewsFragments(corpus: string): NewsFragment[] {
  const news = path.join(corpus, 'news');
  const manifest = readManifest(news);
  const out: NewsFragment[] = [];
  for (const site of readdirSync(news).sort()) {
    const dir = path.join(news, site, 'fragments');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.md')) continue;
      const text = readFileSync(path.join(dir, f), 'utf8');
      const url =
        /原文(?:地址|链接)[^：:\n]*[：:]\s*(\S+)/.exec(text)?.[1] ??
        manifest.find((m) => m.site === site && m.file === `fragments/${f}`)?.original_url ??
        '';
      const cut = text.search(/\n<hr\/>\s*\n手机上长按|\n(?:<br\/>)?原文(?:地址|链接)/);
      const html = (cut >= 0 ? text.slice(0, cut) : text)
        .split('\n')
        .slice(2)
        .filter((line) => !/^\s*(?:#{1,6}\s|-{3,}\s*$)/.test(line))
        .join('\n');
      out.push({ file: `${site}/${f}`, site, title: /^### (.*)$/m.exec(text)?.[1]?.trim() ?? '', url, html });
    }
  }
  return out;
}

/** A fragment as a minimal page: its title in `<title>`, its HTML as the body. */
export function fragmentPage(f: NewsFragment): string {
  const title = f.title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!DOCTYPE html><html><head><title>${title}</title></head><body>${f.html}</body></html>`;
}

/** What a source suite says the extraction of a full page should give. Every field is optional. */
export interface PageExpectation {
  /** The whole body text, and who wrote it down. */
  text?: string | undefined;
  textSource?: 'newspaper4k' | 'hand-labelled' | 'fundus' | 'gne' | undefined;
  title?: string | undefined;
  titleContains?: string | undefined;
  /** Every one of these names is in the byline. */
  authors?: string[] | undefined;
  /** Publication time in the outlet's zone: `YYYY-MM-DD`, `YYYY-MM-DD HH:mm` or `YYYY-MM-DD HH:mm:ss`. */
  dateLocal?: string | undefined;
  bodyContains?: string | undefined;
}

/** A full article page of corpus/news with what is known about it. */
export interface NewsPage {
  file: string;
  site: string;
  /** Absolute path of the saved page. */
  path: string;
  /**
   * The page's own URL: its canonical link where it states one, else the URL found in the
   * page (ids in its scripts and meta tags), else a stand-in on the outlet's host. Used for
   * the rule lookup and to resolve relative links.
   */
  url: string;
  /** The outlet's zone, in which `dateLocal` is written. */
  timezone: string;
  expected: PageExpectation;
}

/**
 * Where the saved page does not carry its URL in a canonical link: read off ids in the page
 * (`contentid`, `docId`), or a stand-in on the outlet's host when the page names none.
 */
const PAGE_URLS: Readonly<Record<string, string>> = {
  '163.com/163-1.html': 'https://money.163.com/19/0907/13/EOFOC8MJ00258105.html',
  '163.com/163-9.html': 'https://dy.163.com/v2/article/detail/EFDAIN1E054550F0.html',
  'bbc.com-zhongwen/chinese_article.html':
    'http://www.bbc.co.uk/zhongwen/simp/chinese_news/2012/12/121210_hongkong_politics.shtml',
  'cctv.com/news-cctv-ARTI6wNyfAmZU6pd8NQHtmf6200803.html':
    'https://news.cctv.com/2020/08/03/ARTI6wNyfAmZU6pd8NQHtmf6200803.shtml',
  'people.com.cn/People_2024_04_24.html': 'http://politics.people.com.cn/n1/2024/0424/c1024-40223222.html',
  'qq.com/qq-2.html': 'https://new.qq.com/omn/corpus/qq-2.html',
  'thepaper.cn/thepaper-1.html': 'https://www.thepaper.cn/corpus/thepaper-1.html',
  'xinhuanet.com/xinhuanet-1.html': 'http://www.xinhuanet.com/corpus/xinhuanet-1.htm',
};

const TAIWAN = new Set(['appledaily.com.tw', 'cna.com.tw', 'ltn.com.tw', 'setn.com', 'udn.com']);

/** The full pages of corpus/news (not the legacy-encoding samples), with their expectations. */
export function readNewsPages(corpus: string): NewsPage[] {
  const news = path.join(corpus, 'news');
  const out: NewsPage[] = [];
  for (const site of readdirSync(news).sort()) {
    if (site === 'legacy-encoding' || !existsSync(path.join(news, site, 'SOURCE.md'))) continue;
    for (const f of readdirSync(path.join(news, site)).sort()) {
      if (!f.endsWith('.html')) continue;
      const file = `${site}/${f}`;
      const p = path.join(news, site, f);
      const html = readFileSync(p, 'latin1');
      const canonical =
        /<link[^>]*rel=["']?canonical["']?[^>]*href=["']([^"']+)["']/i.exec(html)?.[1] ??
        /<link[^>]*href=["']([^"']+)["'][^>]*rel=["']?canonical/i.exec(html)?.[1] ??
        /<meta[^>]*property=["']og:url["'][^>]*content=["']([^"']+)["']/i.exec(html)?.[1];
      const url = PAGE_URLS[file] ?? (canonical && /^https?:\/\//.test(canonical) ? canonical : `https://www.${site}/`);
      out.push({
        file,
        site,
        path: p,
        url,
        timezone: TAIWAN.has(site) ? 'Asia/Taipei' : 'Asia/Shanghai',
        expected: readExpectation(path.join(news, site), f.replace(/\.html$/, '')),
      });
    }
  }
  return out;
}

function readJson(file: string): Record<string, unknown> | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** Reads whichever expectation files sit next to a page (their formats differ by source suite). */
function readExpectation(dir: string, stem: string): PageExpectation {
  const e: PageExpectation = {};
  const txt = path.join(dir, `${stem}.expected.txt`);
  if (existsSync(txt)) {
    e.text = readFileSync(txt, 'utf8');
    e.textSource = path.basename(dir) === 'cctv.com' ? 'hand-labelled' : 'newspaper4k';
  }
  const meta = readJson(path.join(dir, `${stem}.expected-metadata.json`));
  if (meta) {
    e.title = str(meta.title);
    const d = str(meta.publish_date);
    // newspaper4k keeps only the day (a midnight time): compare the day.
    if (d) e.dateLocal = d.replace(/T00:00:00$/, '').replace('T', ' ');
    const authors = Array.isArray(meta.authors) ? meta.authors.filter((a): a is string => typeof a === 'string') : [];
    if (authors.length > 0) e.authors = authors;
  }
  const gne = readJson(path.join(dir, `${stem}.expected.gne.json`));
  if (gne) {
    e.text = str(gne.content);
    e.textSource = 'gne';
    e.title = str(gne.title);
    if (str(gne.author)) e.authors = [gne.author as string];
    e.dateLocal = localDate(str(gne.publish_time));
  }
  const twnews = readJson(path.join(dir, `${stem}.expected.json`));
  if (twnews) {
    e.titleContains = str(twnews.title_contains);
    if (str(twnews.author)) e.authors = [twnews.author as string];
    e.dateLocal = localDate(str(twnews.date_local));
    e.bodyContains = str(twnews.body_contains);
  }
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (!name.endsWith('.expected.fundus.json')) continue;
    const v1 = (readJson(path.join(dir, name)) as { V1?: Record<string, unknown> } | undefined)?.V1;
    if (!v1) continue;
    const sections = ((v1.body as { sections?: { paragraphs?: string[] }[] })?.sections ?? []).flatMap(
      (s) => s.paragraphs ?? [],
    );
    e.text = sections.join('\n');
    e.textSource = 'fundus';
    e.title = str(v1.title);
    const authors = Array.isArray(v1.authors) ? v1.authors.filter((a): a is string => typeof a === 'string') : [];
    if (authors.length > 0) e.authors = authors;
    // fundus keeps only the day for this page (a midnight time).
    const d = str(v1.publishing_date);
    if (d) e.dateLocal = d.replace(/ 00:00:00$/, '');
  }
  return e;
}

/** `2018年12月28日 19:55`, `2019-09-07 13:43:45` → `YYYY-MM-DD HH:mm[:ss]`. */
function localDate(raw: string | undefined): string | undefined {
  const m = raw?.match(/(\d{4})\D(\d{1,2})\D(\d{1,2})\D*?(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/);
  if (!m) return undefined;
  const pad = (s: string | undefined) => (s ?? '').padStart(2, '0');
  const day = `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  if (m[4] === undefined) return day;
  return `${day} ${pad(m[4])}:${m[5]}${m[6] !== undefined ? `:${m[6]}` : ''}`;
}

interface ManifestEntry {
  file: string;
  site: string;
  original_url?: string;
}

function readManifest(news: string): ManifestEntry[] {
  const file = path.join(news, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ManifestEntry[]) : [];
}
