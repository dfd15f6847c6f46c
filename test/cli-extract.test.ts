/**
 * `newsmirror extract` as an operator uses it to write a site rule: a saved page, its original
 * URL, and a rule tried from a YAML file (docs/site-rules.md). Real processes, real files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cli } from './helpers.js';

interface Extracted {
  url: string;
  extractor: string;
  rule: string | null;
  title: string;
  byline: string | null;
  published: string | null;
  datePrecision: 'time' | 'day' | 'none';
  leadImage: { src: string; caption?: string } | null;
  html: string;
  text: string;
}

/** A made-up article page of a made-up outlet: every sentence is written for this test. */
const PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>河港新渡轮下月启航_本地_示例晨报</title></head><body>
<nav><a href="/">首页</a><a href="/local/">本地</a></nav>
<div class="story">
  <h1 class="story-title">河港新渡轮下月启航</h1>
  <p class="story-meta">（示例晨报记者王小明河港报道）发布时间：2026年11月20日 08:30</p>
  <figure class="story-lead"><img src="/img/ferry.jpg" alt="新渡轮"><figcaption>新渡轮停靠在北码头。</figcaption></figure>
  <div class="story-text">
    <p>河港新造的渡轮将于下月启航，每二十分钟一班，往返南北两个码头。</p>
    <div class="share-box">分享到微信朋友圈</div>
    <p>港务部门表示，冬季晚间班次会延长到十点，方便下班的市民。</p>
    <p>本报声明：未经授权不得转载本报文字和图片。</p>
  </div>
