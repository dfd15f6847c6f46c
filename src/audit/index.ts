/**
 * `newsmirror audit`: every resource a reader's browser would load from a host
 * that is not the mirror's own. Links (`<a href>`, `[text](url)`) are navigations,
 * not loads, and are not listed; images, scripts, frames, media and styles are.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'cheerio';
import { marked } from 'marked';

export interface OutsideResource {
  /** Mirror path of the page that loads it. */
  file: string;
  /** The tag and attribute, e.g. `img[src]`, or `markdown image`. */
  kind: string;
  url: string;
  host: string;
}

export interface AuditResult {
  files: number;
  resources: number;
  outside: OutsideResource[];
}

const LOADING: [string, string][] = [
  ['img', 'src'],
  ['img', 'srcset'],
  ['source', 'src'],
  ['source', 'srcset'],
  ['script', 'src'],
  ['iframe', 'src'],
  ['frame', 'src'],
  ['embed', 'src'],
  ['object', 'data'],
  ['video', 'src'],
  ['video', 'poster'],
  ['audio', 'src'],
  ['track', 'src'],
  ['link', 'href'],
  ['input', 'src'],
  ['image', 'href'],
  ['use', 'href'],
];

function listPages(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      if (name === '.git' || name === 'node_modules') continue;
      const r = rel ? `${rel}/${name}` : name;
      // Links are not followed: `assets -> ..` would walk the disk in a loop, and a link to a
      // file outside is not a page the mirror serves.
      const st = lstatSync(path.join(dir, r));
      if (st.isDirectory()) walk(r);
      else if (st.isFile() && /\.(md|html?)$/i.test(name)) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

function urlsOf(value: string, attr: string): string[] {
  if (attr !== 'srcset') return [value.trim()];
  return value
    .split(',')
    .map((c) => c.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** Audit the mirror folder `dir`; `ownHosts` are the hosts that serve the mirror itself. */
export function auditMirror(dir: string, ownHosts: readonly string[]): AuditResult {
  const own = new Set(ownHosts.map((h) => h.toLowerCase()));
  const result: AuditResult = { files: 0, resources: 0, outside: [] };
  for (const file of listPages(dir)) {
    result.files++;
    const text = readFileSync(path.join(dir, file), 'utf8');
    // Markdown is rendered the way a Markdown viewer would (HTML blocks pass through),
    // so `![x](url)` images and raw `<img>` tags are both seen as loads.
    const html = file.endsWith('.md') ? (marked.parse(text, { async: false }) as string) : text;
    const $ = load(html);
    for (const [tag, attr] of LOADING) {
      $(`${tag}[${attr}]`).each((_, el) => {
        // A canonical or alternate link names an address; the browser loads nothing from it.
        if (tag === 'link' && /(?:^|\s)(?:canonical|alternate)(?:\s|$)/i.test($(el).attr('rel') ?? '')) return;
        const value = $(el).attr(attr) ?? '';
        for (const url of urlsOf(value, attr)) {
          result.resources++;
          const host = hostOf(url);
          if (host !== undefined && !own.has(host)) {
            result.outside.push({ file, kind: `${tag}[${attr}]`, url, host });
          }
        }
      });
    }
  }
  return result;
}

/** The host a URL loads from, or undefined for a relative URL (the mirror's own host). */
function hostOf(url: string): string | undefined {
  if (url.startsWith('//')) return hostOf(`https:${url}`);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return undefined;
  try {
    const u = new URL(url);
    // data: and blob: load nothing from a host; javascript: never survives the sanitiser.
    if (u.protocol === 'data:' || u.protocol === 'blob:') return undefined;
    return u.host.toLowerCase() || u.protocol;
  } catch {
    return url;
  }
}
