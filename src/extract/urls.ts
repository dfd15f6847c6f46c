/** URL helpers shared by extract (resolve against the page) and clean (resolve, pick lazy sources). */

/** The schemes an Article may link to (GitHub's html-pipeline allowlist). */
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** Absolute URL of `href` against `base` when it is http(s) or mailto, else undefined. */
export function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  try {
    const u = new URL(h, base);
    return LINK_SCHEMES.has(u.protocol) ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Absolute http(s) URL (images must load over the web: no data:, no mailto:). */
export function resolveHttpUrl(href: string | undefined, base: string | undefined): string | undefined {
  const u = resolveUrl(href, base);
  return u !== undefined && /^https?:/i.test(u) ? u : undefined;
}

export interface SrcsetCandidate {
  url: string;
  width?: number | undefined;
  density?: number | undefined;
}

/**
 * Candidates of a `srcset`, following the HTML parsing algorithm closely enough for real
 * pages: a URL runs to the next whitespace (it may contain commas, as CDN URLs such as
 * `w_400,h_300` do), a trailing comma ends a candidate without descriptors.
 */
export function parseSrcset(srcset: string): SrcsetCandidate[] {
  const out: SrcsetCandidate[] = [];
  const s = srcset;
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /[\s,]/.test(s.charAt(i))) i++;
    if (i >= s.length) break;
    let j = i;
    while (j < s.length && !/\s/.test(s.charAt(j))) j++;
    let url = s.slice(i, j);
    let descriptor = '';
    if (url.endsWith(',')) {
      // A loop, not `/,+$/`: that regex restarts at every comma of a long run (quadratic).
      let end = url.length;
      while (end > 0 && url.charCodeAt(end - 1) === 0x2c) end--;
      url = url.slice(0, end);
    } else {
      let k = j;
      while (k < s.length && s.charAt(k) !== ',') k++;
      descriptor = s.slice(j, k).trim();
      j = k + 1;
    }
    i = j;
    if (url === '') continue;
    const w = descriptor.match(/^(\d+)w$/);
    // Not `\d*\.?\d+`: without a dot it can split a run of digits anywhere (quadratic).
    const x = descriptor.match(/^(\d+(?:\.\d+)?|\.\d+)x$/);
    out.push({ url, width: w ? Number(w[1]) : undefined, density: x ? Number(x[1]) : undefined });
  }
  return out;
}

/** The largest candidate by width, then density; the first one when none says. */
export function largestCandidate(srcset: string): string | undefined {
  const c = parseSrcset(srcset);
  if (c.length === 0) return undefined;
  let best = c[0];
  for (const cand of c) {
    const a = cand.width ?? (cand.density ?? 0) * 1000;
    const b = best?.width ?? (best?.density ?? 0) * 1000;
    if (a > b) best = cand;
  }
  return best?.url;
}

/** `srcset` with every candidate URL resolved against `base` (unresolvable ones dropped). */
export function resolveSrcset(srcset: string, base: string): string {
  return parseSrcset(srcset)
    .map((c) => {
      const u = resolveHttpUrl(c.url, base);
      if (u === undefined) return undefined;
      const d = c.width !== undefined ? ` ${c.width}w` : c.density !== undefined ? ` ${c.density}x` : '';
      return u + d;
    })
    .filter((x): x is string => x !== undefined)
    .join(', ');
}

/** Attributes lazy-loading scripts keep the real image URL in, most common first. */
export const LAZY_SRC_ATTRS: readonly string[] = [
  'data-src',
  'data-original',
  'data-lazy-src',
  'data-actualsrc',
  'data-original-src',
  'data-echo',
];
const LAZY_SRCSET_ATTRS: readonly string[] = ['srcset', 'data-srcset', 'data-lazy-srcset'];

/** A `src` that only holds the place of the real image: data: URIs, blank/spacer/loading GIFs. */
export function isPlaceholderSrc(src: string): boolean {
  const s = src.trim();
  return (
    s === '' ||
    s === '#' ||
    /^(?:data|about|javascript):/i.test(s) ||
    /(?:^|[/_.-])(?:blank|spacer|placeholder|pixel|transparent|lazy(?:load)?|loading|empty|grey|gray|1x1)\.(?:gif|png|svg|jpe?g|webp)(?:$|[?#])/i.test(
      s,
    )
  );
}

/**
 * The real source of an image: the rule's lazy attributes, the common lazy attributes,
 * `src` unless it is a placeholder, then the largest `srcset` candidate. Absolute http(s),
 * or undefined when the element names no loadable image.
 */
export function imageSource(
  attribs: Readonly<Record<string, string | undefined>>,
  base: string,
  ruleLazyAttrs: readonly string[] = [],
): string | undefined {
  for (const name of [...ruleLazyAttrs, ...LAZY_SRC_ATTRS]) {
    const v = attribs[name];
    // A lazy attribute may be a flag (`data-src="true"`): only URL-shaped values count.
    if (v !== undefined && /[/.]/.test(v) && !isPlaceholderSrc(v)) {
      // Some sites put a srcset-like list in data-src.
      const u = resolveHttpUrl(/\s\d+[wx](?:,|$)/.test(v) ? largestCandidate(v) : v, base);
      if (u !== undefined) return u;
    }
  }
  const src = attribs.src;
  if (src !== undefined && !isPlaceholderSrc(src)) {
    const u = resolveHttpUrl(src, base);
    if (u !== undefined) return u;
  }
  for (const name of LAZY_SRCSET_ATTRS) {
    const v = attribs[name];
    if (v !== undefined) {
      const u = resolveHttpUrl(largestCandidate(v), base);
      if (u !== undefined) return u;
    }
  }
  return undefined;
}