</div>
<footer>示例晨报版权所有</footer></body></html>`;

const RULE = `# A rule for the made-up outlet, as docs/site-rules.md describes.
name: example-morning
hosts: [morning.example]
example: https://morning.example/local/2026/1120/a1001.html
idPattern: "/(a\\\\d+)\\\\.html"
title: [".story-title"]
body: [".story-text"]
byline: [".story-meta"]
bylinePattern: "记者([\\\\p{Script=Han}]{2,4}?)河港报道"
date: [".story-meta"]
leadImage: ".story-lead img"
leadCaption: ".story-lead figcaption"
remove: [".share-box"]
dropLines: ["^本报声明"]
timezone: Asia/Shanghai
`;

describe('newsmirror extract', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'nm-extract-'));
  const page = path.join(work, 'saved page.html');
  const url = 'https://morning.example/local/2026/1120/a1001.html';
  writeFileSync(page, PAGE);
  writeFileSync(path.join(work, 'rule.yaml'), RULE);

  test('--rule tries a rule from a YAML file on a saved page, with its original URL', async () => {
    const r = await cli(['extract', page, '--url', url, '--rule', 'rule.yaml', '--json'], work);
    assert.equal(r.code, 0, r.stderr);
    const x = JSON.parse(r.stdout) as Extracted;
    assert.equal(x.url, url);
    assert.equal(x.extractor, 'rule');
    assert.equal(x.rule, 'example-morning');
    assert.equal(x.title, '河港新渡轮下月启航');
    assert.equal(x.byline, '王小明');
    assert.equal(x.published, '2026-11-20T00:30:00.000Z', 'the page time is read in the rule time zone');
    assert.equal(x.datePrecision, 'time');
    assert.deepEqual(x.leadImage, {
      src: 'https://morning.example/img/ferry.jpg',
      alt: '新渡轮',
      caption: '新渡轮停靠在北码头。',
    });
    assert.match(x.text, /每二十分钟一班/);
    assert.match(x.text, /延长到十点/);
    assert.doesNotMatch(x.text, /分享到微信|本报声明|首页|版权所有/);
  });

  test('a page dated without a time says so: datePrecision day, and the human output shows the day only', async () => {
    const dayOnly = path.join(work, 'day only.html');
    writeFileSync(dayOnly, PAGE.replace('2026年11月20日 08:30', '2026年11月20日'));
    const j = await cli(['extract', dayOnly, '--url', url, '--rule', 'rule.yaml', '--json'], work);
    assert.equal(j.code, 0, j.stderr);
    const x = JSON.parse(j.stdout) as Extracted;
    assert.equal(x.datePrecision, 'day');
    assert.equal(x.published?.slice(0, 10), '2026-11-19', 'midnight in the rule time zone is the day before in UTC');
    const h = await cli(['extract', dayOnly, '--url', url, '--rule', 'rule.yaml'], work);
    assert.match(h.stdout, /^published: 2026-11-20 \(day only\)$/m, 'the day as the page gives it');
  });

  test('without --rule the same page goes to the fallback, and says so', async () => {
    const r = await cli(['extract', page, '--url', url, '--json'], work);
    assert.equal(r.code, 0, r.stderr);
    const x = JSON.parse(r.stdout) as Extracted;
    assert.notEqual(x.extractor, 'rule');
    assert.equal(x.rule, null);
    assert.match(x.text, /每二十分钟一班/);
  });

  test('the text separates paragraphs by blank lines, table rows by lines and cells by tabs', async () => {
    const file = path.join(work, 'standings.html');
    writeFileSync(
      file,
      PAGE.replace(
        '<p>本报声明：未经授权不得转载本报文字和图片。</p>',
        '<table><tr><th>名次</th><th>船名</th><th>用时</th></tr><tr><td>1</td><td>晨光号</td><td>5040</td></tr>' +
          '<tr><td>2</td><td>北风号</td><td>5127</td></tr></table>',
      ),
    );
    const r = await cli(['extract', file, '--url', url, '--rule', 'rule.yaml', '--json'], work);
    assert.equal(r.code, 0, r.stderr);
    const x = JSON.parse(r.stdout) as Extracted;
    assert.match(x.text, /每二十分钟一班，往返南北两个码头。\n\n港务部门表示/);
    assert.match(x.text, /^名次\t船名\t用时\n1\t晨光号\t5040\n2\t北风号\t5127$/m);
  });

  test('a rule whose body selector matches nothing falls back instead of failing', async () => {
    writeFileSync(path.join(work, 'stale.yaml'), RULE.replace('[".story-text"]', '[".no-such-body"]'));
    const r = await cli(['extract', page, '--url', url, '--rule', 'stale.yaml', '--json'], work);
    assert.equal(r.code, 0, r.stderr);
    const x = JSON.parse(r.stdout) as Extracted;
    assert.notEqual(x.extractor, 'rule');
    assert.equal(x.rule, 'example-morning');
  });

  test('the human output names the extractor and the rule', async () => {
    const r = await cli(['extract', page, '--url', url, '--rule', 'rule.yaml'], work);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^title: +河港新渡轮下月启航$/m);
    assert.match(r.stdout, /^extractor: rule \(rule example-morning\)$/m);
  });

  // Issue 16.16: a rule file's errors named the key but not the line (the config's named both).
  test('an invalid rule file exits 2 and names the key and its line, as for the config', async () => {
    writeFileSync(path.join(work, 'bad.yaml'), 'name: Example Morning\nhosts: []\nexample: x\nbodyy: [".a"]\n');
    const bad = await cli(['extract', page, '--rule', 'bad.yaml'], work);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.yaml: the site rule is not valid/);
    assert.match(bad.stderr, /line 1: name: lowercase letters/);
    assert.match(bad.stderr, /line 2: hosts: /);
    assert.match(bad.stderr, /line 4: bodyy: unknown key "bodyy"; allowed here: name, hosts, example, /);
    writeFileSync(path.join(work, 'regex.yaml'), RULE.replace(/bylinePattern: .*/, 'bylinePattern: "(unclosed"'));
    // A list of rules: the line of the second rule's key.
    const second = '- name: other\n  hosts: [other.example]\n  example: https://other.example/1\n  title: 3\n';
    writeFileSync(path.join(work, 'list.yaml'), `- ${RULE.trim().replace(/\n/g, '\n  ')}\n${second}`);
    const [regex, list] = await Promise.all([
      cli(['extract', page, '--rule', 'regex.yaml'], work),
      cli(['extract', page, '--rule', 'list.yaml'], work),
    ]);
    assert.equal(regex.code, 2);
    assert.match(regex.stderr, /line 9: bylinePattern: bylinePattern is not a valid regular expression/);
    assert.equal(list.code, 2, list.stderr);
    assert.match(list.stderr, /line 19: \[1\]\.title: a CSS selector, or a list of them/);
  });

  // Issue 16.16: `byline` refused a single selector although `leadImage` took only that form.
  test('every selector key takes one selector or a list', async () => {
    const shapes = RULE.replace('title: [".story-title"]', 'title: .story-title')
      .replace('body: [".story-text"]', 'body: .story-text')
      .replace('byline: [".story-meta"]', 'byline: .story-meta')
      .replace('date: [".story-meta"]', 'date: .story-meta')
      .replace('leadImage: ".story-lead img"', 'leadImage: [".no-such-lead img", ".story-lead img"]')
      .replace('leadCaption: ".story-lead figcaption"', 'leadCaption: [.story-lead figcaption]')
      .replace('remove: [".share-box"]', 'remove: .share-box');
    assert.notEqual(shapes, RULE);
    writeFileSync(path.join(work, 'shapes.yaml'), shapes);
    const r = await cli(['extract', page, '--url', url, '--rule', 'shapes.yaml', '--json'], work);
    assert.equal(r.code, 0, r.stderr);
    const x = JSON.parse(r.stdout) as Extracted;
    assert.equal(x.extractor, 'rule');
    assert.equal(x.title, '河港新渡轮下月启航');
    assert.equal(x.byline, '王小明');
    assert.equal(x.published, '2026-11-20T00:30:00.000Z');
    assert.equal(x.leadImage?.src, 'https://morning.example/img/ferry.jpg');
    assert.equal(x.leadImage?.caption, '新渡轮停靠在北码头。');
    assert.doesNotMatch(x.text, /分享到微信/);
  });

  test('a built-in rule applies to a saved page by its original URL', async () => {
    // A made-up story in the layout of cna.com.tw (src/sites/cna.ts); every sentence is ours.
    const file = path.join(work, 'cna story.html');
    writeFileSync(
      file,
      `<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">
