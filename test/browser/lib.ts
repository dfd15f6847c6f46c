/**
 * What the browser suites share: Debian's Chromium driven by playwright-core (STACK §15: never
 * `npx playwright install`), a guard that fails on any request to a host but the mirror's
 * (loopback), and the folder screenshots go to (CI artefacts, git-ignored).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { repoRoot } from '../helpers.js';

export const CHROMIUM = process.env.NEWSMIRROR_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(repoRoot, 'artifacts', 'screenshots');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}

/**
 * Every request a page makes, and the ones that went (or tried to go) to another host than
 * the mirror's: those are aborted and reported, so a test fails on them.
 */
export async function guard(page: Page, origin: string): Promise<{ outside: string[]; failed: string[] }> {
  const own = new URL(origin).host;
  const seen = { outside: [] as string[], failed: [] as string[] };
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.host === own) return route.continue();
    seen.outside.push(url.href);
    return route.abort();
  });
  page.on('requestfailed', (req) => {
    if (new URL(req.url()).host === own) seen.failed.push(`${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && new URL(res.url()).host === own) seen.failed.push(`${res.url()} ${res.status()}`);
  });
  return seen;
}
