#!/usr/bin/env node
/**
 * Run after `npm install` / `npm ci` (the `postinstall` script): one change to a dependency,
 * for speed only. It never changes what the dependency does.
 *
 * linkedom (the DOM the Readability fallback runs on) registers every node it creates in a
 * module-wide WeakMap, each with a `Map` of event listeners that newsmirror never adds. V8's
 * young-generation collector keeps the keys of such a map alive, so every node of every page
 * was copied and promoted before it could be freed: parsing a 99 KB page took 11 ms of CPU, of
 * which 4 ms was collecting. The patch creates the listener map on the first
 * `addEventListener` instead (4.9 ms a page). Listeners behave as before
 * (`test/patch-deps.test.ts`).
 *
 * Already patched: nothing to do. Text it does not recognise (another linkedom version): a
 * warning, and the file is left as it is: newsmirror works the same, only slower.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = '/* newsmirror: listener map made on first use (scripts/patch-deps.mjs) */';

/** The three places of linkedom 0.18's event-target.js the patch changes, original → patched. */
const EDITS = [
  [/constructor\(\) \{\n(\s*)wm\.set\(this, new Map\);\n(\s*)\}/, 'constructor() {\n$2}'],
  [
    /addEventListener\(type, listener, options\) \{\n(\s*)const map = wm\.get\(this\);/,
    'addEventListener(type, listener, options) {\n$1let map = wm.get(this);\n$1if (!map) wm.set(this, map = new Map);',
  ],
  [
    /removeEventListener\(type, listener\) \{\n(\s*)const map = wm\.get\(this\);\n(\s*)if \(map\.has\(type\)\) \{/,
    'removeEventListener(type, listener) {\n$1const map = wm.get(this);\n$2if (map && map.has(type)) {',
  ],
];

/**
 * `source` patched: `{ text, status }`, status `patched`, `already` (the mark is there) or
 * `unknown` (an edit found nothing to change: `text` is `source`).
 */
export function patchEventTarget(source) {
  if (source.includes(MARK)) return { text: source, status: 'already' };
  let text = source;
  for (const [from, to] of EDITS) {
    if (!from.test(text)) return { text: source, status: 'unknown' };
    text = text.replace(from, to);
  }
  return { text: `${MARK}\n${text}`, status: 'patched' };
}

/** linkedom's folder as this package resolves it, or undefined when it is not installed. */
function linkedomDir(from) {
  try {
    const require = createRequire(from);
    // `linkedom` resolves to cjs/index.js (its package.json is not exported).
    return path.resolve(path.dirname(require.resolve('linkedom')), '..');
  } catch {
    return undefined;
  }
}

export function patchLinkedom(dir) {
  const results = [];
  for (const flavour of ['esm', 'cjs']) {
    const file = path.join(dir, flavour, 'interface', 'event-target.js');
    let source;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      results.push({ file, status: 'missing' });
      continue;
    }
    const { text, status } = patchEventTarget(source);
    if (status === 'patched') writeFileSync(file, text);
    results.push({ file, status });
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = linkedomDir(import.meta.url);
  if (dir === undefined) process.exit(0);
  for (const { file, status } of patchLinkedom(dir)) {
    if (status === 'unknown' || status === 'missing')
      process.stderr.write(
        `newsmirror postinstall: ${file} is not the linkedom 0.18 file it patches (${status}); left as it is: the Readability fallback will be slower\n`,
      );
  }
}
