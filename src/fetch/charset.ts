import { analyse } from 'chardet';
import type { FetchedDocument } from '../types.js';

export type CharsetSource = FetchedDocument['charsetSource'];

export interface DecodedBody {
  text: string;
  /** WHATWG encoding name the text was decoded from (`utf-8`, `gb18030`, `big5`...). */
  charset: string;
  charsetSource: CharsetSource;
}

/** How far into the document a `<meta charset>` or XML prolog is looked for. */
const META_SCAN_BYTES = 2048;
/** How much chardet reads: enough for a verdict, and 20× cheaper than the whole page (STACK §8). */
const SNIFF_BYTES = 4096;

/**
 * Labels decoded as GB18030. Node's `gbk` decoder drops four-byte GB18030 sequences, and
 * many sites labelled GB2312/GBK really serve GB18030, which is a superset (STACK §8).
 */
const GB_LABELS = new Set([
  'gbk',
  'gb2312',
  'gb_2312',
  'gb_2312-80',
  'x-gbk',
  'chinese',
  'csgb2312',
  'csiso58gb231280',
  'iso-ir-58',
  'cp936',
  'ms936',
  'windows-936',
  'euc-cn',
  'x-euc-cn',
  'gb18030',
]);
/** ICU has no HKSCS table; plain Big5 decodes the common characters, which is what the pages use. */
const BIG5_LABELS = new Set([
  // Stryker disable StringLiteral: equivalent mutants. TextDecoder itself reads these WHATWG labels as big5;
  // the set names them so that what counts as Big5 reads in one place.
  'big5',
  'big5-hkscs',
  'cn-big5',
  'csbig5',
  'x-x-big5',
  // Stryker restore StringLiteral
  'x-big5',
]);

/**
 * Decodes a response body. Order of trust: a BOM (unambiguous), the `charset=` of the
 * Content-Type header, `<meta>` / `<?xml encoding?>` in the first 2 KB, chardet, UTF-8.
 *
 * A declaration is checked against the bytes before it is believed: pages that declare
 * GB2312 but are stored as UTF-8 are common (saved pages, CMS templates left unchanged),
 * and so are servers that announce UTF-8 for GBK pages. Bytes that are valid UTF-8 with
 * multibyte sequences are UTF-8 whatever the label says; bytes that are not valid UTF-8
 * cannot be UTF-8 whatever the label says.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): DecodedBody {
  const bom = bomCharset(bytes);
  if (bom) return { text: decode(bytes, bom), charset: bom, charsetSource: 'bom' };

  let utf8: Utf8Verdict | undefined;
  const verdict = (): Utf8Verdict => {
    utf8 ??= checkUtf8(bytes);
    return utf8;
  };

  const declared: { charset: string | undefined; source: CharsetSource }[] = [
    { charset: normaliseCharset(charsetFromContentType(contentType)), source: 'header' },
    { charset: normaliseCharset(charsetFromMarkup(bytes)), source: 'meta' },
  ];
  for (const { charset, source } of declared) {
    if (charset === undefined) continue;
    if (charset === 'utf-8') {
      if (verdict() !== 'invalid') return { text: decode(bytes, 'utf-8'), charset, charsetSource: source };
      continue;
    }
    if (isUtf16(charset)) {
      // A UTF-16 label on a page whose markup we could read as ASCII is wrong (HTML spec: treat as UTF-8).
      if (source === 'meta') continue;
      return { text: decode(bytes, charset), charset, charsetSource: source };
    }
    if (verdict() === 'multibyte') return { text: decode(bytes, 'utf-8'), charset: 'utf-8', charsetSource: 'sniff' };
    return { text: decode(bytes, charset), charset, charsetSource: source };
  }

  const v = verdict();
  if (v === 'multibyte') return { text: decode(bytes, 'utf-8'), charset: 'utf-8', charsetSource: 'sniff' };
  if (v === 'ascii') return { text: decode(bytes, 'utf-8'), charset: 'utf-8', charsetSource: 'default' };
  const sniffed = sniffCharset(bytes);
  if (sniffed) return { text: decode(bytes, sniffed), charset: sniffed, charsetSource: 'sniff' };
  return { text: decode(bytes, 'utf-8'), charset: 'utf-8', charsetSource: 'default' };
}

/**
 * Maps a charset label to the name TextDecoder will use, or undefined when ICU does not
 * know it (then the caller sniffs instead of failing).
 */
export function normaliseCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const l = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (l === '') return undefined;
  if (GB_LABELS.has(l)) return 'gb18030';
  if (BIG5_LABELS.has(l)) return 'big5';
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return undefined;
  }
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = contentType?.match(/;\s*charset\s*=\s*("?)([^";,\s]+)\1/i);
  return m?.[2];
}

/** `<?xml encoding?>`, `<meta charset>` or `<meta http-equiv content="...; charset=...">`. */
function charsetFromMarkup(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, META_SCAN_BYTES)).toString(
    'latin1',
  );
  const prolog = head.match(/^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i);
  if (prolog) return prolog[1];
  for (const meta of head.matchAll(/<meta\b[^>]*>/gi)) {
    const m = meta[0].match(/\bcharset\s*=\s*["']?\s*([\w.:+-]+)/i);
    if (m) return m[1];
  }
  return undefined;
}

function bomCharset(bytes: Uint8Array): string | undefined {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  return undefined;
}

type Utf8Verdict = 'ascii' | 'multibyte' | 'invalid';

function checkUtf8(bytes: Uint8Array): Utf8Verdict {
  if (!bytes.some((b) => b >= 0x80)) return 'ascii';
  try {
    // stream:true tolerates a sequence cut at the very end (a capped or truncated download).
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return 'multibyte';
  } catch {
    return 'invalid';
  }
}

function sniffCharset(bytes: Uint8Array): string | undefined {
  // Sample from the first non-ASCII byte: a long ASCII head would otherwise make chardet say ISO-8859-1.
  const firstHigh = bytes.findIndex((b) => b >= 0x80);
  const start = Math.max(0, firstHigh - 64);
  const sample = bytes.subarray(start, start + SNIFF_BYTES);
  for (const match of analyse(sample)) {
    const charset = normaliseCharset(match.name);
    // chardet cannot tell a plain UTF-16 from noise; we only get here without a BOM.
    if (charset && charset !== 'utf-8' && !isUtf16(charset)) return charset;
  }
  return undefined;
}

function isUtf16(charset: string): boolean {
  return charset === 'utf-16le' || charset === 'utf-16be';
}

function decode(bytes: Uint8Array, charset: string): string {
  return new TextDecoder(charset).decode(bytes);
}
