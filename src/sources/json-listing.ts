import { compileUserPattern, type UserPattern } from '../config/patterns.js';
import { MirrorError } from '../errors.js';
import type { FeedItem } from '../types.js';
import { createDateParser } from './dates.js';
import { absoluteHttpUrl, cleanTitle, withoutFragment } from './text.js';

export interface JsonListingOptions {
  /** Regex whose first group captures the array inside a script; omitted for a pure JSON body. */
  extract?: string | undefined;
  /** Which index of each row holds what. */
  fields: { title: number; date: number; path: number };
}

/**
 * Reads a listing published as rows of an array, e.g. `var list = [[id, title, date, path], ...];`
 * inside a script, or a JSON body. Rows that are not arrays or lack a usable path are
 * skipped; the first row for a URL wins.
 */
export function parseJsonListing(
  text: string,
  pageUrl: string,
  opts: JsonListingOptions,
  timezone: string,
): FeedItem[] {
  const rows = readRows(extractArray(text, pageUrl, opts.extract), pageUrl);
  const parseDate = createDateParser(timezone);
  const items: FeedItem[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    const path = row[opts.fields.path];
    const url = typeof path === 'string' ? withoutFragment(absoluteHttpUrl(path, pageUrl)) : undefined;
    if (!url || seen.has(url)) continue;
    seen.add(url);
    items.push({ url, title: cleanTitle(row[opts.fields.title]), published: dateOf(row[opts.fields.date], parseDate) });
  }
  return items;
}

function extractArray(text: string, pageUrl: string, extract: string | undefined): string {
  if (extract === undefined) return text;
  let re: UserPattern;
  try {
    // dotAll: the array usually spans lines, and operators write `.*?` expecting it to cross them.
    re = compileUserPattern(extract, { dotAll: true });
  } catch (err) {
    throw new MirrorError('ListingParse', `invalid jsonListing.extract regex: ${extract}`, {
      cause: err,
      hint: 'fix the regular expression under `jsonListing.extract` in the config',
    });
  }
  const m = re.exec(text);
  if (m?.[1] === undefined) {
    throw new MirrorError('ListingParse', `jsonListing.extract found no array in ${pageUrl}`, {
      hint: 'the page layout may have changed; check the regex against the page source (its first group must capture the array)',
    });
  }
  return m[1];
}

function readRows(source: string, pageUrl: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (strictErr) {
    try {
      value = JSON.parse(jsToJson(source));
    } catch {
      throw new MirrorError('ListingParse', `the listing of ${pageUrl} is not a JSON array`, {
        cause: strictErr,
        hint: 'check jsonListing.extract: its first group must capture exactly the array',
      });
    }
  }
  if (!Array.isArray(value)) {
    throw new MirrorError('ListingParse', `the listing of ${pageUrl} is not an array`, {
      hint: 'point jsonListing.extract at the array of rows',
    });
  }
  return value;
}

/**
 * Scripts write array literals, not JSON: single-quoted strings and trailing commas.
 * Rewrites just those two, string-aware, so a comma or quote inside a title survives.
 */
function jsToJson(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '"' || c === "'") {
      let s = '';
      let j = i + 1;
      for (; j < src.length && src[j] !== c; j++) {
        if (src[j] === '\\') {
          const next = src[j + 1] ?? '';
          s += next === "'" ? "'" : `\\${next}`;
          j++;
        } else if (src[j] === '"') {
          s += '\\"';
        } else {
          s += src[j];
        }
      }
      out += `"${s}"`;
      i = j;
    } else if (c === ',' && /^\s*[\]}]/.test(src.slice(i + 1, i + 64))) {
      // trailing comma: drop it
    } else {
      out += c;
    }
  }
  return out;
}

function dateOf(value: unknown, parseDate: (raw: string | undefined) => string | undefined): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return epoch(value);
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  return /^\d{10}(?:\d{3})?$/.test(v) ? epoch(Number(v)) : parseDate(v);
}

/** Unix time in seconds or milliseconds (10 or 13 digits in practice). */
function epoch(n: number): string | undefined {
  const ms = n > 1e11 ? n : n * 1000;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
