/**
 * Test images the demo origin serves badly on purpose, so that a demo run (and the
 * end-to-end test) shows what the images stage does with each: a WebP and a GIF
 * (mirrored), an SVG carrying a script (refused: never served from the mirror), a
 * PNG whose header claims 900 million pixels (refused before decoding), a web page
 * sent as `image/jpeg` (refused by its magic bytes), a 404, and a JPEG that takes
 * 1.5 s to start (mirrored).
 */

import { crc32 } from 'node:zlib';
import sharp from 'sharp';

export interface SpecialImage {
  status: number;
  type: string;
  body: Buffer;
  delayMs?: number;
}

/** A PNG that is only a valid signature and IHDR chunk claiming `w`×`h` pixels. */
function pngHeaderOnly(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const type = Buffer.from('IHDR');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(13);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, ihdr])) >>> 0);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), len, type, ihdr, crc]);
}

/** The test images by path under `/img/`. Made once per origin start (deterministic bytes). */
export async function makeSpecialImages(): Promise<Map<string, SpecialImage>> {
  const canvas = (r: number, g: number, b: number) =>
    sharp({ create: { width: 320, height: 180, channels: 3, background: { r, g, b } } });
  const webp = await canvas(70, 110, 160).webp({ quality: 70 }).toBuffer();
  const gif = await canvas(200, 200, 210).gif().toBuffer();
  const jpeg = await canvas(180, 190, 200).jpeg({ quality: 70 }).toBuffer();
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(document.domain)</script>' +
      '<rect width="100" height="100" fill="teal" onload="alert(1)"/></svg>',
  );
  return new Map<string, SpecialImage>([
    ['test/lighthouse.webp', { status: 200, type: 'image/webp', body: webp }],
    ['test/gulls.gif', { status: 200, type: 'image/gif', body: gif }],
    ['test/notes.svg', { status: 200, type: 'image/svg+xml', body: svg }],
    ['test/panorama.png', { status: 200, type: 'image/png', body: pngHeaderOnly(30_000, 30_000) }],
    [
      'test/broken.jpg',
      { status: 200, type: 'image/jpeg', body: Buffer.from('<!doctype html><title>Not here</title>') },
    ],
    ['test/missing.jpg', { status: 404, type: 'text/plain; charset=utf-8', body: Buffer.from('not found\n') }],
    ['test/slow.jpg', { status: 200, type: 'image/jpeg', body: jpeg, delayMs: 1500 }],
  ]);
}
