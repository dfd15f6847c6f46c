/**
 * Bug: a channel (or picks, hot list) name with an unbalanced `(` or with `&` made a
 * broken link to its index: encodeURIComponent leaves `(` `)` as they are (an unbalanced
 * one ends a Markdown link destination) and `&lt;` in a destination is read as an entity.
 * Found by the hostile-content suite.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeLinkPath } from '../../src/render/paths.js';

test('index link paths encode parentheses, quotes and ampersands', () => {
  assert.equal(encodeLinkPath('indexes/Ea (b.md'), 'indexes/Ea%20%28b.md');
  assert.equal(encodeLinkPath("indexes/E&lt;x'.md"), 'indexes/E%26lt;x%27.md');
  assert.equal(encodeLinkPath('indexes/E国际新闻.md'), 'indexes/E国际新闻.md');
  assert.equal(decodeURIComponent(encodeLinkPath('indexes/a (b) & c.md')), 'indexes/a (b) & c.md');
});
