/**
 * Bug: a title holding U+2028 or U+2029 (which JSON writes raw) made the page's
 * `newsmirror:article` comment unreadable (`.` does not match them), so the page could
 * not be read back by `rebuild-state`. Found by the hostile-content suite.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metaComment, readMetaComment } from '../../src/render/markdown.js';

test('a meta comment round-trips any title', () => {
  const data = { title: 'para\u2028separator\u2029here --> <!-- x', id: 'a' };
  const comment = metaComment('article', data);
  assert.doesNotMatch(comment, /[\u2028\u2029]/);
  assert.deepEqual(readMetaComment(`x\n${comment}\n`, 'article'), data);
  // Pages written before the fix still read.
  const old = `<!-- newsmirror:article ${JSON.stringify({ title: 'a\u2028b' })} -->`;
  assert.deepEqual(readMetaComment(old, 'article'), { title: 'a\u2028b' });
});
