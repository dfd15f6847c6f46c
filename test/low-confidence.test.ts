/**
 * Issue 15.5: an article the generic extractor was unsure of is flagged, so the operator knows
 * which outlet needs a site rule. The made-up Lantern Bay Courier on 127.0.0.1 has no rule;
 * one of its four article pages holds only a sign-in notice about something else. `sync`
 * reports that one article (and not the three good ones), `status` counts it under its outlet,
 * and `extract --json` gives the confidence of both kinds of page.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { RunReport } from '../src/types.js';
import { cli } from './helpers.js';
import { type OutletOrigin, startOutlet } from './lib/outlet-origin.js';

let site: OutletOrigin;
before(async () => {
  site = await startOutlet('linked');
  site.override.set('/news/a2.html', {
    status: 200,
    type: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><title>Lighthouse museum reopens after repairs | Lantern Bay Courier</title></head>
<body><nav><a href="/">Home</a></nav><div class="signin"><p>Sign in to keep reading: your session has expired, please enter your password again.</p></div></body></html>`,
  });
});
after(async () => {
  await site.close();
});

test('sync reports the article the generic extractor was unsure of, status counts it per outlet, extract shows the confidence', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'nm-conf-'));
  assert.equal((await cli(['init'], work)).code, 0);
  const file = path.join(work, 'newsmirror.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('allowAddresses: []', 'allowAddresses: ["127.0.0.1"]'));
  const add = await cli(
    ['add', `${site.url}/feeds/top.xml`, '--outlet', 'Lantern Bay Courier', '--samples', '0'],
    work,
  );
  assert.equal(add.code, 0, add.stderr + add.stdout);

  const sync = await cli(['sync', '--no-publish', '--json'], work);
  assert.equal(sync.code, 0, sync.stderr);
  const report = JSON.parse(sync.stdout) as RunReport;
  assert.equal(report.articles.mirrored, 4);
  assert.deepEqual(
    (report.lowConfidence ?? []).map((l) => [l.outlet, l.url, l.extractor]),
    [['Lantern Bay Courier', `${site.url}/news/a2.html`, 'readability']],
  );
  assert.ok((report.lowConfidence?.[0]?.confidence ?? 1) < 0.5);

  const status = await cli(['status', '--json'], work);
  const s = JSON.parse(status.stdout) as { lowConfidence: { outlet: string; articles: number }[] };
  assert.deepEqual(s.lowConfidence, [{ outlet: 'Lantern Bay Courier', articles: 1 }]);
  const human = await cli(['status'], work);
  assert.match(human.stdout, /low confidence: 1 article of Lantern Bay Courier .*site rule/);

  const good = JSON.parse((await cli(['extract', `${site.url}/news/a1.html`, '--json'], work)).stdout) as {
    extractor: string;
    confidence: number;
  };
  assert.equal(good.extractor, 'readability');
  assert.ok(good.confidence >= 0.9, `a full article: ${good.confidence}`);
  const bad = await cli(['extract', `${site.url}/news/a2.html`], work);
  assert.match(bad.stdout, /confidence: 0\.\d\d \(low: this may not be the article/);
});
