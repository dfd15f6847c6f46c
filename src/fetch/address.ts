/**
 * Which addresses newsmirror may connect to. An origin is untrusted: a feed item, a page or a
 * redirect can point at a loopback port, a private network or the cloud metadata service
 * (169.254.169.254), and whatever answers there would be published in the mirror. So every
 * connection goes to a public (global unicast) address unless the operator allows more with
 * `fetch.allowAddresses`. The check runs on the address a connection is about to use (after DNS,
 * see `guardedLookup`), so a name that resolves to an internal address, or that changes its
 * answer between two lookups (DNS rebinding), is refused too.
 *
 * The special-purpose ranges are ipaddr.js's table (IANA's IPv4 and IPv6 special-purpose
 * registries); anything it does not call `unicast` is refused.
 */
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { MirrorError } from '../errors.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** One entry of `fetch.allowAddresses`: a range, and optionally the only port it is allowed on. */
export interface AddressRule {
  text: string;
  range: [Address, number];
  port: number | undefined;
}

/** What a refused connection would have gone to, and why it is refused. */
export interface Refusal {
  address: string;
  port: number;
  /** The kind of range, for people: "loopback", "private network"... */
  reason: string;
}

const REASONS: Record<string, string> = {
  unspecified: 'unspecified address',
  loopback: 'loopback',
  private: 'private network',
  carrierGradeNat: 'shared (carrier-grade NAT) network',
  linkLocal: 'link-local (where cloud metadata services answer)',
  uniqueLocal: 'unique-local (private) IPv6 network',
  deprecatedSiteLocal: 'site-local IPv6 network',
  multicast: 'multicast',
  broadcast: 'broadcast',
  reserved: 'reserved range',
  benchmarking: 'benchmarking range',
  discard: 'discard-only range',
  teredo: 'Teredo tunnel',
};

/** IPv6 ranges that carry an IPv4 address: judged by that IPv4 address. */
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
/** Everything else in ::/8 (IPv4-compatible addresses and unassigned space) is not an internet address. */
const IPV6_LOW = ipaddr.parseCIDR('::/8');

/** The IPv4 address inside an IPv4-mapped, IPv4-translated, NAT64 or 6to4 IPv6 address. */
function embeddedIPv4(addr: ipaddr.IPv6, range: string): ipaddr.IPv4 | undefined {
  const b = addr.toByteArray();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || (range === 'rfc6052' && addr.match(NAT64))) {
    return new ipaddr.IPv4(b.slice(12, 16));
  }
  if (range === '6to4') return new ipaddr.IPv4(b.slice(2, 6));
  return undefined;
}

/** Parses an IP address as a connection would use it (IPv6 zone id dropped); undefined if it is not one. */
function parseIp(text: string): Address | undefined {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIP(bare)) return undefined;
  return ipaddr.parse(bare);
}

function classify(addr: Address): string | undefined {
  const range = addr.range() as string;
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    const inner = embeddedIPv4(v6, range);
    if (inner) {
      const why = classify(inner);
      return why && `${why} (the IPv4 address ${inner.toString()} inside an IPv6 address)`;
    }
    if (range === 'rfc6052') return 'local-use NAT64 range';
    if (range === 'unicast' && v6.match(IPV6_LOW)) return 'reserved range';
  }
  if (range === 'unicast') return undefined;
  return REASONS[range] ?? `special-purpose range (${range})`;
}

/**
 * Why `ip` is not a public internet address ("loopback", "private network"...), or undefined
 * when it is one. Throws on something that is not an IP address.
 */
export function classifyAddress(ip: string): string | undefined {
  const addr = parseIp(ip);
  if (!addr) throw new TypeError(`not an IP address: ${ip}`);
  return classify(addr);
}

const RULE_FORMS =
  'an IP address or a CIDR range, optionally with a port: 127.0.0.1, 10.0.0.0/8, 127.0.0.1:8080, ::1, fd00::/8, [::1]:8080';

