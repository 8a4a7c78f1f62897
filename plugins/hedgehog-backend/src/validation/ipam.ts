/**
 * Small pure helpers for IPv4 addresses and prefixes, MAC addresses, BGP
 * communities and VLAN ranges. Addresses are unsigned 32-bit numbers. Parsing is
 * as strict as Go's `net/netip` (no leading zeros, no spaces).
 */

/** An IPv4 prefix; `addr` keeps the host bits as written (e.g. 10.0.0.1/24). */
export interface IPv4Prefix {
  addr: number;
  bits: number;
  /** First address of the prefix. */
  network: number;
  /** Last address of the prefix (the broadcast address for bits <= 30). */
  last: number;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Parses a dotted-quad IPv4 address. */
export function parseIPv4(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map(s => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Parses an IPv4 prefix `a.b.c.d/n` (host bits allowed, as `netip.ParsePrefix`). */
export function parseCIDR(text: unknown): IPv4Prefix | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIPv4(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (addr === undefined || !/^(0|[1-9][0-9]?)$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > 32) return undefined;
  return prefixOf(addr, bits);
}

function prefixOf(addr: number, bits: number): IPv4Prefix {
  const size = 2 ** (32 - bits);
  const network = addr - (addr % size);
  return { addr, bits, network, last: network + size - 1 };
}

/** The prefix in canonical form, e.g. `10.0.0.0/24`. */
export function formatPrefix(p: IPv4Prefix): string {
  return `${formatIPv4(p.network)}/${p.bits}`;
}

/** Whether the address of the prefix has no host bits set. */
export function isCanonical(p: IPv4Prefix): boolean {
  return p.addr === p.network;
}

export function containsAddr(p: IPv4Prefix, addr: number): boolean {
  return addr >= p.network && addr <= p.last;
}

export function overlaps(a: IPv4Prefix, b: IPv4Prefix): boolean {
  return a.network <= b.last && b.network <= a.last;
}

/** Whether `inner` lies entirely inside `outer`. */
export function isSubset(inner: IPv4Prefix, outer: IPv4Prefix): boolean {
  return inner.network >= outer.network && inner.last <= outer.last;
}

/** Whether the text is an IPv4 or IPv6 address (as `netip.ParseAddr`, without zones). */
export function isIPAddress(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  return parseIPv4(text) !== undefined || isIPv6(text);
}

function isIPv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  for (let h = 0; h < halves.length; h++) {
    if (halves[h] === '') continue;
    const parts = halves[h].split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      const lastOfAll = h === halves.length - 1 && i === parts.length - 1;
      if (lastOfAll && p.includes('.')) {
        if (parseIPv4(p) === undefined) return false;
        groups += 2;
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        groups += 1;
      } else {
        return false;
      }
    }
  }
  return halves.length === 2 ? groups < 8 : groups === 8;
}

/**
 * Parses a MAC address as Go's `net.ParseMAC` (6, 8 or 20 bytes; `:`, `-` or
 * dotted notation) and returns it in canonical lower-case colon form.
 */
export function parseMAC(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  let bytes: string[] | undefined;
  if (/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2})+$/.test(text)) {
    const sep = text[2];
    if (text.includes(sep === ':' ? '-' : ':')) return undefined;
    bytes = text.split(sep);
  } else if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})+$/.test(text)) {
    bytes = text.split('.').flatMap(g => [g.slice(0, 2), g.slice(2)]);
  }
  if (!bytes || ![6, 8, 20].includes(bytes.length)) return undefined;
  return bytes.map(b => b.toLowerCase()).join(':');
}

/** A BGP community `ASN:value`, both parts 0-65535 without leading zeros (as Hedgehog's regex). */
export function isCommunity(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  const m = /^(0|[1-9][0-9]{0,4}):(0|[1-9][0-9]{0,4})$/.exec(text);
  return !!m && Number(m[1]) <= 65535 && Number(m[2]) <= 65535;
}

/** A VLAN range with `to` resolved (a missing or zero `to` means `from`). */
export interface VLANRange {
  from: number;
  to: number;
}

export function inRanges(ranges: VLANRange[], vlan: number): boolean {
  return ranges.some(r => vlan >= r.from && vlan <= r.to);
}

export function rangesOverlap(a: VLANRange, b: VLANRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}

export function formatRange(r: VLANRange): string {
  return r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`;
}
