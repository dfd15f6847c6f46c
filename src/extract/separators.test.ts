import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuGrowth, linear } from '../../test/lib/growth.js';
import { loadDocument } from './dom.js';
import { readPageMetadata, stripTitleSuffix, titleSeparators } from './metadata.js';

/** The regex titleSeparators replaces (quadratic on runs of spaces), as the reference. */
const OLD =
  /\s+[-–—|]\s+|\s*[|｜_]\s*|(?<=[\p{Script=Han}\u3000-\u303f\uff00-\uffef])-{1,2}|-{1,2}(?=\p{Script=Han})/gu;

test('titleSeparators finds exactly the spans the old regex matched, on 20,000 random titles', () => {
  const alphabet = [
    ' ',
    ' ',
    '\u3000',
    '\t',
    '-',
    '-',
    '–',
    '—',
    '|',
    '｜',
    '_',
    'a',
    'B',
    '1',
    '字',
    '新',
    '，',
    '𠀀',
    ':',
  ];
  let seed = 17;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let k = 0; k < 20_000; k++) {
    let s = '';
    const len = rand(14);
    for (let i = 0; i < len; i++) s += alphabet[rand(alphabet.length)];
    const expected = [...s.matchAll(OLD)].map((m) => [m.index, m.index + m[0].length]);
    assert.deepEqual(titleSeparators(s), expected, JSON.stringify(s));
  }
});

test('a <title> of 200,000 U+3000 (or spaced bars, or dashes between Han) is read in linear time (issue 17.3)', () => {
  // The regex took 3.4 s on 20,000 U+3000 and grew with the square of the length.
  // Checked by how the work grows from 25,000 to 200,000 characters (CPU time, not a clock bound).
  for (const unit of ['\u3000', ' |', '字-']) {
    const read = (n: number) => {
      const title = unit.repeat(n / unit.length);
      const $ = loadDocument(
        `<html><head><title>${title}</title><meta property="og:site_name" content="站"></head></html>`,
      );
      readPageMetadata($, 'https://e.example/', 'UTC');
      stripTitleSuffix(title);
    };
    const ratio = cpuGrowth(read, 25_000);
    assert.ok(linear(ratio), `${JSON.stringify(unit)}: 8 times the title took ${ratio.toFixed(1)} times the CPU time`);
  }
});
