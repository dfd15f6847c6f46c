import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LIMITS } from './limits.js';
import { absoluteHttpUrl, cleanTitle, collapse } from './text.js';

describe('source text', () => {
  test('U+3000 in a title stays U+3000 (issue 16.15); other spacing collapses to one space', () => {
    assert.equal(cleanTitle('要闻\u3000|\u3000标题'), '要闻\u3000|\u3000标题');
    assert.equal(cleanTitle('<b>新闻</b>\u3000副题'), '新闻\u3000副题');
    assert.equal(collapse(' a \t\n\u00a0 b\u3000c '), 'a b\u3000c');
  });

  test('a title is cut to LIMITS.title (a 3 MB title made every index 3 MB; issue 17.8)', () => {
    const t = cleanTitle(`<b>${'长'.repeat(3_000_000)}</b>`);
    assert.equal(t.length, LIMITS.title);
    assert.ok(t.endsWith('…'));
    // A surrogate pair is never split.
    const astral = cleanTitle('𠀀'.repeat(400));
    assert.ok(!/[\ud800-\udbff]…$/.test(astral));
  });

  test('a URL longer than LIMITS.url is no URL', () => {
    assert.equal(absoluteHttpUrl(`https://e.example/${'a'.repeat(LIMITS.url)}`, undefined), undefined);
    assert.equal(absoluteHttpUrl('/a', 'https://e.example/'), 'https://e.example/a');
  });
});
