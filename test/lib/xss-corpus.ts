/**
 * The attacks of the shared corpus's feedparser-sanitize feeds (`corpus/xss/feedparser-sanitize`),
 * read in place: each file is a feed whose content, description, summary or title carries one
 * vector, escaped or in CDATA. Returns the vector as HTML, with the file it came from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function feedparserVectors(xssDir: string): { file: string; html: string }[] {
  const dir = path.join(xssDir, 'feedparser-sanitize');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .flatMap((file) => {
      const xml = readFileSync(path.join(dir, file), 'utf8');
      const m = /<(content|description|summary|title|tagline|subtitle)\b[^>]*>([\s\S]*?)<\/\1>/.exec(
        xml.replace(/<!--[\s\S]*?-->/, ''),
      );
      if (!m?.[2]) return [];
      const inner = m[2].replace(/^<!\[CDATA\[([\s\S]*)\]\]>$/, '$1');
      const html = inner
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
      return [{ file, html }];
    });
}