/** Parses one `fetch.allowAddresses` entry; throws an Error that says which forms are allowed. */
export function parseAddressRule(text: string): AddressRule {
  const fail = (why: string): never => {
    throw new Error(`"${text}" ${why}; write ${RULE_FORMS}`);
  };
  const s = text.trim();
  let host = s;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  const v4WithPort = /^([\d./]+):(\d+)$/.exec(s);
  if (bracketed) [, host = '', portText] = bracketed;
  else if (v4WithPort) [, host = '', portText] = v4WithPort;
  const [ipText = '', bitsText, extra] = host.split('/');
  if (extra !== undefined) fail('has more than one "/"');
  const kind = isIP(ipText);
  if (kind === 0) fail('is not an IP address (host names are not accepted: what a name points to can change)');
  const max = kind === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
  if (!(bits >= 0 && bits <= max)) fail(`has a prefix length outside 0-${max}`);
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(port >= 1 && port <= 65535)) fail('has a port outside 1-65535');
  return { text, range: [ipaddr.parse(ipText), bits], port };
}

export interface AddressPolicy {
  /** Why a connection to `ip`:`port` is refused, or undefined when it may go ahead. */
  refusal(ip: string, port: number): Refusal | undefined;
}

/** The policy of `fetch.allowAddresses`: public addresses, plus the ranges (and ports) it lists. */
export function createAddressPolicy(allow: readonly string[]): AddressPolicy {
  const rules = allow.map(parseAddressRule);
  const allowed = (addr: Address, port: number) =>
    rules.some(
      (r) => r.range[0].kind() === addr.kind() && addr.match(r.range) && (r.port === undefined || r.port === port),
    );
  return {
    refusal(ip, port) {
      const addr = parseIp(ip);
      if (!addr) return { address: ip, port, reason: 'not an IP address' };
      // An IPv4-mapped address is the IPv4 address: a rule for 127.0.0.1 covers ::ffff:127.0.0.1.
      const v4 = addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress();
      const plain = v4 ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
      if (allowed(plain, port) || allowed(addr, port)) return undefined;
      const reason = classify(plain);
      return reason ? { address: ip, port, reason } : undefined;
    },
  };
}

/** The error of a refused connection; `fetch/index.ts` adds the URL it was for. */
export function refusedError(host: string, r: Refusal): MirrorError {
  const where = host === r.address ? r.address : `${host} (which resolves to ${r.address})`;
  const entry = isIP(r.address) === 6 ? `[${r.address}]:${r.port}` : `${r.address}:${r.port}`;
  return new MirrorError(
    'AddressRefused',
    `${where}, port ${r.port}, is not a public address (${r.reason}) and fetch.allowAddresses does not allow it`,
    {
      hint:
        'origins and redirects may not lead to internal addresses (what answers there would be published); ' +
        `if this origin is yours, allow it in the config: fetch.allowAddresses: ["${entry}"] ` +
        '(an address or a CIDR range, with an optional port)',
    },
  );
}

/**
 * A `lookup` for `net.connect` / `tls.connect` that resolves like `dns.lookup` and then keeps
 * only the addresses the policy allows, so the socket can only ever connect to one of those.
 * `port` is the port of the connection (rules may be per port; Node does not pass it to lookup).
 */
export function guardedLookup(policy: AddressPolicy, port: number): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, []);
      const ok = addresses.filter((a) => !policy.refusal(a.address, port));
      const first = ok[0];
      if (!first) {
        const r = addresses[0] && policy.refusal(addresses[0].address, port);
        return callback(r ? refusedError(hostname, r) : new Error(`${hostname} resolved to no address`), []);
      }
      // `all` is how Node asks for every address (happy eyeballs); otherwise it wants one.
      return options.all ? callback(null, ok) : callback(null, first.address, first.family);
    });
  };
}
