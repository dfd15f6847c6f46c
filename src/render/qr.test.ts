import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { correction, generate } from 'lean-qr';
import { toPngBuffer } from 'lean-qr/extras/node_export';
import { decodeQr } from '../../test/helpers.js';
import { qrPng } from './qr.js';

const TEXTS = [
  'https://github.com/example/mirror/blob/main/pages/eworld/E123.md',
  'https://example.org/镜像/页面?id=1&t=11261530',
  `https://example.org/${'long/'.repeat(60)}end`,
  'x',
];

test('the QR PNG scans back to its text', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nm-qr-'));
  TEXTS.forEach((text, i) => {
    const file = path.join(dir, `${i}.png`);
    writeFileSync(file, qrPng(text));
    assert.equal(decodeQr(file), text);
  });
});

test("the QR PNG has the same bytes as lean-qr's own encoder with the same settings", () => {
  for (const text of TEXTS) {
    const code = generate(text, { minCorrectionLevel: correction.M });
    const reference = toPngBuffer(code, { on: [0, 0, 0, 255], off: [255, 255, 255, 255], pad: 4, scale: 4 });
    assert.ok(Buffer.from(qrPng(text)).equals(reference), text);
  }
});
