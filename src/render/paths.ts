/** Where each kind of file lives in the mirror, and how pages link to each other. */

export const HOME_PATH = 'README.md';

export function pagePath(channel: string, id: string): string {
  return `pages/${channel}/${id}.md`;
}

export function qrPath(channel: string, id: string): string {
  return `${pagePath(channel, id)}.png`;
}

export function indexPath(name: string): string {
  return `indexes/${name}.md`;
}

/**
 * Encode the characters that would end or confuse a Markdown link destination
 * (space, parentheses, angle brackets, `%`, `?`, `#`, and `&`, which would start an
 * entity), keeping CJK readable: GitHub resolves `indexes/E国际新闻.md` as it is.
 * encodeURIComponent leaves `(`, `)` and `'` as they are, so those are done by hand:
 * an unbalanced `(` in a destination ends the link.
 */
export function encodeLinkPath(p: string): string {
  return p.replace(/[\s()<>%?#\\[\]"'`&]/g, (c) =>
    encodeURIComponent(c).replace(/[()']/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`),
  );
}

/** A relative link from the file at `from` to the file at `to`, both mirror paths. */
export function relativeLink(from: string, to: string, token?: string): string {
  const depth = from.split('/').length - 1;
  const up = '../'.repeat(depth);
  return `${up}${encodeLinkPath(to)}${token ? `?${token}` : ''}`;
}

/** `t=MMDDHHMM` (UTC) of a time: the cache-busting token of index and home links. */
export function timeToken(iso: string | undefined): string {
  const d = iso ? new Date(iso) : new Date(0);
  const p = (n: number) => String(n).padStart(2, '0');
  return `t=${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

/** Public URL of a mirror path on the git host (for share links and QR codes). */
export function publicUrl(base: string, p: string): string {
  return `${base.replace(/\/+$/, '')}/${p.split('/').map(encodeURIComponent).join('/')}`;
}
