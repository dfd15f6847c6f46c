import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
// @ts-expect-error: a plain .mjs script, without types.
import { patchEventTarget } from '../scripts/patch-deps.mjs';

type Patched = { text: string; status: 'patched' | 'already' | 'unknown' };
const patch = patchEventTarget as (source: string) => Patched;

/** A class of our own with the three shapes the patch edits, as linkedom 0.18 writes them. */
const SHAPES = [
  'const wm = new WeakMap();',
  'class Target {',
  '  constructor() {',
  '    wm.set(this, new Map);',
  '  }',
  '  addEventListener(type, listener, options) {',
  '    const map = wm.get(this);',
  '    map.set(type, listener);',
  '  }',
  '  removeEventListener(type, listener) {',
  '    const map = wm.get(this);',
  '    if (map.has(type)) {',
  '      map.delete(type);',
  '    }',
  '  }',
  '}',
].join('\n');

describe('the postinstall patch of linkedom (scripts/patch-deps.mjs)', () => {
  it('makes the listener map on first use, and leaves text it patched or does not know alone', () => {
    const once = patch(SHAPES);
    assert.equal(once.status, 'patched');
    assert.doesNotMatch(once.text, /constructor\(\) \{\n\s*wm\.set/);
    assert.match(once.text, /let map = wm\.get\(this\);\n\s*if \(!map\) wm\.set\(this, map = new Map\);/);
    assert.match(once.text, /if \(map && map\.has\(type\)\)/);
    // The patched class still works: a listener added and removed, without a map made up front.
    const Target = new Function(`${once.text}\nreturn [Target, wm];`)() as [
      new () => { addEventListener: (t: string, l: () => void) => void; removeEventListener: (t: string) => void },
      WeakMap<object, Map<string, unknown>>,
    ];
    const [Cls, wm] = Target;
    const t = new Cls();
    assert.equal(wm.has(t), false);
    t.removeEventListener('x');
    t.addEventListener('x', () => {});
    assert.equal(wm.get(t)?.size, 1);

    assert.deepEqual(patch(once.text), { text: once.text, status: 'already' });
    const other = SHAPES.replace('wm.set(this, new Map);', 'this.listeners = new Map();');
    assert.deepEqual(patch(other), { text: other, status: 'unknown' });
  });

  it('has been applied to the installed linkedom, esm and cjs', () => {
    const dir = path.resolve(path.dirname(createRequire(import.meta.url).resolve('linkedom')), '..');
    for (const flavour of ['esm', 'cjs']) {
      const text = readFileSync(path.join(dir, flavour, 'interface', 'event-target.js'), 'utf8');
      assert.equal(patch(text).status, 'already', `${flavour} event-target.js is not patched: run npm ci`);
    }
  });

  it('leaves linkedom’s events working: listeners are called, removed, and called once', () => {
    const { document, Event } = parseHTML('<html><body><div id="a"><p id="b">x</p></div></body></html>');
    const a = document.getElementById('a');
    const b = document.getElementById('b');
    assert.ok(a && b);
    const calls: string[] = [];
    const onA = () => calls.push('a');
    a.addEventListener('ping', onA);
    b.addEventListener('ping', () => calls.push('b-once'), { once: true });
    b.dispatchEvent(new Event('ping', { bubbles: true }));
    b.dispatchEvent(new Event('ping', { bubbles: true }));
    a.removeEventListener('ping', onA);
    b.dispatchEvent(new Event('ping', { bubbles: true }));
    assert.deepEqual(calls, ['b-once', 'a', 'a']);
  });
});
