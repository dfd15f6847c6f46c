/**
 * The images stage: download each image of an article once, check that it really
 * is an image, cap and shrink it, and keep it in a content-addressed cache, so
 * that pages load from the mirror's own hosts where the origin's image hosts are
 * blocked. The render stage points pages at the cached copies.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ImageSettings } from '../config/schema.js';
import { describeError, ErrorCodes, errorCode, MirrorError } from '../errors.js';
import type { Fetcher } from '../fetch/index.js';
import { writeFileAtomic } from '../store/writer.js';
import type { Article, ImageFormat, ImageRecord } from '../types.js';

export type { ImageFormat, ImageRecord } from '../types.js';

const EXT: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', gif: 'gif', webp: 'webp', avif: 'avif' };

/**
 * The format by its magic bytes. The Content-Type header is not trusted: origins
 * serve error pages as `image/jpeg`, and an SVG (which can carry scripts) is
 * never accepted as an image here.
 */
export function sniffImage(b: Uint8Array): ImageFormat | undefined {
  const at = (i: number, ...xs: number[]) => xs.every((x, j) => b[i + j] === x);
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  if (at(4, 0x66, 0x74, 0x79, 0x70) && (at(8, 0x61, 0x76, 0x69, 0x66) || at(8, 0x61, 0x76, 0x69, 0x73))) return 'avif';
  return undefined;
}

/**
 * Where the image ends by its own structure (issue 17.10: a valid GIF with a script appended
 * was stored byte for byte), or undefined when the structure cannot be followed to an end:
 * - JPEG: segments to the start of scan, entropy-coded data to the next marker, on to EOI;
 * - PNG: chunks to IEND; GIF: blocks to the trailer (0x3B);
 * - WebP: the RIFF size; AVIF: top-level ISO-BMFF boxes, each of a known kind, to the last.
 */
