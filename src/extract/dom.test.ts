import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexTags, loadDocument } from './dom.js';

test('indexTags finds elements by tag name in document order, scripts and styles included', () => {
  const $ = loadDocument(
    '<html lang="zh"><head><title>A</title><meta name="a"><script>1</script><style>p{}</style></head>' +
      '<body><div><meta name="b"><template><script>2</script></template></div><svg><title>B</title></svg></body></html>',
  );
  const tags = indexTags($.root().toArray(), new Set(['html', 'title', 'meta', 'script', 'style', 'template']));
  assert.deepEqual(
    (tags.get('title') ?? []).map((t) => $(t).text()),
    ['A', 'B'],
  );
  assert.deepEqual(
    (tags.get('meta') ?? []).map((m) => m.attribs.name),
    ['a', 'b'],
  );
  assert.deepEqual(
    (tags.get('script') ?? []).map((s) => $(s).text()),
    ['1', '2'],
  );
  assert.equal(tags.get('style')?.length, 1);
  assert.equal(tags.get('html')?.[0]?.attribs.lang, 'zh');
  assert.equal(tags.get('div'), undefined, 'only the names asked for are indexed');
});
