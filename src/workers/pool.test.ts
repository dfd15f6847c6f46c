import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { MirrorError } from '../errors.js';
import { createStagePool, failedStage, fillsCores } from './pool.js';

const page =
  '<html><body><nav>Menu</nav><div id="story"><p>The harbour ferry runs every hour from Monday.</p></div></body></html>';
const rule = {
  name: 'example',
  hosts: ['news.example.com'],
  example: 'https://news.example.com/a.html',
  body: ['#story'],
};

for (const size of [0, 2]) {
  test(`a pool of ${size} threads runs the stages and returns their errors as MirrorErrors`, async () => {
    const pool = createStagePool(size);
    try {
      const extracted = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          pool.run('extract', { html: page, url: `https://news.example.com/${i}.html`, rule }),
        ),
      );
      assert.deepEqual(
        extracted.map((x) => x.html),
        Array(6).fill('<p>The harbour ferry runs every hour from Monday.</p>'),
      );
      const meta = { id: 'a', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };
      const article = await pool.run('clean', extracted[0] as (typeof extracted)[number], meta, {
        rule,
        images: 'hotlink',
      });
      assert.match(article.html, /harbour ferry/);
      await assert.rejects(pool.run('extract', { html: '', url: 'https://news.example.com/empty.html' }), (err) => {
        assert.ok(err instanceof MirrorError);
        assert.equal(err.code, 'ExtractEmpty');
        return true;
      });
    } finally {
      await pool.close();
    }
  });
}

test('a pool fills the cores when it has a thread for each of them', () => {
  assert.equal(fillsCores(2, 2), true);
  assert.equal(fillsCores(4, 2), true);
  assert.equal(fillsCores(1, 2), false);
  assert.equal(fillsCores(0, 1), false, 'inline work starts no thread');
});

test('only a pool that fills the cores scavenges single-threaded, and only if allowed to', async () => {
  const cores = os.availableParallelism();
  const pools = [
    createStagePool(cores),
    createStagePool(cores, { tuneGc: false }),
    createStagePool(0),
    ...(cores > 1 ? [createStagePool(cores - 1)] : []),
  ];
  try {
    assert.deepEqual(
      pools.map((p) => p.serialScavenge),
      [true, false, false, ...(cores > 1 ? [false] : [])],
    );
    // The pool still works with the setting on.
    const out = await pools[0]?.run('extract', { html: page, url: 'https://news.example.com/x.html', rule });
    assert.match(out?.html ?? '', /harbour ferry/);
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
});

for (const size of [0, 1]) {
  test(`a pool of ${size} threads runs extract then clean in one trip, and tells which of them failed`, async () => {
    const pool = createStagePool(size);
    try {
      const meta = { id: 'a', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };
      const options = { rule, images: 'hotlink' as const };
      const input = { html: page, url: 'https://news.example.com/moved.html', rule };
      const both = await pool.runThen('extract', [input], 'clean', [meta, options], {
        url: 'https://news.example.com/a.html',
      });
      // The same article as the two stages one after the other, under the patched URL.
      const extracted = await pool.run('extract', input);
      const apart = await pool.run('clean', { ...extracted, url: 'https://news.example.com/a.html' }, meta, options);
      assert.deepEqual(both, apart);
      assert.equal(both.url, 'https://news.example.com/a.html');
      assert.match(both.html, /harbour ferry/);

      await assert.rejects(
        pool.runThen('extract', [{ html: '', url: 'https://news.example.com/e.html' }], 'clean', [meta, options]),
        (err) => {
          assert.ok(err instanceof MirrorError);
          assert.equal(err.code, 'ExtractEmpty');
          assert.equal(failedStage(err), 'extract');
          return true;
        },
      );
      // A body that is not text: clean throws, and the error says so.
      await assert.rejects(
        pool.runThen('extract', [input], 'clean', [meta, options], { html: 42 as unknown as string }),
        (err) => {
          assert.ok(err instanceof Error);
          assert.equal(failedStage(err), 'clean');
          return true;
        },
      );
    } finally {
      await pool.close();
    }
  });
}