export function imageEnd(b: Uint8Array, format: ImageFormat): number | undefined {
  const n = b.length;
  const u16be = (i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
  const u32be = (i: number) =>
    (((b[i] ?? 0) << 24) >>> 0) + (((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0));
  switch (format) {
    case 'png': {
      for (let i = 8; i + 12 <= n; ) {
        const len = u32be(i);
        const type = String.fromCharCode(b[i + 4] ?? 0, b[i + 5] ?? 0, b[i + 6] ?? 0, b[i + 7] ?? 0);
        const next = i + 12 + len;
        if (next > n) return undefined;
        if (type === 'IEND') return next;
        i = next;
      }
      return undefined;
    }
    case 'gif': {
      let i = 13;
      const flags = b[10] ?? 0;
      if (flags & 0x80) i += 3 * 2 ** ((flags & 7) + 1);
      const subBlocks = (j: number) => {
        while (j < n && b[j] !== 0) j += (b[j] ?? 0) + 1;
        return j < n ? j + 1 : -1;
      };
      while (i < n) {
        const block = b[i];
        if (block === 0x3b) return i + 1;
        if (block === 0x21) i = subBlocks(i + 2);
        else if (block === 0x2c) {
          const local = b[i + 9] ?? 0;
          i += 10;
          if (local & 0x80) i += 3 * 2 ** ((local & 7) + 1);
          i = subBlocks(i + 1);
        } else return undefined;
        if (i < 0) return undefined;
      }
      return undefined;
    }
    case 'jpeg': {
      let i = 2;
      while (i + 2 <= n) {
        if (b[i] !== 0xff) return undefined;
        const marker = b[i + 1] ?? 0;
        if (marker === 0xff) {
          i++;
          continue;
        }
        if (marker === 0xd9) return i + 2;
        if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
          i += 2;
          continue;
        }
        const next = i + 2 + u16be(i + 2);
        if (next > n) return undefined;
        i = next;
        if (marker === 0xda) {
          // Entropy-coded data: up to a marker that is neither a stuffed 0xFF00 nor a restart.
          while (
            i + 1 < n &&
            !(b[i] === 0xff && b[i + 1] !== 0 && !((b[i + 1] ?? 0) >= 0xd0 && (b[i + 1] ?? 0) <= 0xd7))
          )
            i++;
        }
      }
      return undefined;
    }
    case 'webp': {
      const size = (b[4] ?? 0) | ((b[5] ?? 0) << 8) | ((b[6] ?? 0) << 16) | (((b[7] ?? 0) << 24) >>> 0);
      const end = 8 + size + (size & 1);
      return end <= n ? end : undefined;
    }
    case 'avif': {
      const known = new Set([
        'ftyp',
        'meta',
        'mdat',
        'moov',
        'free',
        'skip',
        'uuid',
        'moof',
        'mfra',
        'pdin',
        'styp',
        'sidx',
      ]);
      let i = 0;
      let last: number | undefined;
      while (i + 8 <= n) {
        let size = u32be(i);
        const type = String.fromCharCode(b[i + 4] ?? 0, b[i + 5] ?? 0, b[i + 6] ?? 0, b[i + 7] ?? 0);
        if (!known.has(type)) break;
        if (size === 1) size = u32be(i + 8) * 2 ** 32 + u32be(i + 12);
        else if (size === 0) size = n - i;
        if (size < 8 || i + size > n) return undefined;
        i += size;
        last = i;
      }
      return last;
    }
  }
}

/** Width and height from a PNG or GIF header, without decoding (others: sharp reads them). */
function headerSize(b: Uint8Array, format: ImageFormat): { width: number; height: number } | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (format === 'png' && b.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (format === 'gif' && b.length >= 10) return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  return undefined;
}

/** Mirror path of a stored image: `assets/ab/abcdef….jpg`. */
export function assetPath(rec: Pick<ImageRecord, 'hash' | 'format'>): string {
  if (!rec.hash || !rec.format) throw new MirrorError(ErrorCodes.Internal, 'asset path of an image that is not stored');
  return `assets/${rec.hash.slice(0, 2)}/${rec.hash.slice(0, 32)}.${EXT[rec.format]}`;
}

/** Where the cache keeps the bytes of a stored image. */
export function cachePath(cacheDir: string, rec: Pick<ImageRecord, 'hash' | 'format'>): string {
  return path.join(cacheDir, assetPath(rec));
}

/** Every image URL an article shows: the lead image, then `<img src>` in the body, once each. */
export function imageUrlsOf(article: Pick<Article, 'leadImage' | 'html'>): string[] {
  const out = new Set<string>();
  if (article.leadImage?.src) out.add(article.leadImage.src);
  // `[^<>]*`, not `[^>]*?`: a tag without `>` then ends at the next `<` instead of making
  // every later `<img` search to the end of the body (quadratic).
  for (const m of article.html.matchAll(/<img\b[^<>]*?\bsrc="([^"]+)"/gi)) {
    const src = (m[1] ?? '').replace(/&amp;/g, '&');
    if (/^https?:\/\//i.test(src)) out.add(src);
  }
  return [...out];
}

export interface ImageDeps {
  fetcher: Fetcher;
  cacheDir: string;
  settings: ImageSettings;
  signal?: AbortSignal | undefined;
}

/**
 * Download, verify, shrink and cache one image. Never throws for a bad image:
 * the result says `failed` and why, and the page shows a placeholder.
 */
export async function mirrorImage(url: string, deps: ImageDeps, attempts = 0): Promise<ImageRecord> {
  try {
    const res = await deps.fetcher.fetchBinary(url, {
      maxBytes: deps.settings.maxBytes,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const processed = await processImage(res.bytes, deps.settings, deps.settings.maxSide);
    const rec: ImageRecord = { url, status: 'ok', attempts: attempts + 1, ...processed.meta };
    const file = cachePath(deps.cacheDir, rec);
    if (!existsSync(file)) writeFileAtomic(file, processed.bytes);
    return rec;
  } catch (err) {
    if (deps.signal?.aborted) throw err;
    return { url, status: 'failed', attempts: attempts + 1, error: `${errorCode(err)}: ${describeError(err)}` };
  }
}

/** Verify and (if needed) shrink or re-encode image bytes. */
export async function processImage(
  input: Uint8Array,
  settings: ImageSettings,
  maxSide: number,
): Promise<{ bytes: Uint8Array; meta: Pick<ImageRecord, 'hash' | 'format' | 'bytes' | 'width' | 'height'> }> {
  const format = sniffImage(input);
  if (!format) {
    throw new MirrorError(ErrorCodes.NotAnImage, 'the response is not a JPEG, PNG, GIF, WebP or AVIF image', {
      hint: 'the origin served something else (an error page, an SVG, a tracker); the page shows a placeholder',
    });
  }
  // Check the pixel count in the header before anything decodes it (decompression bombs).
  const declared = headerSize(input, format);
  if (declared && declared.width * declared.height > settings.maxPixels) {
    throw new MirrorError(
      ErrorCodes.TooLarge,
      `the image claims ${declared.width}×${declared.height} pixels, more than images.maxPixels`,
      { hint: 'raise images.maxPixels to accept it' },
    );
  }
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: settings.maxPixels, animated: format === 'gif' }).metadata();
  } catch (err) {
    throw new MirrorError(ErrorCodes.NotAnImage, `the ${format} image cannot be decoded`, { cause: err });
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width * height > settings.maxPixels) {
    throw new MirrorError(ErrorCodes.TooLarge, `the image has ${width}×${height} pixels, more than images.maxPixels`, {
      hint: 'raise images.maxPixels to accept it',
    });
  }
  const tooBig = maxSide > 0 && Math.max(width, height) > maxSide;
  const target: ImageFormat = settings.format === 'keep' ? format : settings.format;
  // What follows the image's own end (a script appended to a valid GIF makes a polyglot) is
  // not stored; an image whose end cannot be found by its structure is re-encoded instead.
  const end = imageEnd(input, format);
  let bytes = end === undefined ? input : input.subarray(0, end);
  let outW = width;
  let outH = height;
  if (tooBig || target !== format || end === undefined) {
    try {
      let pipeline = sharp(input, { limitInputPixels: settings.maxPixels, animated: format === 'gif' }).rotate();
      if (tooBig)
        pipeline = pipeline.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
      const q = settings.quality;
      pipeline =
        target === 'jpeg'
          ? pipeline.jpeg({ quality: q, mozjpeg: true })
          : target === 'webp'
            ? pipeline.webp({ quality: q })
            : target === 'avif'
              ? pipeline.avif({ quality: q })
              : target === 'png'
                ? pipeline.png({ palette: true, quality: q })
                : pipeline.gif();
      const out = await pipeline.toBuffer({ resolveWithObject: true });
      bytes = new Uint8Array(out.data);
      outW = out.info.width;
      outH = out.info.pageHeight ?? out.info.height;
    } catch (err) {
      throw new MirrorError(ErrorCodes.NotAnImage, `the ${format} image cannot be re-encoded`, { cause: err });
    }
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  return { bytes, meta: { hash, format: target, bytes: bytes.length, width: outW, height: outH } };
}

/**
 * Keep an article's stored image bytes under `budget`: shrink the largest image
 * to half its longer side, again and again, until the total fits (or images get
 * too small to be worth shrinking). Returns the records to use for the article.
 */
export async function fitBudget(records: ImageRecord[], budget: number, deps: ImageDeps): Promise<ImageRecord[]> {
  if (budget <= 0) return records;
  const out = records.map((r) => ({ ...r }));
  const total = () => out.reduce((n, r) => n + (r.status === 'ok' ? (r.bytes ?? 0) : 0), 0);
  for (let round = 0; round < 12 && total() > budget; round++) {
    const largest = out
      .filter((r) => r.status === 'ok' && Math.max(r.width ?? 0, r.height ?? 0) > 160)
      .sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0))[0];
    if (!largest) break;
    const current = readFileSync(cachePath(deps.cacheDir, largest));
    const side = Math.floor(Math.max(largest.width ?? 0, largest.height ?? 0) / 2);
    const shrunk = await processImage(current, deps.settings, side);
    const file = cachePath(deps.cacheDir, shrunk.meta);
    if (!existsSync(file)) writeFileAtomic(file, shrunk.bytes);
    Object.assign(largest, shrunk.meta);
  }
  return out;
}
