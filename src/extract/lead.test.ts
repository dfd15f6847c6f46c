import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { articleText } from '../clean/plain-text.js';
import { extractArticle } from './index.js';

const BODY = Array.from(
  { length: 6 },
  (_, i) =>
    `<p>Paragraph ${i + 1}: the harbour board of Lowmere weighed the winter timetable of the ferry for a long evening, and the fishermen of the east quay spoke at length about the early crossing.</p>`,
).join('');
const STANDFIRST = 'The late ferry keeps running through the winter, the harbour board decided after three meetings.';

function page(opts: { description: string; header: string; footer?: string }): string {
  return `<!DOCTYPE html><html><head><title>Late ferry stays - Lowmere Gazette</title>
<meta name="description" content="${opts.description}"></head><body>
<div class="story-header"><div class="wrap"><h1>Late ferry stays</h1>${opts.header}</div></div>
<div class="story-body">${BODY}</div>
<footer><p>${opts.footer ?? 'Lowmere Gazette, Quay Street 1'}</p></footer></body></html>`;
}

const text = (html: string) => articleText(extractArticle({ html, url: 'https://gazette.example/ferry' }).html);

describe('the standfirst under the headline', () => {
  it('is put before the body when the page describes itself with it and shows it by the <h1>', () => {
    const out = text(page({ description: STANDFIRST, header: `<p class="standfirst">${STANDFIRST}</p>` }));
    assert.ok(out.startsWith(STANDFIRST), out.slice(0, 120));
    assert.match(out, /Paragraph 6/);
  });
  it('a description cut short with an ellipsis still finds the whole standfirst', () => {
    const out = text(page({ description: `${STANDFIRST.slice(0, 70)}…`, header: `<h2>${STANDFIRST}</h2>` }));
    assert.ok(out.startsWith(STANDFIRST), out.slice(0, 120));
  });
  it('is not added when the body already holds it, nor when the description is shown only away from the headline', () => {
    const inBody = `<!DOCTYPE html><html><head><title>Late ferry stays</title><meta name="description" content="${STANDFIRST}"></head><body><h1>Late ferry stays</h1><article><p>${STANDFIRST}</p>${BODY}</article></body></html>`;
    const once = text(inBody);
    assert.equal(once.split(STANDFIRST).length - 1, 1, 'the standfirst appears once');
    const siteWide = 'News and notes from the harbour town of Lowmere, every day since 1921, from the quay.';
    const out = text(page({ description: siteWide, header: '', footer: siteWide }));
    assert.doesNotMatch(out, /every day since 1921/);
  });
  it('escapes what it copies: markup in the standfirst is text', () => {
    const tricky = 'Ferry &amp; bus: the board says &lt;b&gt;yes&lt;/b&gt; to the late crossing, after three meetings.';
    const html = extractArticle({
      html: page({ description: tricky, header: `<p class="standfirst">${tricky}</p>` }),
      url: 'https://gazette.example/ferry',
    }).html;
    assert.match(html, /^<p>Ferry &amp; bus: the board says &lt;b&gt;yes&lt;\/b&gt;/);
  });
});

describe('the standfirst, spaced differently', () => {
  it('a Chinese description indented with U+3000 that the body already holds is not added again', () => {
    const lead = '\u3000\u3000港口管理部门周一决定，冬季夜班渡轮继续运行，东码头的渔民在三次会议上提出了这一要求。';
    const paras = Array.from(
      { length: 6 },
      (_, i) =>
        `<p>\u3000\u3000第${i + 1}段：管理部门表示，维修费用低于预算，旧吊车将作为地标保留，市民可以在周末参观，渡轮每二十分钟一班。</p>`,
    ).join('');
    const html = `<!DOCTYPE html><html><head><title>夜班渡轮继续运行</title><meta name="description" content="${lead}"></head><body><div class="story"><h1>夜班渡轮继续运行</h1><div class="text"><p>${lead}</p>${paras}</div></div></body></html>`;
    const out = articleText(extractArticle({ html, url: 'https://gazette.example/zh' }).html);
    assert.equal(out.split('冬季夜班渡轮继续运行').length - 1, 1, out.slice(0, 200));
  });
});
