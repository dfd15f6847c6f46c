import { parseFeedDate } from '../sources/dates.js';
import type { DatePrecision } from '../types.js';
import type { Element } from './dom.js';

/**
 * Dates that the page's structured metadata does not give, and how precise a date is.
 *
 * Some pages state their date only in a script: a variable (`pubtime:'2019-09-23 07:48'` on
 * qq.com, `var publishDate = "20200803071652"`), or a field of a JSON state blob
 * (`window.__INITIAL_STATE__ = {…"publish_time":"…"}`, JSON-LD too malformed to parse).
 * Every pattern here is linear in the text, with bounded quantifiers, and the text scanned
 * is capped: scripts are the largest and least controlled text of a page.
 */

/** At most this much script text is scanned per page (state blobs can run to megabytes; the article's own date comes early). */
export const SCRIPT_SCAN_CAP = 512 * 1024;
/** At most this many candidate values are tried per page. */
const MAX_CANDIDATES = 32;

/**
 * A date variable or field: the key (`pubtime`, `pub_time`, `pubDate`, `publishTime`,
 * `publish_date`, `publishedAt`, `datePublished`, `ptime`, `pagepubtime`; any case, quoted or
 * not), `:` or `=`, then a quoted value (JSON's `\/` allowed) or a Unix time in seconds or ms.
 * Each alternative is bounded, so each start position costs a bounded number of steps.
 */
const SCRIPT_DATE =
  /(?<![\w$])["']?(?:page)?(?:pub(?:lish(?:ed)?)?_?(?:time|date|at)|date_?published|ptime)["']?\s{0,8}[:=]\s{0,8}(?:"((?:[^"\\\n]|\\\/){4,48})"|'((?:[^'\\\n]|\\\/){4,48})'|(\d{13}|\d{10})(?!\d))/giu;

/** A time of day in a date text: `07:48`, `7：48`, `7时48分`, `07點`. */
const HAS_TIME = /\d\s{0,2}(?:[:：]\s{0,2}\d|[时時點点])/u;
/** `YYYYMMDD`, `YYYYMMDDhhmm`, `YYYYMMDDhhmmss`: dates some CMSs write without separators. */
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;
/** Dates before this are no article's publication date (a zero, a placeholder, a misread number). */
const EARLIEST = Date.UTC(1990, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

export interface DatedValue {
  /** ISO 8601 UTC. */
  published?: string | undefined;
  /** The source names only a day (read as local midnight). */
  publishedDayOnly?: boolean | undefined;
}

/** The text of a `<script>` element, as the parser left it (one text node, usually). */
function scriptText(el: Element): string {
  let out = '';
  for (const kid of el.children) if ('data' in kid && typeof kid.data === 'string') out += kid.data;
  return out;
}

/**
 * The first date variable of the page's inline scripts (JSON-LD included: a blob too broken
 * to parse is still scanned), in document order, read in `timezone` when it carries no
 * offset; at most SCRIPT_SCAN_CAP characters of script are read.
 */
export function scriptDate(scripts: readonly Element[], timezone: string): DatedValue {
  let budget = SCRIPT_SCAN_CAP;
  let tried = 0;
  for (const el of scripts) {
    if (budget <= 0 || tried >= MAX_CANDIDATES) break;
    if (el.attribs.src !== undefined) continue;
    const text = scriptText(el).slice(0, budget);
    budget -= text.length;
    SCRIPT_DATE.lastIndex = 0;
    for (let m = SCRIPT_DATE.exec(text); m !== null && tried < MAX_CANDIDATES; m = SCRIPT_DATE.exec(text)) {
      tried++;
      const found =
        m[3] === undefined ? scriptValue((m[1] ?? m[2] ?? '').replace(/\\\//g, '/'), timezone) : epoch(m[3]);
      if (found) return found;
    }
  }
  return {};
}

function plausible(ms: number): boolean {
  return ms >= EARLIEST && ms < LATEST;
}

/** A Unix time in seconds (10 digits) or milliseconds (13). */
function epoch(digits: string): DatedValue | undefined {
  const ms = digits.length === 13 ? Number(digits) : Number(digits) * 1000;
  return plausible(ms) ? { published: new Date(ms).toISOString(), publishedDayOnly: false } : undefined;
}

function scriptValue(raw: string, timezone: string): DatedValue | undefined {
  const value = raw.trim();
  const compact = COMPACT.exec(value);
  const text = compact
    ? `${compact[1]}-${compact[2]}-${compact[3]}${compact[4] ? ` ${compact[4]}:${compact[5]}:${compact[6] ?? '00'}` : ''}`
    : value;
  const published = parseFeedDate(text, timezone);
  if (published === undefined || !plausible(Date.parse(published))) return undefined;
  return { published, publishedDayOnly: namesOnlyDay(text) };
}

/** A date text with no time of day in it (`2024-04-24`, `2024年4月24日`, `April 24, 2024`). Reads at most 300 characters. */
export function namesOnlyDay(text: string): boolean {
  return !HAS_TIME.test(text.slice(0, 300));
}

const midnightFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * True when `iso` falls on midnight to the second in `timezone`: how a day-only date of a feed
 * or listing (`<pubDate>` with `00:00:00`, `2024-04-24` in a JSON row) arrives, already parsed.
 * A story really published at midnight is then shown as its day, which says no less.
 */
export function atLocalMidnight(iso: string | undefined, timezone: string): boolean {
  if (iso === undefined) return false;
  const t = Date.parse(iso);
  if (Number.isNaN(t) || t % 1000 !== 0) return false;
  let fmt = midnightFormats.get(timezone);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-GB', {
        timeZone: timezone,
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      return false;
    }
    if (midnightFormats.size >= 64) midnightFormats.clear();
    midnightFormats.set(timezone, fmt);
  }
  return fmt.format(t) === '00:00:00';
}

/** `day` (a day-only date, read as local midnight) and `instant` fall on the same local day. */
function sameDay(day: string, instant: string): boolean {
  const d = Date.parse(day);
  const t = Date.parse(instant);
  return t >= d && t < d + 86_400_000;
}

/**
 * The article's date from its sources in the order of trust (`METADATA_TRUST`): the first that
 * has one wins, except that a date naming only a day yields to a less trusted source's time on
 * that same day (more precise, not a contradiction). `none` when no source dates the article.
 */
export function pickDate(sources: readonly DatedValue[]): { published?: string | undefined; precision: DatePrecision } {
  let chosen: DatedValue | undefined;
  for (const s of sources) {
    if (!s.published) continue;
    if (chosen === undefined) {
      chosen = s;
      if (!s.publishedDayOnly) break;
    } else if (!s.publishedDayOnly && chosen.published && sameDay(chosen.published, s.published)) {
      return { published: s.published, precision: 'time' };
    }
  }
  if (chosen?.published === undefined) return { precision: 'none' };
  return { published: chosen.published, precision: chosen.publishedDayOnly ? 'day' : 'time' };
}
