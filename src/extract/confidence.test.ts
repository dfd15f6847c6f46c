import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractionConfidence, LOW_CONFIDENCE } from './confidence.js';

const para = (n: number) =>
  `<p>Paragraph ${n}: the Lowmere harbour board agreed that the late ferry keeps running through the winter, after the fishermen of the east quay asked for it at three meetings.</p>`;
const ARTICLE = [1, 2, 3, 4, 5].map(para).join('');
const title = 'Late ferry keeps running through the winter';

test('a rule or a complete feed is trusted: 1', () => {
  assert.equal(extractionConfidence({ extractor: 'rule', title, html: '<p>x</p>' }), 1);
  assert.equal(extractionConfidence({ extractor: 'feed', title, html: '' }), 1);
});

test('a full article about its headline is sure; short bodies, link lists and short unrelated blocks are not', () => {
  assert.equal(extractionConfidence({ extractor: 'readability', title, html: ARTICLE }), 1);
  const signIn = '<p>Sign in to keep reading: your session has expired, please enter your password again.</p>';
  assert.ok(extractionConfidence({ extractor: 'readability', title, html: signIn }) < LOW_CONFIDENCE);
  const short = `<p>${'The late ferry keeps running. '.repeat(4)}</p>`;
  assert.ok(extractionConfidence({ extractor: 'readability', title, html: short }) < LOW_CONFIDENCE);
  const links = `<ul>${Array.from({ length: 12 }, (_, i) => `<li><a href="https://x.test/${i}">Another story from the quay, number ${i}</a></li>`).join('')}</ul>`;
  assert.ok(extractionConfidence({ extractor: 'readability', title, html: links }) < LOW_CONFIDENCE);
});

test('a long body that shares nothing with a title made of the site name is at the bar, not below it', () => {
  const c = extractionConfidence({ extractor: 'readability', title: 'Gazette Online Homepage', html: ARTICLE });
  assert.equal(c, 0.5);
});

test('Chinese: the headline is counted in pairs of Han characters, and a Han character weighs double', () => {
  const body = `<p>${'港口管理部门周一决定，冬季夜班渡轮继续运行，东码头的渔民在三次会议上提出了这一要求。'.repeat(8)}</p>`;
  assert.equal(extractionConfidence({ extractor: 'density', title: '冬季夜班渡轮继续运行', html: body }), 1);
  assert.ok(extractionConfidence({ extractor: 'density', title: '新图书馆明年开放', html: body }) <= 0.5);
});
