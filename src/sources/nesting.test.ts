import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { load } from 'cheerio';
import { cpuGrowth, linear } from '../../test/lib/growth.js';
import { capNesting, MAX_DEPTH } from './nesting.js';

/** The depth of the tree htmlparser2 (through cheerio) builds, walked without recursion. */
function depthOf(html: string): number {
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
  let max = 0;
  const stack: [{ children?: unknown[] }, number][] = [[$.root()[0] as { children?: unknown[] }, 0]];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    const [node, d] = e;
    if (d > max) max = d;
    for (const kid of node.children ?? []) stack.push([kid as { children?: unknown[] }, d + 1]);
  }
  return max;
}

describe('capNesting', () => {
  test('elements nested deeper than MAX_DEPTH lose their tags, not their text', () => {
    const html = `<div>${'<div><span>'.repeat(3000)}deep text${'</span></div>'.repeat(3000)}</div><p>after</p>`;
    const out = capNesting(html);
    assert.ok(depthOf(out) <= MAX_DEPTH + 2, `depth ${depthOf(out)}`);
    const $ = load(out);
    assert.match($.root().text(), /deep text/);
    assert.equal($('p').text(), 'after', 'what follows the deep part keeps its place');
  });

  test('real markup is returned as it is: implied ends, void and raw-text elements, comments, quoted >', () => {
    const html = [
      '<!doctype html><html><head><title>a <div> b</title><script>if (a<b) document.write("<div>".repeat(999))</script></head><body>',
      '<p>one<p>two<p>three'.repeat(200),
      '<ul>',
      '<li>x'.repeat(500),
      '</ul><table>',
      '<tr><td>a<td>b'.repeat(300),
      '</table>',
      '<img src="x.png"><br><hr><input value="a>b">'.repeat(200),
      '<div title="<div><div>">'.repeat(20),
      'text',
      '</div>'.repeat(20),
      '<!-- <div><div><div> -->'.repeat(300),
      '<style>div>div>div{}</style><textarea><div><div></textarea>',
      '</body></html>',
    ].join('');
    assert.equal(capNesting(html), html);
  });

  test('500,000 nested elements are cut in one pass: seconds, not the ten minutes a parse took', () => {
    const out = capNesting(`${'<div>'.repeat(500_000)}x`);
    assert.ok(depthOf(out) <= MAX_DEPTH + 1);
    assert.ok(out.length < 10_000);
    // Linear: 8 times the elements, about 8 times the work (CPU time, not a clock bound).
    const ratio = cpuGrowth((n) => capNesting(`${'<div>'.repeat(n)}x`), 62_500);
    assert.ok(linear(ratio), `8 times the elements took ${ratio.toFixed(1)} times the CPU time`);
  });
});
