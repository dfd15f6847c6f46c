import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SiteRule, SiteRuleSchema } from '../config/schema.js';
import { builtinRules, findRule } from './index.js';

function idOf(rule: SiteRule, url: string): string | undefined {
  return rule.idPattern ? new RegExp(rule.idPattern, 'u').exec(url)?.[1] : undefined;
}

function rule(name: string): SiteRule {
  const r = builtinRules.find((x) => x.name === name);
  assert.ok(r, `built-in rule ${name}`);
  return r;
}

describe('builtinRules', () => {
  it('is alphabetical by name, with unique names', () => {
    const names = builtinRules.map((r) => r.name);
    assert.deepEqual(names, [...names].sort());
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names, [
      'appledaily-tw',
      'bbc-zhongwen',
      'cctv',
      'chinadaily',
      'cna',
      'epochtimes',
      'ltn',
      'minghui',
      'netease',
      'ntdtv',
      'people',
      'qq',
      'reuters-cn',
      'rfa',
      'secretchina',
      'setn',
      'sina',
      'soundofhope',
      'thepaper',
      'udn',
      'voachinese',
      'xinhuanet',
    ]);
  });

  it('every rule is valid config data and its regexes compile as the config loader compiles them', () => {
    for (const r of builtinRules) {
      assert.doesNotThrow(() => SiteRuleSchema.parse(r), r.name);
      for (const p of [r.idPattern, r.updatedMarker, r.bylinePattern, ...(r.dropLines ?? [])]) {
        if (p !== undefined) assert.doesNotThrow(() => new RegExp(p, 'u'), `${r.name}: ${p}`);
      }
      assert.ok((r.body ?? []).length > 0, `${r.name} names its body`);
    }
  });

  it('every rule applies to its own example URL and finds an id in it', () => {
    for (const r of builtinRules) {
      assert.equal(findRule(r.example, builtinRules)?.name, r.name, r.example);
      assert.ok(idOf(r, r.example), `${r.name}: no id in ${r.example}`);
    }
  });

  it('reads the article ids the old mirrors used', () => {
    const cases: [string, string, string][] = [
      ['epochtimes', 'https://www.epochtimes.com/gb/23/1/6/n13900968.htm', 'n13900968'],
      ['epochtimes', 'https://www.epochtimes.com/b5/20/9/18/n12414284.htm?utm=x', 'n12414284'],
      ['ntdtv', 'https://www.ntdtv.com/gb/2020/09/23/a102947576.html', 'a102947576'],
      ['soundofhope', 'https://www.soundofhope.org/post/256729', '256729'],
      ['secretchina', 'https://www.secretchina.com/news/gb/2020/08/18/943283.html', '943283'],
      ['secretchina', 'https://www.kanzhongguo.com/news/gb/2020/08/18/943283.html', '943283'],
      ['minghui', 'http://www.minghui.org/mh/articles/2021/2/3/标题-419470.html', '419470'],
      ['voachinese', 'https://www.voachinese.com/a/russia-sanctions-20180907/4561996.html', '4561996'],
      ['rfa', 'https://www.rfa.org/mandarin/zhuanlan/butongdeshengyin/jkdv-02132020093021.html', 'jkdv-02132020093021'],
      [
        'bbc-zhongwen',
        'http://www.bbc.co.uk/zhongwen/simp/chinese_news/2012/12/121210_hongkong_politics.shtml',
        '121210_hongkong_politics',
      ],
      ['bbc-zhongwen', 'https://www.bbc.com/zhongwen/simp/world-12345678', 'world-12345678'],
      ['bbc-zhongwen', 'https://www.bbc.com/zhongwen/articles/c0abc123xyzo/simp', 'c0abc123xyzo'],
      ['appledaily-tw', 'https://tw.appledaily.com/new/realtime/20160521/867195/', '867195'],
      [
        'cctv',
        'https://news.cctv.com/2020/08/03/ARTI6wNyfAmZU6pd8NQHtmf6200803.shtml',
        'ARTI6wNyfAmZU6pd8NQHtmf6200803',
      ],
      [
        'chinadaily',
        'https://china.chinadaily.com.cn/a/202311/17/WS65571297a310d5acd876f404.html',
        'WS65571297a310d5acd876f404',
      ],
      ['cna', 'https://www.cna.com.tw/news/asoc/201603190029.aspx', '201603190029'],
      ['ltn', 'https://news.ltn.com.tw/news/life/breakingnews/2504351', '2504351'],
      ['netease', 'https://money.163.com/19/0907/13/EOFOC8MJ00258105.html', 'EOFOC8MJ00258105'],
      ['netease', 'https://dy.163.com/v2/article/detail/EFDAIN1E054550F0.html', 'EFDAIN1E054550F0'],
      ['people', 'http://politics.people.com.cn/n1/2024/0424/c1024-40223222.html', 'c1024-40223222'],
      ['qq', 'https://new.qq.com/omn/20190928/20190928A0372F00.html', '20190928A0372F00'],
      ['qq', 'https://new.qq.com/rain/a/20231215A01XYZ00', '20231215A01XYZ00'],
      ['reuters-cn', 'https://cn.reuters.com/article/us-mexico-trade-deal-canada-0902-idCNKCS1LI09N', 'idCNKCS1LI09N'],
      ['setn', 'https://www.setn.com/News.aspx?NewsID=350370', '350370'],
      ['sina', 'https://finance.sina.com.cn/roll/2018-12-28/doc-ihqfskcn2160999.shtml', 'ihqfskcn2160999'],
      ['thepaper', 'https://www.thepaper.cn/newsDetail_forward_4207501', '4207501'],
      ['udn', 'https://udn.com/news/story/7315/3705102', '3705102'],
      ['xinhuanet', 'http://www.xinhuanet.com/politics/2019-12/10/c_1125327218.htm', '1125327218'],
    ];
    for (const [name, url, id] of cases) {
      assert.equal(findRule(url, builtinRules)?.name, name, url);
      assert.equal(idOf(rule(name), url), id, url);
    }
  });
});

