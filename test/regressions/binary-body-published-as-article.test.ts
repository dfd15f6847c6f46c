/**
 * Bug: an article URL that served an image (or any binary file) was decoded as text and
 * published as a page of mojibake. Found by the fault suite (test/faults, `binary-body`).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { DEFAULTS } from '../../src/config/defaults.js';
import { MirrorError } from '../../src/errors.js';
import { binaryKind, createFetcher } from '../../src/fetch/index.js';

test('a body that is an image or binary data is not a document', async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const server = createServer((req, res) => {
    if (req.url === '/png') res.writeHead(200, { 'content-type': 'text/html' }).end(png);
    else if (req.url === '/nul') res.writeHead(200, { 'content-type': 'text/html' }).end(Buffer.from('abc\0\0def'));
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>fine</p>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const fetcher = createFetcher({ ...DEFAULTS.fetch, retries: 0, allowAddresses: ['127.0.0.1'] });
    for (const p of ['/png', '/nul']) {
      await assert.rejects(
        fetcher.fetchDocument(`${base}${p}`),
        (e: unknown) => e instanceof MirrorError && e.code === 'NotADocument',
      );
    }
    assert.equal((await fetcher.fetchDocument(`${base}/ok`)).text, '<p>fine</p>');
  } finally {
    server.close();
  }
  // UTF-16 text has NUL bytes and is still text.
  assert.equal(binaryKind(Buffer.from('\ufeffhello', 'utf16le'), 'text/html'), undefined);
  assert.equal(binaryKind(Buffer.from('hello', 'utf16le'), 'text/xml; charset=utf-16le'), undefined);
  assert.equal(binaryKind(Buffer.from('%PDF-1.7'), 'text/html'), 'a PDF document');
});
