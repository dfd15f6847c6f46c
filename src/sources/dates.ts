import { MirrorError } from '../errors.js';
import { LIMITS } from './limits.js';

/** Zones whose sites write `CST` for China Standard Time (+08:00), not US Central. */
const CHINA_TIME_ZONES = new Set([
  'Asia/Shanghai',
  'Asia/Chongqing',
  'Asia/Chungking',
  'Asia/Harbin',
  'Asia/Urumqi',
  'Asia/Taipei',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'PRC',
  'ROC',
  'Hongkong',
]);

/** RFC 822 / RFC 2822 zone names, in minutes east of UTC. `CST` is decided by the site's zone. */
const ZONE_NAMES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  HKT: 480,
  JST: 540,
  KST: 540,
  BJT: 480,
};

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/**
 * Parses a date as feeds and listing pages write it, into ISO 8601 UTC
 * (`2026-11-23T02:00:00.000Z`), or undefined when it cannot be read.
 *
 * Dates without an offset are read in `timezone` (the outlet's IANA zone), never in the
 * machine's zone; `CST` is China Standard Time when the outlet is in China, Taiwan or
 * Hong Kong. Every normalising feed parser gets both wrong (STACK §1).
 */
export function parseFeedDate(raw: string | undefined, timezone: string): string | undefined {
  let parser = parsers.get(timezone);
  if (parser === undefined) {
    parser = createDateParser(timezone);
    // Zones come from the config and site rules, so there are few; the cap only bounds a misuse.
    if (parsers.size >= 64) parsers.clear();
    parsers.set(timezone, parser);
  }
  return parser(raw);
}

/** One parser per zone: building a zone's `Intl.DateTimeFormat` costs more than parsing a date. */
const parsers = new Map<string, (raw: string | undefined) => string | undefined>();

/**
 * The same parser bound to one zone. Use it for many dates: the zone's formatter is built
 * once per parser instead of once per date.
 */
export function createDateParser(timezone: string): (raw: string | undefined) => string | undefined {
  let formatter: Intl.DateTimeFormat | undefined;
  const zoneOffset = (utcMs: number): number => {
    formatter ??= zoneFormatter(timezone);
    return offsetAt(formatter, utcMs);
  };
  const cstMinutes = CHINA_TIME_ZONES.has(timezone) ? 480 : -360;

  // NaN (not undefined) for a recognised form with impossible values: it stops the chain,
  // so Date.parse never gets to roll 31 February over into March.
  const inZone = (f: Fields, zone: string | undefined): number => {
    const naive = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.ms);
    if (!validFields(f, naive)) return Number.NaN;
    if (zone !== undefined && zone !== '') {
      const minutes = zoneMinutes(zone, cstMinutes);
      return minutes === undefined ? Number.NaN : naive - minutes * 60_000;
    }
    // The zone's offset at the naive instant is right except within an hour of a DST change;
    // asking again at the corrected instant settles it.
    const first = naive - zoneOffset(naive);
    const second = naive - zoneOffset(first);
    return second;
  };

  return (raw) => {
    if (raw === undefined) return undefined;
    const s = normalise(raw);
    if (s === '') return undefined;
    const ms = parseChinese(s, inZone) ?? parseNumeric(s, inZone) ?? parseRfc822(s, inZone) ?? parseFallback(s, inZone);
    return ms === undefined || Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  };
}

type InZone = (f: Fields, zone: string | undefined) => number;

/**
 * Full-width digits and punctuation appear in Chinese dates; NBSPs in scraped ones. Cut to
 * `LIMITS.date` first: the date patterns below are linear only up to a run of spaces each.
 */
function normalise(raw: string): string {
  return raw
    .slice(0, LIMITS.date)
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim();
}

/** `2026年11月23日 10:00`, `2026年11月23日10时05分`, with an optional `北京时间`-style prefix. */
function parseChinese(s: string, inZone: InZone): number | undefined {
  const m = s.match(
    /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\D*?(上午|下午|晚上|凌晨|中午)?\s*(\d{1,2})\s*[:：时點点]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})\s*秒?)?)?/,
  );
  if (!m) return undefined;
  let hour = num(m[5]);
  const period = m[4];
  if ((period === '下午' || period === '晚上') && hour < 12) hour += 12;
  if (period === '凌晨' && hour === 12) hour = 0;
  return inZone(
    { year: num(m[1]), month: num(m[2]), day: num(m[3]), hour, minute: num(m[6]), second: num(m[7]), ms: 0 },
    undefined,
  );
}