describe('findRule', () => {
  const operator: SiteRule = {
    name: 'my-epoch',
    hosts: ['www.epochtimes.com'],
    example: 'https://www.epochtimes.com/x',
  };
  const sameHost: SiteRule = { name: 'mine', hosts: ['ntdtv.com'], example: 'https://www.ntdtv.com/x' };

  it('picks by explicit name first, whatever the host', () => {
    assert.equal(findRule('https://example.org/a', builtinRules, 'rfa')?.name, 'rfa');
    assert.equal(findRule('https://www.rfa.org/a', builtinRules, 'no-such-rule'), undefined);
  });

  it('matches a host and its subdomains, not look-alike hosts', () => {
    assert.equal(findRule('https://epochtimes.com/a', builtinRules)?.name, 'epochtimes');
    assert.equal(findRule('https://www.EpochTimes.com./a', builtinRules)?.name, 'epochtimes');
    assert.equal(findRule('https://m.ntdtv.com/a', builtinRules)?.name, 'ntdtv');
    assert.equal(findRule('https://notepochtimes.com/a', builtinRules), undefined);
    assert.equal(findRule('https://epochtimes.com.evil.example/a', builtinRules), undefined);
  });

  it('honours a path prefix in a host entry', () => {
    assert.equal(findRule('https://www.bbc.com/zhongwen/trad/world-1', builtinRules)?.name, 'bbc-zhongwen');
    assert.equal(findRule('https://www.bbc.com/news/world-1', builtinRules), undefined);
    assert.equal(findRule('https://www.bbc.com/zhongwenx/a', builtinRules), undefined);
  });

  it('prefers the most specific entry, then the earlier rule', () => {
    assert.equal(findRule('https://www.epochtimes.com/gb/a.htm', [...builtinRules, operator])?.name, 'my-epoch');
    assert.equal(findRule('https://www.ntdtv.com/gb/a.html', [sameHost, ...builtinRules])?.name, 'mine');
    assert.equal(findRule('https://www.ntdtv.com/gb/a.html', [...builtinRules, sameHost])?.name, 'ntdtv');
  });

  it('returns undefined for what is not a URL', () => {
    assert.equal(findRule('not a url', builtinRules), undefined);
    assert.equal(findRule('', builtinRules), undefined);
  });
});
