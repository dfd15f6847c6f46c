import { MirrorError } from '../errors.js';
import { absoluteHttpUrl, collapse } from './text.js';

export interface Pick {
  url: string;
  title: string;
}

/**
 * Reads the operator's curated picks: CSV rows of `url,title` (RFC 4180 quoting: a field
 * in double quotes may hold commas, newlines and doubled `""` quotes). An optional header
 * row `url,title`, blank lines and lines starting with `#` are skipped. A title that holds
 * unquoted commas is taken whole: the URL is always the first field, so nothing is ambiguous.
 * A later row for the same URL is dropped. With `base`, a URL may also be a path (`/a.html`). Errors name the line, since a person edits this file.
 */
export function parsePicks(csv: string, base?: string): Pick[] {
  const picks: Pick[] = [];
  const seen = new Set<string>();
  let headerAllowed = true;
  for (const { line, fields } of readRows(csv.replace(/^\uFEFF/, ''))) {
    const rawUrl = (fields[0] ?? '').trim();
    const title = collapse(fields.slice(1).join(','));
    if (headerAllowed && rawUrl.toLowerCase() === 'url' && title.toLowerCase() === 'title') {
      headerAllowed = false;
      continue;
    }
    headerAllowed = false;
    // A root-relative path (`/news/1.html`) resolves against `base`: the first outlet's origin.
    const url =
      /^https?:\/\//i.test(rawUrl) || (base !== undefined && rawUrl.startsWith('/') && !rawUrl.startsWith('//'))
        ? absoluteHttpUrl(rawUrl, base)
        : undefined;
    if (!url)
      throw picksError(line, `"${rawUrl}" is not an absolute http(s) URL${base ? ' or a path starting with /' : ''}`);
    if (title === '') throw picksError(line, `no title for ${url}`);
    if (seen.has(url)) continue;
    seen.add(url);
    picks.push({ url, title });
  }
  return picks;
}

function picksError(line: number, what: string): MirrorError {
  return new MirrorError('PicksParse', `line ${line}: ${what}`, {
    hint: 'each line of the picks file is `url,title`; quote a title that contains a comma or a quote ("like ""this""")',
  });
}

interface Row {
  /** 1-based line where the row starts. */
  line: number;
  fields: string[];
}

function* readRows(csv: string): Generator<Row> {
  let i = 0;
  let line = 1;
  while (i < csv.length) {
    const start = line;
    const lineEnd = csv.indexOf('\n', i);
    const raw = csv.slice(i, lineEnd === -1 ? csv.length : lineEnd);
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) {
      i = lineEnd === -1 ? csv.length : lineEnd + 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    let field = '';
    for (;;) {
      const c = csv[i];
      if (c === undefined || c === '\n' || (c === '\r' && csv[i + 1] === '\n')) {
        fields.push(field);
        i += c === undefined ? 0 : c === '\r' ? 2 : 1;
        line++;
        break;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        i++;
      } else if (c === '"' && field.trim() === '') {
        field = '';
        i++;
        for (;;) {
          const q = csv[i];
          if (q === undefined) throw picksError(start, 'a quoted field is never closed');
          if (q === '"') {
            if (csv[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (q === '\n') line++;
          field += q;
          i++;
        }
        // Only spaces may follow the closing quote before the next separator.
        while (csv[i] === ' ' || csv[i] === '\t') i++;
        const next = csv[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw picksError(start, 'text after a closing quote (double a quote inside a quoted field: "")');
        }
      } else {
        field += c;
        i++;
      }
    }
    yield { line: start, fields };
  }
}
