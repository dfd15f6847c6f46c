/** Charset decoding (decodeBody) on corpus/news: legacy Big5/GB2312 bytes and pages whose `<meta>` lies. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type DecodedBody, decodeBody, normaliseCharset } from '../../src/fetch/charset.js';
import { type CaseRow, describe, round, type SuiteResult } from './report.js';

export interface CharsetSummary {
  files: number;
  /** U+FFFD in all decoded texts together: each one is a character lost. */
  replacementChars: number;
  crashes: number;
  /** Files with a stated expectation (chardet `Expect:`, UTF-8 despite a lying meta, a title) that agree. */
  withExpected: number;
  agreement: number;
  /** Files whose decoded text holds Chinese (every file of this corpus is a Chinese page). */
  chineseDecoded: number;
}

/** How the files are decoded: the product's `decodeBody`, or a deliberately broken one in a test. */
export type Decoder = (bytes: Uint8Array, contentType: string | undefined) => DecodedBody;

/** Pages that declare GB2312 in `<meta>` but are stored as UTF-8 (corpus/README.md). */
const LYING_META = ['people.com.cn/People_2024_04_24.html', 'qq.com/qq-2.html', '163.com/163-9.html'];

export function runCharset(corpus: string, decode: Decoder = decodeBody): SuiteResult<CharsetSummary> {
  const news = path.join(corpus, 'news');
  const legacy = path.join(news, 'legacy-encoding');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.endsWith('.json') && !name.endsWith('.md')) files.push(path.relative(news, p));
    }
  };
  walk(legacy);
  files.push(...LYING_META);
  // Every other full page too: a UTF-8 page must stay UTF-8.
  for (const site of readdirSync(news).sort()) {
    const dir = path.join(news, site);
    if (site === 'legacy-encoding' || !statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) {
      const rel = `${site}/${f}`;
      if (f.endsWith('.html') && !files.includes(rel)) files.push(rel);
    }
  }

  const rows: CaseRow[] = [];
  let replacement = 0;
  let crashes = 0;
  let withExpected = 0;
  let agreed = 0;
  let chinese = 0;
  for (const rel of files) {
    const bytes = readFileSync(path.join(news, rel));
    let decoded: ReturnType<typeof decodeBody>;
    try {
      decoded = decode(bytes, undefined);
    } catch (err) {
      crashes++;
      rows.push({
        name: rel,
        status: 'crash',
        cells: { charset: '-', source: '-', 'U+FFFD': '-', expected: '-' },
        note: describe(err),
      });
      continue;
    }
    const fffd = (decoded.text.match(/\uFFFD/g) ?? []).length;
    // A U+FFFD that is in the file as UTF-8 bytes (EF BF BD) was lost before the corpus saved it.
    const inSource = decoded.charset === 'utf-8' ? (bytes.toString('utf8').match(/\uFFFD/g) ?? []).length : 0;
    const lost = Math.max(0, fffd - inSource);
    replacement += lost;
    const expected = expectationOf(rel, bytes, news);
    let agree: boolean | undefined;
    if (expected !== undefined) {
      withExpected++;
      agree =
        (expected.charset === undefined || expected.charset === decoded.charset) &&
        (expected.contains === undefined || decoded.text.includes(expected.contains));
      if (agree) agreed++;
    }
    const han = /\p{Script=Han}/u.test(decoded.text);
    if (han) chinese++;
    rows.push({
      name: rel,
      status: lost === 0 && agree !== false && han ? 'ok' : 'fail',
      cells: {
        charset: decoded.charset,
        source: decoded.charsetSource,
        'U+FFFD': String(lost),
        expected:
          expected === undefined
            ? '-'
            : `${expected.charset ?? ''}${expected.contains ? ' +title' : ''} ${agree ? '✓' : '✗'}`,
      },
      note:
        [han ? '' : 'no Chinese text decoded', inSource > 0 ? `${inSource} U+FFFD already in the saved file` : '']
          .filter(Boolean)
          .join('; ') || undefined,
    });
  }
  return {
    columns: ['charset', 'source', 'U+FFFD', 'expected'],
    rows,
    summary: {
      files: files.length,
      replacementChars: replacement,
      crashes,
      withExpected,
      agreement: round(agreed / Math.max(1, withExpected)),
      chineseDecoded: chinese,
    },
  };
}

/** What a file is known to decode as: chardet's `Expect:` header, UTF-8 for the lying pages, a title. */
function expectationOf(
  rel: string,
  bytes: Buffer,
  news: string,
): { charset?: string | undefined; contains?: string | undefined } | undefined {
  if (LYING_META.includes(rel)) return { charset: 'utf-8' };
  const expect = /Expect:\s*([\w-]+)/.exec(bytes.subarray(0, 1024).toString('latin1'))?.[1];
  if (expect) return { charset: normaliseCharset(expect) };
  if (rel.endsWith('qq.com-head-html_4.html')) {
    const json = JSON.parse(readFileSync(path.join(news, rel.replace(/\.html$/, '.expected.json')), 'utf8')) as {
      title: string;
    };
    return { charset: 'gb18030', contains: json.title };
  }
  return undefined;
}
