import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bigramF1, htmlText } from './score.js';

describe('bigramF1', () => {
  it('is 1 for the same text, whatever the whitespace', () => {
    assert.equal(bigramF1('今天 天气\n很好', '今天天气很好'), 1);
    assert.equal(bigramF1('  a  b ', 'a\n\tb'), 1);
    assert.notEqual(bigramF1('ab', 'a b'), 1, 'a space between Latin letters still counts');
    assert.equal(bigramF1('', ''), 1);
  });

  it('is 0 when nothing overlaps or one side is empty', () => {
    assert.equal(bigramF1('甲乙丙', '丁戊己'), 0);
    assert.equal(bigramF1('', '甲乙'), 0);
  });

  it('counts bigrams as a multiset', () => {
    // Candidate bigrams 甲乙, 乙甲, 甲乙; reference 甲乙 once: overlap 1, so P = 1/3 and R = 1.
    assert.equal(bigramF1('甲乙甲乙', '甲乙'), (2 * (1 / 3) * 1) / (1 / 3 + 1));
  });

  it('scores a partial extraction between 0 and 1', () => {
    const full = '第一段文字说明了事情的起因。第二段文字交代了事情的经过。';
    const half = '第一段文字说明了事情的起因。';
    const f = bigramF1(half, full);
    assert.ok(f > 0.5 && f < 0.8, String(f));
  });
});

describe('htmlText', () => {
  it('separates blocks, drops scripts and collapses whitespace', () => {
    assert.equal(
      htmlText('<p>one</p><p>two<br>three</p><script>x()</script>\n <div> four </div>'),
      'one two three four',
    );
    assert.equal(htmlText('<p>中文&amp;<b>加粗</b></p>'), '中文&加粗');
  });
});
