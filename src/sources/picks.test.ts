import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MirrorError } from '../errors.js';
import { parsePicks } from './picks.js';

const picksError = (line: number) => (err: unknown) =>
  err instanceof MirrorError && err.code === 'PicksParse' && err.message.startsWith(`line ${line}:`);

describe('parsePicks', () => {
  test('header, comments, blank lines, quotes, doubled quotes, CRLF', () => {
    const csv = [
      'url,title',
      '# curated by the operator',
      '',
      'https://a.example/1.htm,First pick',
      '  https://a.example/2.htm , "Second, with a comma"  ',
      'https://a.example/3.htm,"She said ""hello"""',
      'https://a.example/4.htm,Unquoted, extra commas kept',
      '   # indented comment',
      'https://a.example/1.htm,Duplicate dropped',
      '"https://a.example/5.htm","Quoted url"',
    ].join('\r\n');
    assert.deepEqual(parsePicks(csv), [
      { url: 'https://a.example/1.htm', title: 'First pick' },
      { url: 'https://a.example/2.htm', title: 'Second, with a comma' },
      { url: 'https://a.example/3.htm', title: 'She said "hello"' },
      { url: 'https://a.example/4.htm', title: 'Unquoted, extra commas kept' },
      { url: 'https://a.example/5.htm', title: 'Quoted url' },
    ]);
  });

  test('a quoted title may span lines; later line numbers stay right', () => {
    const csv = 'https://a.example/1,"two\nlines"\nnot-a-url,x\n';
    assert.throws(() => parsePicks(csv), picksError(3));
  });

  test('no header is fine; an empty file is no picks', () => {
    assert.deepEqual(parsePicks('https://a.example/1,中文标题\n'), [{ url: 'https://a.example/1', title: '中文标题' }]);
    assert.deepEqual(parsePicks(''), []);
    assert.deepEqual(parsePicks('url,title\n# nothing yet\n'), []);
  });

  test('bad rows name their line', () => {
    assert.throws(() => parsePicks('url,title\nhttps://a.example/1,ok\n/relative,title'), picksError(3));
    assert.throws(() => parsePicks('ftp://a.example/1,title'), picksError(1));
    assert.throws(() => parsePicks('\n\nhttps://a.example/1'), picksError(3));
    assert.throws(() => parsePicks('https://a.example/1,   '), picksError(1));
    assert.throws(() => parsePicks('https://a.example/1,"never closed\n'), picksError(1));
    assert.throws(() => parsePicks('https://a.example/1,"quoted" trailing'), picksError(1));
  });
});