/** ISO 8601 and the naive `YYYY-MM-DD HH:mm(:ss)` / `YYYY/MM/DD ...` / `YYYY.MM.DD` forms. */
function parseNumeric(s: string, inZone: InZone): number | undefined {
  const m = s.match(
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)?$/,
  );
  if (!m) return undefined;
  return inZone(
    {
      year: num(m[1]),
      month: num(m[2]),
      day: num(m[3]),
      hour: num(m[4]),
      minute: num(m[5]),
      second: num(m[6]),
      ms: m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0,
    },
    m[8],
  );
}

/** RFC 822 / 2822 (`Mon, 23 Nov 2026 10:00:00 +0800`), lenient about the weekday and the zone. */
function parseRfc822(s: string, inZone: InZone): number | undefined {
  const m = s.match(
    /^(?:[A-Za-z]+\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,})\.?[\s-]+(\d{2,4})(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(.+))?$/,
  );
  if (!m) return undefined;
  const month = MONTHS[(m[2] ?? '').slice(0, 3).toLowerCase()];
  if (month === undefined) return undefined;
  let year = num(m[3]);
  // RFC 2822 §4.3: two-digit years below 50 are 20xx.
  if ((m[3] ?? '').length === 2) year += year < 50 ? 2000 : 1900;
  return inZone(
    { year, month, day: num(m[1]), hour: num(m[4]), minute: num(m[5]), second: num(m[6]), ms: 0 },
    withoutComment(m[7]),
  );
}

/** The zone without its RFC 822 comment: `+0800 (CST)` → `+0800`. */
function withoutComment(zone: string | undefined): string | undefined {
  const open = zone?.indexOf('(') ?? -1;
  return zone !== undefined && open !== -1 && zone.endsWith(')') ? zone.slice(0, open).trimEnd() : zone;
}

function parseFallback(s: string, inZone: InZone): number | undefined {
  if (/(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC|UT)\b)\s*$/i.test(s)) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? undefined : ms;
  }
  // Date.parse reads a zone-less string in the machine's zone; read it as UTC to get the
  // wall clock, then place that wall clock in the outlet's zone.
  const wall = Date.parse(`${s} UTC`);
  if (Number.isNaN(wall)) return undefined;
  const d = new Date(wall);
  return inZone(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      ms: d.getUTCMilliseconds(),
    },
    undefined,
  );
}

/** Minutes east of UTC for `+0800`, `+08:00`, `+08`, `GMT+8`, `UTC`, `CST`... */
function zoneMinutes(zone: string, cstMinutes: number): number | undefined {
  const z = zone.trim().toUpperCase();
  const numeric = z.match(/^(?:GMT|UTC|UT)?([+-])(\d{1,2})(?::?(\d{2}))?$/);
  if (numeric) {
    const sign = numeric[1] === '-' ? -1 : 1;
    const hours = num(numeric[2]);
    const minutes = num(numeric[3]);
    // `+0800` written without a colon arrives here as hours "08" and minutes "00".
    if (hours > 14 || minutes > 59) return undefined;
    return sign * (hours * 60 + minutes);
  }
  if (z === 'CST') return cstMinutes;
  return ZONE_NAMES[z];
}

function validFields(f: Fields, utcMs: number): boolean {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.hour > 24 || f.minute > 59 || f.second > 60) return false;
  // Date.UTC rolls 31 Feb over into March; a date that rolled over was not a date.
  return new Date(utcMs).getUTCDate() === f.day || f.hour === 24;
}

function num(v: string | undefined): number {
  return v === undefined || v === '' ? 0 : Number(v);
}

function zoneFormatter(timezone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch (err) {
    throw new MirrorError('ConfigInvalid', `unknown time zone "${timezone}"`, {
      cause: err,
      hint: 'use an IANA zone name such as Asia/Shanghai or Asia/Taipei in the outlet or site rule',
    });
  }
}

/** Offset of the formatter's zone at an instant, in ms (wall clock minus UTC). */
function offsetAt(formatter: Intl.DateTimeFormat, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}
