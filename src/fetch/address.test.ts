import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, test } from 'node:test';
import { MirrorError } from '../errors.js';
import { classifyAddress, createAddressPolicy, guardedLookup, parseAddressRule } from './address.js';

/** Address → the word its reason must contain (undefined: a public address). */
const IPV4: [string, string | undefined][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['100.127.255.255', 'carrier-grade NAT'],
  ['169.254.169.254', 'link-local'],
  ['169.254.0.1', 'link-local'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['198.51.100.7', 'reserved'],
  ['203.0.113.9', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['8.8.8.8', undefined],
  ['1.1.1.1', undefined],
  ['93.184.216.34', undefined],
  ['172.15.255.255', undefined],
  ['172.32.0.1', undefined],
  ['100.128.0.1', undefined],
  ['11.0.0.1', undefined],
  ['192.169.0.1', undefined],
];

const IPV6: [string, string | undefined][] = [
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['fc00::1', 'unique-local'],
  ['fd00:ec2::254', 'unique-local'], // the IPv6 address of a cloud metadata service
  ['fec0::1', 'site-local'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['::7f00:1', 'reserved'], // IPv4-compatible (deprecated)
  ['100::1', 'discard'],
  ['2001::1', 'Teredo'],
  ['2606:4700:4700::1111', undefined],
  ['2001:4860:4860::8888', undefined],
  ['2a00:1450:4001:80b::200e', undefined],
];

/** IPv6 addresses that carry an IPv4 address: judged by it. */
const EMBEDDED: [string, string | undefined][] = [
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['::ffff:10.1.2.3', 'private'],
  ['::ffff:0.0.0.0', 'unspecified'],
  ['::ffff:0:127.0.0.1', 'loopback'], // IPv4-translated (RFC 6145)
  ['64:ff9b::127.0.0.1', 'loopback'], // NAT64 (RFC 6052)
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['64:ff9b:1::1', 'NAT64'], // local-use NAT64: refused whatever it carries
  ['2002:7f00:1::1', 'loopback'], // 6to4
  ['2002:c0a8:101::1', 'private'],
  ['::ffff:8.8.8.8', undefined],
  ['64:ff9b::808:808', undefined],
  ['2002:808:808::1', undefined],
];

describe('classifyAddress', () => {
  for (const [group, cases] of [
    ['IPv4', IPV4],
    ['IPv6', IPV6],
    ['IPv4 inside IPv6 (mapped, translated, NAT64, 6to4)', EMBEDDED],
  ] as const) {
    test(group, () => {
      for (const [ip, word] of cases) {
        const reason = classifyAddress(ip);
        if (word === undefined) assert.equal(reason, undefined, `${ip} is public`);
        else assert.ok(reason?.includes(word), `${ip}: expected "${word}", got ${String(reason)}`);
      }
    });
  }

  test('a name or a malformed address is not classified (names are resolved first)', () => {
    for (const bad of ['localhost', 'example.com', '127.1', '1.2.3.4.5', '']) {
      assert.throws(() => classifyAddress(bad), TypeError, bad);
    }
  });
});

describe('fetch.allowAddresses entries', () => {
  test('addresses and CIDR ranges, each with an optional port', () => {
    const forms: [string, string, number, number | undefined][] = [
      ['127.0.0.1', '127.0.0.1', 32, undefined],
      ['10.0.0.0/8', '10.0.0.0', 8, undefined],
      ['127.0.0.1:8080', '127.0.0.1', 32, 8080],
      ['192.168.0.0/16:443', '192.168.0.0', 16, 443],
      ['::1', '::1', 128, undefined],
      ['fd00::/8', 'fd00::', 8, undefined],
      ['[::1]:8080', '::1', 128, 8080],
      ['[fd00::/8]:443', 'fd00::', 8, 443],
      ['0.0.0.0/0', '0.0.0.0', 0, undefined],
      ['::/0', '::', 0, undefined],
    ];
    for (const [text, ip, bits, port] of forms) {
      const r = parseAddressRule(text);
      assert.equal(r.range[0].toString(), ip, text);
      assert.equal(r.range[1], bits, text);
      assert.equal(r.port, port, text);
    }
  });

  test('names, bad prefixes and bad ports are refused with the allowed forms', () => {
    for (const bad of [
      'localhost',
      'intranet.example:80',
      '127.1',
      '10.0.0.0/33',
      '::1/129',
      '10.0.0.0/8/9',
      '127.0.0.1:0',
      '127.0.0.1:65536',
      '[::1]:99999',
      '::1:8080x',
      '',
    ]) {
      assert.throws(() => parseAddressRule(bad), /write an IP address or a CIDR range/, bad);
    }
  });
});

describe('the address policy', () => {
  test('nothing internal is allowed by default; public addresses always are', () => {
    const p = createAddressPolicy([]);
    assert.equal(p.refusal('93.184.216.34', 80), undefined);
    assert.equal(p.refusal('2606:4700:4700::1111', 443), undefined);
    assert.deepEqual(p.refusal('127.0.0.1', 80), { address: '127.0.0.1', port: 80, reason: 'loopback' });
    assert.ok(p.refusal('169.254.169.254', 80));
    assert.ok(p.refusal('::ffff:127.0.0.1', 80));
  });

  test('an entry with a port allows that port only; one without allows every port', () => {
    const p = createAddressPolicy(['127.0.0.1:8080', '10.1.0.0/16']);
    assert.equal(p.refusal('127.0.0.1', 8080), undefined);
    assert.ok(p.refusal('127.0.0.1', 8081), 'another port of the same address');
    assert.ok(p.refusal('127.0.0.2', 8080), 'another address on the same port');
    assert.equal(p.refusal('10.1.200.3', 1), undefined);
    assert.ok(p.refusal('10.2.0.1', 80));
    assert.ok(p.refusal('169.254.169.254', 80), 'the metadata service stays refused');
  });

  test('an IPv4 entry covers the same address written IPv4-mapped, and IPv4 and IPv6 entries stay apart', () => {
    const p = createAddressPolicy(['127.0.0.0/8']);
    assert.equal(p.refusal('::ffff:127.0.0.5', 80), undefined);
    assert.ok(p.refusal('::1', 80), '::1 is not in 127.0.0.0/8');
    const v6 = createAddressPolicy(['::1']);
    assert.equal(v6.refusal('::1', 80), undefined);
    assert.ok(v6.refusal('127.0.0.1', 80));
  });

  test('0.0.0.0/0 and ::/0 allow everything (an operator on an intranet)', () => {
    const p = createAddressPolicy(['0.0.0.0/0', '::/0']);
    for (const ip of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', 'fd00::1']) {
      assert.equal(p.refusal(ip, 80), undefined, ip);
    }
  });

  test('a bad entry is an error that says which one', () => {
    assert.throws(() => createAddressPolicy(['127.0.0.1', 'localhost']), /"localhost" is not an IP address/);
  });
});

describe('guardedLookup', () => {
  const resolve = (allow: string[], host: string, all: boolean, port = 80) =>
    new Promise<{ err: Error | null; address: string | LookupAddress[]; family?: number | undefined }>((done) => {
      guardedLookup(createAddressPolicy(allow), port)(host, { all }, (err, address, family) =>
        done({ err, address, family }),
      );
    });

  test('a name that resolves to loopback (localhost) is refused, naming the name and the address', async () => {
    for (const all of [true, false]) {
      const { err } = await resolve([], 'localhost', all);
      assert.ok(err instanceof MirrorError, String(err));
      assert.equal(err.code, 'AddressRefused');
      assert.match(err.message, /localhost \(which resolves to (127\.0\.0\.1|::1)\)/);
      assert.match(err.hint ?? '', /fetch\.allowAddresses/);
    }
  });

  test('allowed addresses are kept, refused ones dropped: the socket can only use an allowed one', async () => {
    const many = await resolve(['127.0.0.1'], 'localhost', true);
    assert.equal(many.err, null);
    assert.deepEqual(many.address, [{ address: '127.0.0.1', family: 4 }], 'only 127.0.0.1, never ::1');
    const one = await resolve(['127.0.0.1'], 'localhost', false);
    assert.equal(one.err, null);
    assert.equal(one.address, '127.0.0.1');
    assert.equal(one.family, 4);
  });

  test('a rule with a port applies to connections to that port only', async () => {
    assert.equal((await resolve(['127.0.0.1:8080'], 'localhost', true, 8080)).err, null);
    assert.ok((await resolve(['127.0.0.1:8080'], 'localhost', true, 8081)).err instanceof MirrorError);
  });
});
