/**
 * What in a Markdown page a reader's renderer would execute. Markdown passes raw HTML
 * through, so the page is read the way a renderer reads it: code spans and fenced blocks
 * are text, a backslash-escaped character is text, the rest of `<…>` is HTML, which a
 * real parser (cheerio) reads, so that attributes are judged as a browser sees them, not
 * as a regex guesses. Link and image destinations (`[x](dest)`, `<scheme:…>`, `[x]: dest`)
 * are judged after entity decoding, as CommonMark does.
 */
import { load } from 'cheerio';

const BANNED_TAGS = new Set(
  (
    'script iframe frame frameset object embed applet style form input button textarea select option ' +
    'base meta link svg math template noscript xmp plaintext isindex dialog portal'
  ).split(' '),
);
const URL_ATTRS = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'data',
  'poster',
  'background',
  'srcset',
  'cite',
  'dynsrc',
  'lowsrc',
  'ping',
  'codebase',
]);

/** A URL that would run script or render attacker HTML when followed or loaded. */
export function dangerousUrl(value: string): boolean {
  // Browsers drop control characters and whitespace inside the scheme.
  const squeezed = value.replace(/[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\u2028\u2029\ufeff]+/g, '').toLowerCase();
  return /^(?:javascript|vbscript|livescript|mocha|data):/.test(squeezed);
}

function decodeEntities(s: string): string {
  return load(`<a title="${s.replace(/"/g, '&quot;')}"></a>`)('a').attr('title') ?? s;
}

/**
 * The page as a renderer's HTML layer sees it: code spans and fences removed, escaped
 * characters turned into entities (text), HTML comments removed.
 */
function renderable(markdown: string): string {
  const escaped = (m: string) => `&#${m.charCodeAt(1)};`;
  // An escaped backtick opens no code span; code spans do not cross a blank line.
  let text = markdown.replace(/\\`/g, escaped);
  text = text.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
  text = text.replace(/(`+)(?!`)((?:(?!\n[ \t]*\n)[\s\S])*?[^`])\1(?!`)/g, '');
  return text.replace(/\\[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/g, escaped);
}

const MD_LINK = /!?\[(?:\\.|[^\]\\])*\]\(\s*(<[^>]*>|[^)\s]+)/g;

/** Where the links and images of a Markdown page point: Markdown destinations and HTML href/src. */
export function linkTargets(markdown: string): string[] {
  const text = renderable(markdown).replace(/<!--[\s\S]*?-->/g, '');
  const out: string[] = [];
  for (const m of text.matchAll(MD_LINK)) out.push(decodeEntities((m[1] ?? '').replace(/^<|>$/g, '')));
  const $ = load(text);
  for (const el of $('[href], [src]').toArray()) {
    if (el.type !== 'tag') continue;
    for (const a of ['href', 'src']) if (el.attribs[a] !== undefined) out.push(el.attribs[a] ?? '');
  }
  return out;
}

/** The problems in one Markdown page; [] when it is safe. */
export function unsafeIn(markdown: string): string[] {
  const found: string[] = [];
  let text = renderable(markdown);

  const $ = load(text);
  for (const el of $('*').toArray()) {
    if (el.type !== 'tag' && el.type !== 'script' && el.type !== 'style') continue;
    const tag = el.name.toLowerCase();
    if (BANNED_TAGS.has(tag)) found.push(`<${tag}> element`);
    for (const [name, value] of Object.entries(el.attribs)) {
      const n = name.toLowerCase();
      if (n.startsWith('on')) found.push(`${tag}[${n}] handler`);
      if (
        URL_ATTRS.has(n) &&
        (n === 'srcset' ? value.split(',').some((v) => dangerousUrl(v.trim())) : dangerousUrl(value))
      ) {
        found.push(`${tag}[${n}]=${value.slice(0, 60)}`);
      }
      if (n === 'style' && /expression\s*\(|javascript:|behaviou?r\s*:|-moz-binding|url\s*\(/i.test(value)) {
        found.push(`${tag}[style]=${value.slice(0, 60)}`);
      }
      if (n === 'http-equiv' || n === 'srcdoc') found.push(`${tag}[${n}]`);
    }
  }
  // Markdown destinations: inline links and images, autolinks, reference definitions.
  // An HTML comment is an HTML block: nothing in it is rendered.
  text = text.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of text.matchAll(MD_LINK)) {
    const dest = decodeEntities((m[1] ?? '').replace(/^<|>$/g, ''));
    if (dangerousUrl(dest)) found.push(`markdown link to ${dest.slice(0, 60)}`);
  }
  for (const m of text.matchAll(/<([a-z][a-z0-9+.-]{1,31}:[^\s<>]*)>/gi)) {
    if (dangerousUrl(m[1] ?? '')) found.push(`autolink ${m[1]?.slice(0, 60)}`);
  }
  for (const m of text.matchAll(/^ {0,3}\[(?:\\.|[^\]\\])+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
    const dest = decodeEntities(m[1] ?? '');
    if (dangerousUrl(dest)) found.push(`link definition ${dest.slice(0, 60)}`);
  }
  return found;
}
