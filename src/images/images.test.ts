import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { DEFAULTS } from '../config/defaults.js';
import type { ImageSettings } from '../config/schema.js';
import { MirrorError } from '../errors.js';
import { createFetcher } from '../fetch/index.js';
import { writeFileAtomic } from '../store/writer.js';
import type { SafeHtml } from '../types.js';
import { assetPath, cachePath, fitBudget, imageUrlsOf, mirrorImage, processImage, sniffImage } from './index.js';

const settings: ImageSettings = { ...DEFAULTS.images };
const png = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .png()
    .toBuffer();
const noisy = (w: number, h: number) =>
  sharp(Buffer.from(Array.from({ length: w * h * 3 }, (_, i) => (i * 7919) % 251)), {
    raw: { width: w, height: h, channels: 3 },
  })
    .jpeg({ quality: 95 })
    .toBuffer();

test('formats are known by their magic bytes, never by the content type', async () => {
  assert.equal(sniffImage(await png(4, 4)), 'png');
  assert.equal(sniffImage(await noisy(8, 8)), 'jpeg');
  assert.equal(
    sniffImage(
      await sharp(await png(4, 4))
        .webp()
        .toBuffer(),
    ),
    'webp',
  );
  assert.equal(
    sniffImage(
      await sharp(await png(4, 4))
        .gif()
        .toBuffer(),
    ),
    'gif',
  );
  assert.equal(
    sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')),
    undefined,
  );
  assert.equal(sniffImage(Buffer.from('<!doctype html><p>not an image')), undefined);
});

test('large images are scaled down to maxSide; small ones are stored as they came', async () => {
  const big = await processImage(await png(3200, 1000), settings, 1600);
  assert.equal(big.meta.width, 1600);
  assert.equal(big.meta.height, 500);
  const small = await png(40, 30);
  const kept = await processImage(small, settings, 1600);
  assert.deepEqual(Buffer.from(kept.bytes), small);
  const webp = await processImage(small, { ...settings, format: 'webp' }, 1600);
  assert.equal(webp.meta.format, 'webp');
  assert.equal(sniffImage(webp.bytes), 'webp');
});

test('a pixel bomb is refused from its header, before decoding', async () => {
  const header = Buffer.from(await png(10, 10));
  header.writeUInt32BE(30_000, 16);
  header.writeUInt32BE(30_000, 20);
  await assert.rejects(
    processImage(header, settings, 1600),
    (e: unknown) => e instanceof MirrorError && e.code === 'TooLarge',
  );
});

test('mirrorImage caches by content hash and reports failures instead of throwing', async () => {
  const jpeg = await noisy(64, 48);
  const server = createServer((req, res) => {
    if (req.url === '/a.jpg' || req.url === '/same.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    else if (req.url === '/fake.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html>nope</html>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'nm-img-'));
    const deps = {
      fetcher: createFetcher({ ...DEFAULTS.fetch, retries: 0, allowAddresses: ['127.0.0.1'] }),
      cacheDir,
      settings,
    };
    const a = await mirrorImage(`${base}/a.jpg`, deps);
    const b = await mirrorImage(`${base}/same.jpg`, deps);
    assert.equal(a.status, 'ok');
    assert.equal(a.hash, b.hash, 'the same bytes under two URLs are one asset');
    assert.match(assetPath(a), /^assets\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/);
    assert.deepEqual(readFileSync(cachePath(cacheDir, a)), jpeg);
    const fake = await mirrorImage(`${base}/fake.jpg`, deps);
    assert.equal(fake.status, 'failed');
    assert.match(fake.error ?? '', /^NotAnImage/);
    const gone = await mirrorImage(`${base}/gone.jpg`, deps, 2);
    assert.equal(gone.status, 'failed');
    assert.equal(gone.attempts, 3);
    assert.match(gone.error ?? '', /^HttpStatus/);
  } finally {
    server.close();
  }
});

test('an article over its budget has its largest images shrunk first', async () => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'nm-budget-'));
  const deps = { fetcher: createFetcher({ ...DEFAULTS.fetch, allowAddresses: ['127.0.0.1'] }), cacheDir, settings };
  const records = [];
  for (const [url, w] of [
    ['https://x.example/big.jpg', 1200],
    ['https://x.example/small.jpg', 200],
  ] as const) {
    const p = await processImage(await noisy(w, Math.round(w * 0.75)), settings, 1600);
    writeFileAtomic(cachePath(cacheDir, p.meta), p.bytes);
    records.push({ url, status: 'ok' as const, attempts: 1, ...p.meta });
  }
  const before = records.reduce((n, r) => n + (r.bytes ?? 0), 0);
  const budget = Math.round(before / 3);
  const fitted = await fitBudget(records, budget, deps);
  const after = fitted.reduce((n, r) => n + (r.bytes ?? 0), 0);
  assert.ok(after <= budget, `${after} ≤ ${budget}`);
  assert.ok((fitted[0]?.width ?? 0) < 1200, 'the large image was shrunk');
  assert.equal(fitted[1]?.hash, records[1]?.hash, 'the small one was left alone');
  assert.ok(existsSync(cachePath(cacheDir, fitted[0] ?? {})));
});

test('an article names its lead image and body images once each', () => {
  const urls = imageUrlsOf({
    leadImage: { src: 'https://i.example/lead.jpg' },
    html: '<p><img src="https://i.example/a.png?x=1&amp;y=2"><img src="https://i.example/lead.jpg"></p>' as SafeHtml,
  });
  assert.deepEqual(urls, ['https://i.example/lead.jpg', 'https://i.example/a.png?x=1&y=2']);
});
