/**
 * Bug: an article without a title (feeds of untitled posts, or a title that was only
 * markup) was stored with title '' and listed in every index as an empty, unclickable
 * link. Found by the hostile-content suite (the feedparser sanitiser feeds have no titles).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanArticle } from '../../src/clean/index.js';

const META = { id: 'a1', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };

test('an untitled article is titled by the start of its text, or its id', () => {
  const clean = (title: string, html: string) =>
    cleanArticle({ url: 'https://example.com/a1.html', title, html, extractor: 'feed' }, META, { images: 'hotlink' });
  assert.equal(clean('<img src=x onerror=alert(1)>', '<p>Short text.</p><p>Second.</p>').title, 'Short text. Second.');
  const long = clean('', `<p>${'word '.repeat(40)}</p>`).title;
  assert.ok(long.endsWith('…') && Array.from(long).length <= 61, long);
  assert.equal(clean('', '').title, 'a1');
  assert.equal(clean('Real title', '<p>x</p>').title, 'Real title');
});
