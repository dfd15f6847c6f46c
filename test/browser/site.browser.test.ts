/**
 * The demo's static site in Chromium (Debian's, through playwright-core), served by
 * `newsmirror serve` on 127.0.0.1: navigation in both editions, every resource loading from the
 * mirror and nothing from anywhere else, search in Chinese and English in both editions, a
 * phone-wide viewport, dark mode, and screenshots for the CI artefacts.
 * Run with `npm run test:browser` (it needs /usr/bin/chromium and a CJK font: .ci/run installs both).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type PreviewServer, startPreview } from '../../src/cli/serve.js';
import { cli } from '../helpers.js';
import { guard, launch, screenshotPath } from './lib.js';

let browser: Browser;
let server: PreviewServer;

before(async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'nm-browser-'));
  const run = await cli(['demo', '--out', path.join(work, 'mirror'), '--no-publish', '--quiet'], work);
  assert.equal(run.code, 0, run.stderr);
  server = await startPreview({ dir: path.join(work, 'mirror'), port: 0 });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(width = 1024, colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme });
  const page = await context.newPage();
  const seen = await guard(page, server.url);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { context, page, seen, dialogs };
}

/** Every image of the page loaded (lazy ones made eager first), with pixels. */
async function allImagesLoad(page: Page): Promise<void> {
  const broken = await page.evaluate(async () => {
    const imgs = [...document.images];
    for (const img of imgs) img.loading = 'eager';
    await Promise.all(
      imgs.map((img) =>
        img.complete
          ? undefined
          : new Promise((resolve) => {
              img.addEventListener('load', resolve, { once: true });
              img.addEventListener('error', resolve, { once: true });
            }),
      ),
    );
    return imgs.filter((img) => !img.classList.contains('beacon') && img.naturalWidth === 0).map((img) => img.src);
  });
  assert.deepEqual(broken, [], 'every image loads');
}

for (const edition of ['', 'hant/'] as const) {
  const name = edition ? 'the Traditional edition' : 'the home edition';
  test(`home → channel → article → back, in ${name}, loading only from the mirror`, async () => {
    const { context, page, seen, dialogs } = await open();
    await page.goto(`${server.url}/${edition}index.html`);
    assert.equal(await page.getAttribute('html', 'lang'), edition ? 'zh-Hant' : 'zh-Hans');
    await allImagesLoad(page);
    await page.click(`nav.menu a:text-is("${edition ? '國內新聞' : '国内新闻'}")`);
    assert.match(decodeURIComponent(page.url()), new RegExp(`/${edition}indexes/D国内新闻\\.html$`));
    const first = page.locator('ol.list li a').first();
    const title = (await first.textContent()) ?? '';
    await first.click();
    assert.match(page.url(), new RegExp(`/${edition}pages/dnews/[^/]+\\.html$`));
    assert.equal(await page.textContent('h1'), title);
    await allImagesLoad(page);
    const sheets = await page.evaluate(() => [...document.styleSheets].map((s) => s.cssRules.length));
    assert.ok(sheets.length === 1 && (sheets[0] ?? 0) > 10, 'the stylesheet loaded');
    await page.goBack();
    assert.match(decodeURIComponent(page.url()), /indexes\/D国内新闻\.html$/);
    await page.goBack();
    assert.match(page.url(), new RegExp(`/${edition}index\\.html$`));
    assert.deepEqual(seen.outside, [], 'no request to another host');
    assert.deepEqual(seen.failed, [], 'no request of the mirror failed');
    assert.deepEqual(dialogs, []);
    await context.close();
  });

  test(`search finds an article by a two-character Chinese word and by an English word, in ${name}`, async () => {
    const { context, page, seen } = await open();
    const word = edition ? '地鐵' : '地铁';
    await page.goto(`${server.url}/${edition}search.html?q=${encodeURIComponent(word)}`);
    await page.waitForSelector('#results li a', { timeout: 30_000 });
    const titles = await page.locator('#results li a').allTextContents();
    assert.ok(
      titles.some((t) => t.includes(word)),
      `${word}: ${titles.join(' | ')}`,
    );
    // A result of the Traditional edition opens the Traditional page.
    const href = (await page.locator('#results li a').first().getAttribute('href')) ?? '';
    if (edition) assert.match(href, /\/hant\/pages\//);
    else assert.doesNotMatch(href, /\/hant\//);

    await page.fill('#q', 'ferry');
    await Promise.all([page.waitForURL(/q=ferry/), page.press('#q', 'Enter')]);
    await page.waitForSelector('#results li a', { timeout: 30_000 });
    const english = await page.locator('#results li a').allTextContents();
    assert.ok(
      english.some((t) => /ferry/i.test(t)),
      english.join(' | '),
    );
    await page.locator('#results li a').first().click();
    assert.match(page.url(), /\/pages\/g[a-z]+\/[^/]+\.html$/);
    assert.deepEqual(seen.outside, []);
    assert.deepEqual(seen.failed, []);
    await context.close();
  });
}

test('at 375 px the article page has no horizontal scroll; dark mode follows the system; screenshots', async () => {
  for (const scheme of ['light', 'dark'] as const) {
    const { context, page, seen } = await open(375, scheme);
    await page.goto(`${server.url}/index.html`);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, scheme === 'dark' ? 'rgb(18, 19, 23)' : 'rgb(255, 255, 255)', `${scheme} background`);
    await page.screenshot({ path: screenshotPath(`home-${scheme}.png`), fullPage: true });
    await page.click('ol.list li a');
    await allImagesLoad(page);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `no horizontal scroll (${scroll} > ${client})`);
    await page.screenshot({ path: screenshotPath(`article-${scheme}.png`), fullPage: true });
    await page.goto(`${server.url}/hant/index.html`);
    await page.screenshot({ path: screenshotPath(`home-hant-${scheme}.png`), fullPage: true });
    assert.deepEqual(seen.outside, []);
    await context.close();
  }
});
