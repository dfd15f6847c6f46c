import { crc32, deflateSync } from 'node:zlib';
import { correction, generate } from 'lean-qr';

/** Quiet zone around the code, in modules. */
const PAD = 4;
/** Pixels per module. */
const SCALE = 4;
const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
/** Palette: index 0 white (light modules, opaque), index 1 black (dark modules). */
const PALETTE = Buffer.from([255, 255, 255, 0, 0, 0]);

/**
 * A QR code PNG of `text`: 1-bit palette, 4 pixels per module, 4 modules of white border.
 * The background is opaque white: lean-qr's default is transparent, which does not scan on a
 * dark chat background (STACK.md §6).
 *
 * lean-qr makes the code. The PNG is encoded here, because lean-qr's encoder asks the code
 * for every pixel of the scaled image (16 times per module). On a `build` that was a tenth of
 * the time. This encoder fills one row per module row and copies it for the other rows. It
 * writes the same bytes as `toPngBuffer(code, { on: black, off: white, pad: 4, scale: 4 })`;
 * `qr.test.ts` checks that.
 */
export function qrPng(text: string): Uint8Array {
  const code = generate(text, { minCorrectionLevel: correction.M });
  const modules = code.size + 2 * PAD;
  const width = modules * SCALE;
  // Each scanline starts with its filter type (0: none), then 1 bit per pixel.
  const stride = 1 + ((width + 7) >> 3);
  const raw = Buffer.alloc(width * stride);
  const row = Buffer.alloc(stride);
  for (let my = 0; my < modules; my++) {
    row.fill(0);
    for (let mx = 0; mx < modules; mx++) {
      if (!code.get(mx - PAD, my - PAD)) continue;
      for (let x = mx * SCALE; x < (mx + 1) * SCALE; x++)
        row[1 + (x >> 3)] = (row[1 + (x >> 3)] ?? 0) | (0x80 >> (x & 7));
    }
    for (let s = 0; s < SCALE; s++) row.copy(raw, (my * SCALE + s) * stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header[8] = 1; // bit depth
  header[9] = 3; // colour type: palette
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('PLTE', PALETTE),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
