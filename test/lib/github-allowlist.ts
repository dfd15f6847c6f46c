/**
 * The expected safe set for sanitised article HTML, written down here independently of the
 * product's allowlist (src/clean/allowlist.ts): GitHub's html-pipeline `SanitizationFilter`
 * default config as /work/shared/STACK.md §3 lists it. A test that walks the cleaner's output
 * with this oracle fails when the product lets through anything GitHub would strip.
 */
import { load } from 'cheerio';

/** html-pipeline's allowed elements. */
export const GITHUB_ELEMENTS: ReadonlySet<string> = new Set(
  (
    'h1 h2 h3 h4 h5 h6 br b i strong em a pre code img tt div ins del sup sub p ol ul table thead tbody tfoot ' +
    'blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s strike summary details caption figure ' +
    'figcaption abbr bdo cite dfn mark small span time wbr'
  ).split(' '),
);

/** Attributes allowed on one element only. */
export const GITHUB_ELEMENT_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  img: ['src', 'longdesc'],
  div: ['itemscope', 'itemtype'],
  blockquote: ['cite'],
  del: ['cite'],
  ins: ['cite'],
  q: ['cite'],
};

/** html-pipeline's global attribute list (no `style`, no event handler, no `class`). */
export const GITHUB_GLOBAL_ATTRIBUTES: ReadonlySet<string> = new Set(
  (
    'abbr accept accept-charset accesskey action align alt aria-describedby aria-hidden aria-label ' +
    'aria-labelledby axis border cellpadding cellspacing char charoff charset checked clear cols colspan ' +
    'color compact coords datetime dir disabled enctype for frame headers height hreflang hspace ismap label ' +
    'lang maxlength media method multiple name nohref noshade nowrap open progress prompt readonly rel rev ' +
    'role rows rowspan rules scope selected shape size span start summary tabindex target title type usemap ' +
    'valign value vspace width itemprop'
  ).split(' '),
);

/**
 * URL schemes per element and attribute. GitHub also allows relative URLs; the mirror's pages
 * are read on several hosts, so the cleaner must make every URL absolute: none is allowed here.
 */
export const GITHUB_SCHEMES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  a: { href: ['http', 'https', 'mailto'] },
  img: { src: ['http', 'https'], longdesc: ['http', 'https'] },
  blockquote: { cite: ['http', 'https'] },
  del: { cite: ['http', 'https'] },
  ins: { cite: ['http', 'https'] },
  q: { cite: ['http', 'https'] },
};

/**
 * Everything in `html` outside the safe set: elements, attributes (per element), and URLs whose
 * scheme is not allowed for that attribute (browsers ignore tabs, newlines and leading controls in
 * a scheme: `java\tscript:` counts as `javascript:`). Parsed with cheerio (htmlparser2), not with
 * the product's DOM helpers.
 */
export function unsafeParts(html: string): string[] {
  const found: string[] = [];
  const $ = load(html, { xml: false }, false);
  for (const el of $('*').toArray()) {
    if (el.type !== 'tag') continue;
    const tag = el.tagName.toLowerCase();
    if (!GITHUB_ELEMENTS.has(tag)) found.push(`element <${tag}>`);
    const own = GITHUB_ELEMENT_ATTRIBUTES[tag] ?? [];
    for (const [name, value] of Object.entries(el.attribs)) {
      const attr = name.toLowerCase();
      if (!own.includes(attr) && !GITHUB_GLOBAL_ATTRIBUTES.has(attr)) found.push(`attribute ${tag}[${attr}]`);
      const schemes = GITHUB_SCHEMES[tag]?.[attr];
      if (schemes) {
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value.replace(/[\u0000-\u0020\u007f]+/g, ''))?.[1];
        if (!scheme || !schemes.includes(scheme.toLowerCase())) found.push(`url ${tag}[${attr}]=${value}`);
      }
    }
  }
  return found;
}
