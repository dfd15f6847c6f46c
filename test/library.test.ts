/** The library's in-memory sink: the mirror as data gives the same files the disk sink writes. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pagesToMap, parseConfig, renderFromState, Store } from '../src/index.js';
import { writeMirror } from '../src/pipeline.js';
import type { SafeHtml } from '../src/types.js';
import { listTree } from './helpers.js';

test('renderFromState + pagesToMap hold exactly what writeMirror puts on disk', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-lib-'));
  const config = parseConfig(
    `site: { publicUrl: "https://github.com/o/r/blob/main" }
outlets: [{ name: Daily, prefix: D, channels: [{ id: dnews, name: 要闻, feed: "http://127.0.0.1:9/f.xml" }] }]
`,
    { file: path.join(dir, 'newsmirror.yaml') },
  );
  const store = Store.open(':memory:');
  store.saveArticle(
    {
      id: 'n1',
      outlet: 'Daily',
      channel: 'dnews',
      url: 'https://daily.example/n1.htm',
      title: '第一条',
      html: '<p>正文</p>' as SafeHtml,
      extractor: 'rule',
      hash: 'h1',
      firstSeen: '2026-11-20T00:00:00.000Z',
      updatedAt: '2026-11-20T00:00:00.000Z',
      version: 1,
    },
    'f1',
  );
  const files = pagesToMap(renderFromState(config, store));
  writeMirror(config, store);
  assert.deepEqual([...files.keys()].sort(), listTree(config.output.dir));
  const page = files.get('pages/dnews/n1.md');
  assert.equal(page, readFileSync(path.join(config.output.dir, 'pages/dnews/n1.md'), 'utf8'));
  store.close();
});
