/** Small Markdown/HTML text helpers shared by the page renderers. */

/**
 * Make plain text safe inside a Markdown line (a heading, a list item, a link
 * label): one line, no HTML, no link or emphasis syntax, no table pipes.
 */
export function mdText(s: string): string {
  return (
    s
      .replace(/[\r\n\u2028\u2029]+/g, ' ')
      // Spacing collapses, but U+3000 stays: in a Chinese title it is content (issue 16.15).
      .replace(/[^\S\u3000]+/g, ' ')
      .trim()
      .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
      // Entities, not backslashes, for HTML: `&lt;script` can never become a tag.
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/^(\d+)\./, '$1\\.')
      .replace(/^-/, '\\-')
  );
}

/** Escape text for an HTML attribute or element body. */
export function htmlText(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** A URL that may go into a Markdown link destination: http(s) or relative only. */
export function safeHref(url: string): string | undefined {
  const trimmed = url.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      return new URL(trimmed).toString().replace(/[()<> ]/g, (c) => encodeURIComponent(c));
    } catch {
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) return undefined;
  return trimmed.replace(/[()<> ]/g, (c) => encodeURIComponent(c));
}

/** `[label](href)`, or the escaped label alone when the URL is not safe to link. */
export function mdLink(label: string, href: string): string {
  const safe = safeHref(href);
  return safe === undefined ? mdText(label) : `[${mdText(label)}](${safe})`;
}

/**
 * A JSON comment that machines read back (state rebuild). `--` and `>` are escaped
 * so the comment can never close early, whatever the title says.
 */
export function metaComment(kind: string, data: unknown): string {
  // U+2028/U+2029 too: JSON allows them raw, but they end a line for regexes (and editors).
  const json = JSON.stringify(data)
    .replace(/--/g, '-\\u002d')
    .replace(/>/g, '\\u003e')
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `<!-- newsmirror:${kind} ${json} -->`;
}

/** Parse a comment written by `metaComment`. */
export function readMetaComment(text: string, kind: string): unknown {
  // `s`: pages written before U+2028/U+2029 were escaped may hold them raw.
  const m = new RegExp(`<!-- newsmirror:${kind} (\\{.*?\\}) -->`, 's').exec(text);
  return m?.[1] ? JSON.parse(m[1]) : undefined;
}
