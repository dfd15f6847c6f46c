/**
 * Simplified and Traditional editions of the Markdown mirror (`editions.enabled`). Each Markdown
 * page written in Chinese keeps its place and its exact text, gains a link to its other edition on
 * its first menu line, and its other edition is written under `hans/` or `hant/` at the same path:
 * the text converted phrase by phrase (never link destinations, HTML attributes or the page's
 * machine-readable comment, which the edition leaves out so that `rebuild-state` reads only the
 * originals), every link to another page of the mirror pointing at that page's edition.
 *
 * An article page keeps the incremental render: its key is the Markdown page's key with the
 * editions' settings appended, and its edition is made again only when that key changes. A page
 * kept from an earlier run whose edition is missing is read back (`readPage`) to make it.
 */
import type { MirrorConfig } from '../config/schema.js';
import type { Page } from '../types.js';
import { editionPrefix, SCRIPTS, type Script, toScript } from './editions.js';
import { type PageScripts, pageScripts } from './html/index.js';
import { hashOf, type MirrorView, type RenderedPage, type RenderOptions, renderPages } from './index.js';
import { relativeLink } from './paths.js';

export interface EditionOptions extends RenderOptions {
  /** The bytes of a page an earlier run wrote (a kept page whose edition must be made). */
  readPage?: ((path: string) => string | undefined) | undefined;
}

// Linear on any text: a link target stops at a parenthesis (a run of "](" cannot make each match
// scan to the end), and a meta comment holds no < or > (metaComment escapes them).
const PROTECTED = /(\]\([^()\s]*\))|(\b(?:href|src)="[^"]*")|(<!-- newsmirror:[^<>]*-->\n?)/g;
const SEP = ' &nbsp;&nbsp;|&nbsp;&nbsp; ';
/** The link `withEditionLink` adds, as a page written by an earlier run has it. */
const EDITION_LINK = / &nbsp;&nbsp;\|&nbsp;&nbsp; \[(?:繁體|简体)\]\([^)\s]*\)$/m;

/** The Markdown mirror (`renderPages`), with the editions when the config asks for them. */
export function* renderMarkdownEditions(
  view: MirrorView,
  config: MirrorConfig,
  options: EditionOptions = {},
): Generator<Page> {
  if (!config.editions.enabled) {
    yield* renderPages(view, config, options);
    return;
  }
  const scripts = pageScripts(view, config);
  const suffix = `|ed:${hashOf(JSON.stringify(config.editions))}`;
  // renderPages compares its own keys: the editions' part is taken off what the state recorded.
  const inner = new Map<string, RenderedPage>();
  for (const [p, page] of options.previous ?? [])
    if (page.key.endsWith(suffix)) inner.set(p, { ...page, key: page.key.slice(0, -suffix.length) });
  const kept: [string, RenderedPage][] = [];
  for (const page of renderPages(view, config, {
    previous: inner,
    onKept: (p, page) => kept.push([p, page]),
  })) {
    const script = page.path.endsWith('.md') ? scriptOfPath(scripts, page.path) : undefined;
    if (!script || (page.kind !== 'article' && page.kind !== 'index' && page.kind !== 'home')) {
      // Every key carries the editions' part, so that the next run compares like with like.
      yield (page.kind === 'article' || page.kind === 'qr') && page.key !== undefined
        ? { ...page, key: `${page.key}${suffix}` }
        : page;
      continue;
    }
    const other = SCRIPTS.find((x) => x !== script) as Script;
    const key = page.kind === 'article' && page.key !== undefined ? `${page.key}${suffix}` : undefined;
    const body = withEditionLink(page.body, page.path, `${editionPrefix(other)}/${page.path}`, other);
    yield page.kind === 'article' ? { ...page, body, key } : { ...page, body };
    const edition = editionPage(page.body, page.path, script, other, scripts, config);
    yield page.kind === 'article'
      ? { kind: 'article', path: edition.path, body: edition.body, articleId: page.articleId, key }
      : { kind: 'index', ...edition };
  }
  // Pages kept from the last run: their editions are kept too, or made from the page on disk.
  for (const [p, page] of kept) {
    const outer = { ...page, key: `${page.key}${suffix}` };
    options.onKept?.(p, outer);
    const script = p.endsWith('.md') ? scriptOfPath(scripts, p) : undefined;
    if (!script) continue;
    const other = SCRIPTS.find((x) => x !== script) as Script;
    const editionPath = `${editionPrefix(other)}/${p}`;
    if (options.previous?.get(editionPath)?.key === outer.key) {
      options.onKept?.(editionPath, { key: outer.key });
      continue;
    }
    const written = options.readPage?.(p);
    if (written === undefined) continue;
    const body = written.replace(EDITION_LINK, '');
    const edition = editionPage(body, p, script, other, scripts, config);
    const id = p.endsWith('.md') ? p.slice(p.lastIndexOf('/') + 1, -'.md'.length) : '';
    yield { kind: 'article', path: edition.path, body: edition.body, articleId: id, key: outer.key };
  }
}

/** Where a Markdown page of the mirror is written, and the script it is in (undefined: not Chinese, or not a page). */
function scriptOfPath(scripts: PageScripts, p: string): Script | undefined {
  if (p === 'README.md') return scripts.home;
  const page = /^pages\/[^/]+\/([^/]+)\.md$/.exec(p);
  if (page) return scripts.article(page[1] ?? '');
  const index = /^indexes\/(.+)\.md$/.exec(p);
  return index ? scripts.index(index[1] ?? '') : undefined;
}

/** The page's first menu line with a link to its other edition at the end. */
function withEditionLink(body: string, from: string, to: string, other: Script): string {
  const label = other === 'zh-Hant' ? '繁體' : '简体';
  return body.replace(/^(#### \[.*)$/m, (line) => `${line}${SEP}[${label}](${relativeLink(from, to)})`);
}

function editionPage(
  body: string,
  original: string,
  script: Script,
  edition: Script,
  scripts: PageScripts,
  config: MirrorConfig,
): { path: string; body: string } {
  const convert = toScript(edition, config.editions.traditional);
  const at = `${editionPrefix(edition)}/${original}`;
  /** A link of the original page, made to work from the edition, into the edition where there is one. */
  const move = (dest: string): string => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(dest) || dest.startsWith('#') || dest.startsWith('//') || dest === '') return dest;
    const [pathPart = '', query = ''] = dest.split(/(?=[?#])/);
    let target: string;
    try {
      target = new URL(decodeURIComponent(pathPart), `file:///m/${original}`).pathname.slice('/m/'.length);
      target = decodeURIComponent(target);
    } catch {
      return dest;
    }
    const ts = scriptOfPath(scripts, target);
    const placed = ts && ts !== edition ? `${editionPrefix(edition)}/${target}` : target;
    return `${relativeLink(at, placed)}${query}`;
  };
  const out: string[] = [];
  let last = 0;
  for (const m of body.matchAll(PROTECTED)) {
    out.push(convert(body.slice(last, m.index)));
    if (m[1]) out.push(`](${move(m[1].slice(2, -1))})`);
    else if (m[2]) {
      const eq = m[2].indexOf('="');
      out.push(`${m[2].slice(0, eq)}="${move(m[2].slice(eq + 2, -1))}"`);
    }
    // The machine-readable comment stays on the original only.
    last = (m.index ?? 0) + m[0].length;
  }
  out.push(convert(body.slice(last)));
  const converted = withEditionLink(out.join(''), at, original, script);
  return { path: at, body: converted };
}
