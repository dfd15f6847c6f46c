import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_DEPTH } from '../sources/nesting.js';
import { type AnyNode, indexTags, loadDocument, loadFragment, selectEach, stillAttached } from './dom.js';

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

test('selectEach gives what cheerio gives for each selector, in document order, in one walk', () => {
  const $ = loadDocument(
    '<body><div class="info"><span class="a">1</span><time>t1</time></div><p class="a">2</p>' +
      '<div class="info"><time>t2</time></div><script class="a">3</script></body>',
  );
  const selectors = [
    '.a',
    '.info time',
    'p.a, span.a',
    'div:has(time) > time',
    '.info time:first',
    'time:eq(1)',
    'nav',
  ];
  const select = selectEach($, selectors);
  for (const sel of selectors) assert.deepEqual(select(sel), $(sel).toArray(), sel);
  // Selectors only cheerio knows are still answered (`:first`, `:eq`), and unknown ones asked later too.
  assert.deepEqual(
    select('.info time:first').map((el) => $(el).text()),
    ['t1'],
  );
  assert.deepEqual(
    select('div.info').map((el) => $(el).find('time').text()),
    ['t1', 't2'],
  );
});

test('stillAttached keeps the elements still in the page: not one removed, nor one inside a removed one', () => {
  const $ = loadDocument('<body><h1>a</h1><template><h1>b</h1></template><div><h1>c</h1></div></body>');
  const h1s = indexTags($.root().toArray(), new Set(['h1'])).get('h1') ?? [];
  $('template').remove();
  $('h1').first().remove();
  assert.deepEqual(
    stillAttached(h1s).map((h) => $(h).text()),
    ['c'],
  );
});

test('every tree is at most MAX_DEPTH deep, whether the markup has few tags (parsed first) or many', () => {
  const depth = (root: AnyNode): number => {
    let max = 0;
    const stack: [AnyNode, number][] = [[root, 0]];
    for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
      const [node, d] = e;
      max = Math.max(max, d);
      if ('children' in node) for (const kid of node.children) stack.push([kid, d + 1]);
    }
    return max;
  };
  // 2,000 tags: parsed as they are, found too deep, unwrapped. 60,000: unwrapped before the parse.
  for (const n of [1_000, 30_000]) {
    const html = `<p>before</p>${'<div><span>'.repeat(n)}deep text${'</span></div>'.repeat(n)}<p>after</p>`;
    for (const $ of [loadDocument(html), loadFragment(html)]) {
      assert.ok(depth($.root()[0] as AnyNode) <= MAX_DEPTH + 2, `${n}: depth ${depth($.root()[0] as AnyNode)}`);
      assert.match($.root().text(), /^before.*deep text.*after$/s);
    }
  }
  // Markup within the bound is the tree htmlparser2 makes of it, unchanged.
  const ok = `<div>${'<section>'.repeat(100)}x${'</section>'.repeat(100)}</div>`;
  assert.equal(loadFragment(ok).html(), ok);
});
