import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cpuGrowth, linear } from '../../test/lib/growth.js';
import { checkUserPattern, compileUserPattern } from './patterns.js';
import { ConfigSchema, SiteRuleSchema } from './schema.js';

describe('user patterns (RE2JS)', () => {
  test('a pattern with nested quantifiers runs in linear time on a hostile URL (hung a run for two minutes)', () => {
    const p = compileUserPattern('((?:a+)+)x');
    const url = (n: number) => `https://e.example/${'a'.repeat(n)}`;
    const all = (n: number) => {
      assert.equal(p.exec(url(n)), null);
      assert.equal(p.test(url(n)), false);
      assert.equal(p.replaceAll(url(n), ''), url(n));
    };
    // Milliseconds in practice; JavaScript's engine needs longer than the age of the universe. Checked
    // by how the work grows from 25,000 to 200,000 characters (CPU time, not a clock bound).
    const ratio = cpuGrowth(all, 25_000);
    assert.ok(linear(ratio), `8 times the input took ${ratio.toFixed(1)} times the CPU time`);
  });

  test('keeps JavaScript meanings: \\s takes U+3000, \\p{Script=Han}, named and missing groups', () => {
    assert.equal(compileUserPattern('[（(【]\\s*更新\\s*[)）】]').replaceAll('标题（\u3000更新）', ''), '标题');
    assert.deepEqual(
      compileUserPattern('（([\\p{Script=Han}]{2,4})／[^）]{0,12}報導）').exec('前（王小明／台北報導）')?.[1],
      '王小明',
    );
    assert.deepEqual(compileUserPattern('(?<a>x)(y)?z').exec('xz'), ['xz', 'x', undefined]);
    assert.equal(compileUserPattern('\\S+').exec('\u3000ab')?.[0], 'ab');
    assert.equal(compileUserPattern('^\\[Updated\\]\\s*').replaceAll('[Updated] $1 title', ''), '$1 title');
    assert.equal(compileUserPattern('a.b', { dotAll: true }).test('a\nb'), true);
    assert.equal(compileUserPattern('a.b').test('a\nb'), false);
  });

  test('refuses what a linear-time engine cannot run, and invalid syntax, saying why', () => {
    assert.match(checkUserPattern('a(?=b)') ?? '', /lookahead/);
    assert.match(checkUserPattern('(a)\\1') ?? '', /backreferences/);
    assert.match(checkUserPattern('(unclosed') ?? '', /Unterminated group/);
    assert.equal(checkUserPattern('((?:a+)+)x'), undefined);
  });

  test('the schema checks every pattern key, rule files included', () => {
    const rule = { name: 'r', hosts: ['x.example'], example: 'https://x.example/1' };
    for (const [key, value] of [
      ['idPattern', '(?=x)'],
      ['updatedMarker', '(a)\\1'],
      ['bylinePattern', '(?!y)'],
      ['dropLines', ['ok', '(?=z)']],
    ] as const) {
      const r = SiteRuleSchema.safeParse({ ...rule, [key]: value });
      assert.equal(r.success, false, key);
      assert.match(r.error?.issues[0]?.message ?? '', new RegExp(`^${key} is not a valid regular expression`));
    }
    const config = {
      site: { publicUrl: 'https://example.org/m' },
      outlets: [
        {
          name: 'O',
          prefix: 'O',
          channels: [{ id: 'c', name: 'c', jsonListing: { url: 'https://x.example/l', extract: '(?=x)' } }],
        },
      ],
      filters: { titleExclude: ['(a)\\1'] },
    };
    const r = ConfigSchema.safeParse(config);
    const paths = (r.error?.issues ?? []).map((i) => i.path.join('.'));
    assert.deepEqual(paths.sort(), ['filters.titleExclude.0', 'outlets.0.channels.0.jsonListing.extract']);
  });
});
