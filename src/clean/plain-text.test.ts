import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articleLine, articleText } from './plain-text.js';

test('paragraphs and headings are separated by one blank line, however deeply they nest', () => {
  const html = '<h2>Harbour reopens</h2><div><div><p>The ferry runs again.</p></div>\n<p>Tickets cost less.</p></div>';
  assert.equal(articleText(html), 'Harbour reopens\n\nThe ferry runs again.\n\nTickets cost less.');
});

test('table cells are separated by a tab and rows start a line', () => {
  const html =
    '<table><thead><tr><th>Pos</th><th>Driver</th><th>Points</th></tr></thead>' +
    '<tbody>\n<tr>\n<td>1</td>\n<td>Mara Lind</td><td>5040</td></tr><tr><td>2</td><td>Ole Berg</td><td>4980</td></tr></tbody></table>';
  assert.equal(articleText(html), 'Pos\tDriver\tPoints\n1\tMara Lind\t5040\n2\tOle Berg\t4980');
});

test('list items and line breaks start lines; inline markup keeps words apart only where the page had a space', () => {
  const html =
    '<p>Before<br>after <b>bold</b>er</p><ul><li>one</li><li>two <a href="https://x.test/">link</a></li></ul>';
  assert.equal(articleText(html), 'Before\nafter bolder\n\none\ntwo link');
});

test('captions are left out of the text unless asked for; then a caption stands apart and its trailing credit on a line of its own', () => {
  const html =
    '<p>Lead paragraph.</p><figure><img src="https://img.test/a.jpg" alt="x"><figcaption>Boats in the harbour <small>Photo: Example Agency</small></figcaption></figure><p>Next.</p>';
  assert.equal(articleText(html), 'Lead paragraph.\n\nNext.');
  assert.equal(articleLine(html), 'Lead paragraph. Next.');
  assert.equal(
    articleText(html, { captions: true }),
    'Lead paragraph.\n\nBoats in the harbour\nPhoto: Example Agency\n\nNext.',
  );
  const table = '<table><caption>Crossings in May</caption><tr><td>12</td></tr></table>';
  assert.equal(articleText(table), 'Crossings in May\n12', "a table's caption is the table's title: it stays");
});

test('Chinese text: a pretty-printer line break between two Han characters is no space; U+3000 is kept', () => {
  const html = '<p>　　港口今天\n重新开放，\n渡轮 恢复运营。</p><p>Line two</p>';
  assert.equal(articleText(html), '　　港口今天重新开放，渡轮 恢复运营。\n\nLine two');
});

test('preformatted text keeps its spacing and line breaks', () => {
  assert.equal(articleText('<p>Code:</p><pre>a  = 1\n  b = 2</pre>'), 'Code:\n\na  = 1\n  b = 2');
});

test('scripts, styles and templates are not text', () => {
  assert.equal(articleText('<p>Kept</p><script>var x = 1</script><style>p{}</style><template>no</template>'), 'Kept');
});

test('entities are decoded and the one-line form joins blocks with a space', () => {
  assert.equal(articleText('<p>A &amp; B &lt;3</p>'), 'A & B <3');
  assert.equal(articleLine('<h2>Title</h2><p>One.</p><ul><li>Two</li></ul>'), 'Title One. Two');
});

test('an empty body has empty text', () => {
  assert.equal(articleText(''), '');
  assert.equal(articleText('<p> </p><div>\n</div>'), '');
});

test('text after a block or a list item starts its own paragraph or line; comments are not text', () => {
  assert.equal(articleText('<p>One</p>tail'), 'One\n\ntail');
  assert.equal(articleText('<ul><li>item</li></ul>after'), 'item\n\nafter');
  assert.equal(articleText('<dl><dt>Term</dt><dd>Meaning</dd></dl>'), 'Term\nMeaning');
  assert.equal(articleText('lead<br>next<!-- a note -->line'), 'lead\nnextline');
  assert.equal(articleText('a<img src="https://x.test/a.jpg" alt="picture">b'), 'ab');
});

test('a table row without cells, a row of one cell, and a cell with a nested block', () => {
  assert.equal(
    articleText('<table><tr><td>only</td></tr><tr><th>h</th><td><p>para</p></td></tr></table>'),
    'only\nh\n\npara',
  );
});

test('a caption that is only a credit, or ends in a <cite>, or ends in text', () => {
  const fig = (cap: string) => `<figure><img src="https://x.test/a.jpg"><figcaption>${cap}</figcaption></figure>`;
  const captions = { captions: true };
  assert.equal(articleText(fig('<small>Photo: Agency</small>'), captions), 'Photo: Agency');
  assert.equal(articleText(fig('The pier <cite>Mara Lind</cite>'), captions), 'The pier\nMara Lind');
  assert.equal(articleText(fig('<b>The pier</b> at dawn'), captions), 'The pier at dawn');
  assert.equal(articleText(fig('<b>The pier</b> <i>at dawn</i>'), captions), 'The pier at dawn');
});

test('tabs, carriage returns and form feeds are spaces; a line break between Latin words is a space', () => {
  assert.equal(articleText('<p>one\t\ttwo\r\nthree\ffour</p>'), 'one two three four');
  assert.equal(articleText('<p>港口\n开放 and\nferries</p>'), '港口开放 and ferries');
  assert.equal(articleText('<p>港口\nferry</p>'), '港口 ferry', 'a line break between Han and Latin is a space');
});

test('preformatted text after a paragraph, with an empty <pre> in between, and spacing kept at its start', () => {
  assert.match(
    articleText('<p>Run:</p><pre></pre><pre>  npm start\n</pre><p>Done.</p>'),
    /^Run:\n\n {2}npm start\n+Done\.$/,
  );
});

test('the one-line form drops empty lines and spacing around them', () => {
  assert.equal(articleLine('<p>One</p><pre>  two  \n\n  three </pre>'), 'One two three');
});
