import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { DEFAULTS } from '../config/defaults.js';
import type { ImageSettings } from '../config/schema.js';
import type { ImageFormat } from '../types.js';
import { imageEnd, processImage } from './index.js';

const settings: ImageSettings = { ...DEFAULTS.images, format: 'keep', maxSide: 0 };
const SCRIPT = Buffer.from('\n<script>alert(document.domain)</script>/*\u2028*/=alert(1);//');

async function image(format: ImageFormat): Promise<Buffer> {
  const raw = Buffer.alloc(24 * 16 * 4);
  for (let i = 0; i < raw.length; i += 4) {
    raw[i] = (i * 7) & 255;
    raw[i + 1] = (i * 13) & 255;
    raw[i + 2] = 90;
    raw[i + 3] = 255;
  }
  const s = sharp(raw, { raw: { width: 24, height: 16, channels: 4 } });
  const out =
    format === 'jpeg'
      ? s.jpeg({ progressive: true })
      : format === 'png'
        ? s.png()
        : format === 'gif'
          ? s.gif()
          : format === 'webp'
            ? s.webp()
            : s.avif();
  return out.toBuffer();
}

describe('polyglots: what follows an image is not stored (issue 17.10)', () => {
  for (const format of ['gif', 'jpeg', 'png', 'webp', 'avif'] as const) {
    test(`${format}: the end is found by the structure; appended bytes are cut off, the image itself kept as it is`, async () => {
      const clean = await image(format);
      assert.equal(imageEnd(clean, format), clean.length, 'a clean image ends where its bytes end');
      const polyglot = Buffer.concat([clean, SCRIPT]);
      const out = await processImage(polyglot, settings, 0);
      assert.equal(out.meta.format, format);
      assert.deepEqual(Buffer.from(out.bytes), clean, 'exactly the image, not the script after it');
      assert.ok(!Buffer.from(out.bytes).includes('<script>'));
      await sharp(out.bytes).metadata();
    });
  }

  test('an animated GIF keeps every frame', async () => {
    const frame = (v: number) =>
      sharp({ create: { width: 24, height: 16, channels: 4, background: { r: v, g: 10, b: 200, alpha: 1 } } })
        .png()
        .toBuffer();
    const clean = await sharp(await Promise.all([frame(10), frame(120), frame(240)]), { join: { animated: true } })
      .gif()
      .toBuffer();
    assert.equal((await sharp(clean, { animated: true }).metadata()).pages, 3);
    const out = await processImage(Buffer.concat([clean, SCRIPT]), settings, 0);
    assert.deepEqual(Buffer.from(out.bytes), clean);
    assert.equal((await sharp(out.bytes, { animated: true }).metadata()).pages, 3);
  });

  test('an image whose structure cannot be followed is re-encoded: the payload does not survive', async () => {
    const clean = await image('png');
    // IEND removed: libvips still decodes it, but where it ends cannot be told.
    const broken = Buffer.concat([clean.subarray(0, clean.length - 12), SCRIPT]);
    assert.equal(imageEnd(broken, 'png'), undefined);
    const out = await processImage(broken, settings, 0).catch((e: Error) => e);
    if (out instanceof Error) assert.match(out.message, /cannot be (re-encoded|decoded)/);
    else assert.ok(!Buffer.from(out.bytes).includes('<script>'));
  });
});