<title>山城步道整修完工 | 地方 | 中央社 CNA</title></head><body>
<header class="menu"><a href="/">首頁</a><a href="/list/aloc.aspx">地方</a></header>
<div class="centralContent">
  <h1><span>山城步道整修完工</span></h1>
  <div class="updatetime"><span>2026/11/19 14:05</span></div>
  <div class="fullPic"><img src="/photo/trail.jpg" alt="步道"><div class="picinfo">整修後的步道入口。</div></div>
  <div class="paragraph">
    <p>（中央社記者林文華台中19日電）山城的百年步道整修完工，今天重新開放，沿途加設了休息亭。</p>
    <p>管理處表示，步道每週一休息，其餘日子上午六點到下午五點開放。</p>
  </div>
</div>
<footer>中央通訊社</footer></body></html>`,
    );
    const r = await cli(
      ['extract', file, '--url', 'https://www.cna.com.tw/news/aloc/202611190042.aspx', '--json'],
      work,
    );
    assert.equal(r.code, 0, r.stderr);
    const x = JSON.parse(r.stdout) as Extracted;
    assert.equal(x.extractor, 'rule');
    assert.equal(x.rule, 'cna');
    assert.equal(x.title, '山城步道整修完工');
    assert.equal(x.byline, '林文華');
    assert.equal(x.published, '2026-11-19T06:05:00.000Z', 'the page time is read in Taipei time');
    assert.equal(x.leadImage?.caption, '整修後的步道入口。');
    assert.match(x.text, /每週一休息/);
    assert.doesNotMatch(x.text, /首頁|中央通訊社/);
  });
});
