import ipaddr from 'ipaddr.js';
import { type Reason, reason } from './reason.js';

/**
 * Which addresses Vigil may fetch on a user's behalf (probe targets, and later deploy URLs and webhooks).
 * Pure: it classifies an address or a URL's literal host; the HTTP client applies it to every address a
 * hostname resolves to, at connect time, on every redirect hop.
 *
 * - `refused` always: link-local (cloud metadata and credential endpoints live there), AWS's fd00:ec2::/32
 *   instance services, unspecified, broadcast, multicast, reserved and documentation ranges, and IPv6
 *   forms that embed one of those (IPv4-mapped, IPv4-compatible, NAT64, 6to4).
 * - `private` (RFC 1918, loopback, carrier-grade NAT, unique-local IPv6): only when the deployment opts in,
 *   since probing internal services is the point of a prober that runs inside a VPC.
 * - `public`: everything else.
 */
export interface UrlPolicy {
  /** Private ranges and loopback may be fetched (`VIGIL_ALLOW_PRIVATE_TARGETS`). */
  readonly allowPrivate: boolean;
}

export const URL_REFUSED = 'url-refused';

export type AddressClass = 'public' | 'private' | 'refused';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Named endpoints, so the refusal says what the address is, not only which range it is in. */
const KNOWN_ENDPOINTS: Readonly<Record<string, string>> = {
  '169.254.169.254': 'the cloud instance metadata service',
  '169.254.170.2': 'the ECS task credential endpoint',
  '169.254.170.23': 'the EKS Pod Identity credential endpoint',
  'fd00:ec2::254': 'the EC2 instance metadata service (IPv6)',
  'fd00:ec2::23': 'the EKS Pod Identity credential endpoint (IPv6)',
};

const RANGE_NAMES: Readonly<Record<string, string>> = {
  unicast: 'a public address',
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (where cloud metadata and credential endpoints are served)',
  loopback: 'a loopback address',
  private: 'a private (RFC 1918) address',
  carrierGradeNat: 'a carrier-grade NAT address',
  uniqueLocal: 'a unique-local address',
  reserved: 'a reserved or documentation address',
};

const AWS_INSTANCE_SERVICES = ipaddr.parseCIDR('fd00:ec2::/32');
const V4_PRIVATE = new Set(['private', 'loopback', 'carrierGradeNat']);
const V6_PRIVATE = new Set(['loopback', 'uniqueLocal']);

/** Parses any spelling a resolver or URL parser accepts (`0x7f000001`, `0177.0.0.1`, `[::ffff:a9fe:a9fe]`). */
export function parseAddress(text: string): Address | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  try {
    return ipaddr.parse(bare);
  } catch {
    return undefined;
  }
}

/** The IPv4 address an IPv6 address carries in a form that reaches it (mapped, compatible, NAT64, 6to4). */
function embeddedV4(a: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = a.range();
  const bytes = a.toByteArray();
  const v4 = (at: number) => new ipaddr.IPv4(bytes.slice(at, at + 4));
  if (range === 'ipv4Mapped' || range === 'rfc6145') return v4(12);
  if (range === 'rfc6052' && a.match(ipaddr.parseCIDR('64:ff9b::/96'))) return v4(12);
  if (range === '6to4') return v4(2);
  // IPv4-compatible (::a.b.c.d, deprecated by RFC 4291): some stacks still route it to the IPv4 address.
  if (bytes.slice(0, 12).every((b) => b === 0) && range !== 'unspecified' && range !== 'loopback') return v4(12);
  return undefined;
}

function classOf(a: Address): AddressClass {
  if (a.kind() === 'ipv6') {
    const v6 = a as ipaddr.IPv6;
    const inner = embeddedV4(v6);
    if (inner) return classOf(inner);
    if (v6.match(AWS_INSTANCE_SERVICES)) return 'refused';
    const range = v6.range();
    if (range === 'unicast') return 'public';
    return V6_PRIVATE.has(range) ? 'private' : 'refused';
  }
  const range = (a as ipaddr.IPv4).range();
  if (range === 'unicast') return 'public';
  return V4_PRIVATE.has(range) ? 'private' : 'refused';
}

/** The class of an address, or undefined when `text` is not an IP address. */
export function classifyAddress(text: string): AddressClass | undefined {
  const a = parseAddress(text);
  return a ? classOf(a) : undefined;
}

function describe(a: Address): string {
  const v6 = a.kind() === 'ipv6' ? (a as ipaddr.IPv6) : undefined;
  const inner = v6 ? embeddedV4(v6) : undefined;
  const shown = inner ? `${a.toString()} (which reaches ${inner.toString()})` : a.toString();
  const known = KNOWN_ENDPOINTS[(inner ?? a).toString()];
  const range = (inner ?? a).range();
  const kind =
    known ??
    (v6?.match(AWS_INSTANCE_SERVICES)
      ? "an address of AWS's instance services (fd00:ec2::/32)"
      : (RANGE_NAMES[range] ?? `an address in the special-purpose range ${JSON.stringify(range)}`));
  return `${shown} is ${kind}`;
}

/** Why Vigil must not connect to this address under `policy`, or undefined when it may. */
export function addressRefusal(text: string, policy: UrlPolicy): Reason | undefined {
  const a = parseAddress(text);
  if (!a) return reason(URL_REFUSED, `${JSON.stringify(text.slice(0, 100))} is not an IP address`);
  const cls = classOf(a);
  if (cls === 'public' || (cls === 'private' && policy.allowPrivate)) return undefined;
  if (cls === 'private') {
    return reason(
      URL_REFUSED,
      `${describe(a)}; this deployment does not fetch private or loopback addresses (the allowPrivateTargets setting is off)`,
    );
  }
  return reason(URL_REFUSED, `${describe(a)}; Vigil never fetches it`);
}

/** The host of a URL as an address when it is an IP literal (WHATWG URL has already normalised its spelling). */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname;
  return parseAddress(host) ? host.replace(/^\[|\]$/g, '') : undefined;
}

/**
 * The check that can be made before any DNS lookup: the scheme, and the host when it is an IP literal.
 * Hostnames pass here and are checked against every address they resolve to, at connect time.
 */
export function urlRefusal(url: string | URL, policy: UrlPolicy): Reason | undefined {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return reason(URL_REFUSED, 'is not an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return reason(URL_REFUSED, `uses ${parsed.protocol.slice(0, 20)}; only http and https are fetched`);
  }
  const literal = literalAddress(parsed);
  return literal === undefined ? undefined : addressRefusal(literal, policy);
}
