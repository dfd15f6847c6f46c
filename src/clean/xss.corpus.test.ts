import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { unsafeParts } from '../../test/lib/github-allowlist.js';
import type { SiteRule } from '../config/schema.js';
import { corpusDir } from '../extract/corpus.js';
import { type Element, loadFragment } from '../extract/dom.js';
import { cleanArticle } from './index.js';

const xss = path.join(corpusDir(), 'xss');
const dompurify: { id: number; title: string; payload: string }[] = JSON.parse(
  readFileSync(path.join(xss, 'dompurify-expect.json'), 'utf8'),
).cases;
const owasp: { id: number; section: string; vector: string }[] = JSON.parse(
  readFileSync(path.join(xss, 'owasp-xss-filter-evasion.json'), 'utf8'),
).vectors;
const payloads = [
  ...dompurify.map((c) => ({ name: `dompurify #${c.id} ${c.title}`, html: c.payload })),
  ...owasp.map((v) => ({ name: `owasp #${v.id} ${v.section}`, html: v.vector })),
];

const META = { id: 'x', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };
// Heading demotion is deliberately not idempotent (h1 → h3 → h5); idempotence is about the rest.
const RULE: SiteRule = { name: 'xss', hosts: ['example.com'], example: 'https://example.com/', demoteHeadings: false };
const BANNED =
  /^(?:script|iframe|frame|object|embed|applet|base|meta|link|form|input|button|style|svg|math|template|noscript)$/i;
const UNSAFE_URL = /^(?:javascript|vbscript|data|livescript|mocha):/i;

function clean(html: string) {
  return cleanArticle({ url: 'https://example.com/a/page.html', title: 't', html, extractor: 'rule' }, META, {
    rule: RULE,
    images: 'mirror',
  });
}

/** Every way the cleaned HTML could still run script or load active content. */
function problems(html: string): string[] {
  const found: string[] = [];
  if (/<script/i.test(html)) found.push('<script');
  // Attribute values may hold the text `onx=` (a URL path, say); only attribute names matter.
  if (/<[^>]*[\s/]on[a-z]+\s*=/i.test(html.replace(/"[^"]*"/g, '""'))) found.push('on* attribute in markup');
  // The safe set is written down independently of the module under test (GitHub's allowlist).
  found.push(...unsafeParts(html));
  for (const el of loadFragment(html)('*').toArray() as Element[]) {
    if (BANNED.test(el.tagName)) found.push(`element <${el.tagName}>`);
    for (const [name, value] of Object.entries(el.attribs)) {
      const squeezed = value.replace(/[\u0000-\u0020\u007f-\u00a0]+/g, '');
      if (UNSAFE_URL.test(squeezed)) found.push(`${name}=${value}`);
      if (/expression\(|behavior:|-moz-binding/i.test(value)) found.push(`css in ${name}`);
      if ((name === 'href' || name === 'src' || name === 'cite') && !/^(?:https?:|mailto:)/i.test(value)) {
        found.push(`non-absolute ${name}=${value}`);
      }
    }
  }
  return found;
}

describe('cleanArticle on sanitiser attack vectors (corpus/xss)', () => {
  it('has the vectors to test', () => {
    assert.ok(dompurify.length >= 100 && owasp.length >= 50, `${dompurify.length} + ${owasp.length} vectors`);
  });

  it('leaves every payload inert', () => {
    const failures = payloads
      .map((p) => ({ name: p.name, found: problems(clean(p.html).html) }))
      .filter((f) => f.found.length > 0);
    assert.deepEqual(failures, []);
  });

  it('is idempotent on its own output', () => {
    const failures = payloads.filter((p) => {
      const once = clean(p.html).html;
      return clean(once).html !== once;
    });
    assert.deepEqual(
      failures.map((f) => f.name),
      [],
    );
  });
});
