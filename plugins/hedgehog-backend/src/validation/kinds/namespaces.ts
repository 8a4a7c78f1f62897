import { IPv4Prefix, VLANRange, formatPrefix, formatRange, overlaps, parseCIDR, rangesOverlap } from '../ipam';
import { Doc, MAX_FINDINGS_PER_RULE, Path, int, list, obj } from '../model';
import { findOverlaps } from '../overlaps';
import { KindContext } from './context';

/** A VLAN range of a document and where it is. */
export interface VLANRangeAt {
  range: VLANRange;
  path: Path;
}

/** The ranges of a VLANNamespace spec that are well-formed, with their paths. */
export function vlanRangesOf(spec: Record<string, any>): VLANRangeAt[] {
  const out: VLANRangeAt[] = [];
  list(spec.ranges).forEach((r, i) => {
    const from = int(obj(r)?.from);
    const to = int(obj(r)?.to) || from;
    if (from !== undefined && to !== undefined && from >= 1 && to <= 4094 && from <= to) {
      out.push({ range: { from, to }, path: ['spec', 'ranges', i] });
    }
  });
  return out;
}

export function checkVLANNamespace(doc: Doc, { report, config }: KindContext) {
  list(doc.spec.ranges).forEach((raw, i) => {
    const r = obj(raw);
    if (!r) return;
    const from = int(r.from);
    const rawTo = int(r.to);
    const path: Path = ['spec', 'ranges', i];
    if (from !== undefined && (from < 1 || from > 4094)) {
      report.add(doc, 'vlannamespace.range', [...path, 'from'], `range ${i}: from is ${from}; VLANs are 1-4094`);
    }
    if (rawTo !== undefined && rawTo !== 0 && (rawTo < 1 || rawTo > 4094)) {
      report.add(doc, 'vlannamespace.range', [...path, 'to'], `range ${i}: to is ${rawTo}; VLANs are 1-4094`);
    }
    if (from !== undefined && rawTo !== undefined && rawTo !== 0 && from > rawTo) {
      report.add(doc, 'vlannamespace.range', path, `range ${i}: from ${from} is greater than to ${rawTo}`);
    }
  });
  // VLANNamespace.Validate runs CheckVLANRangesOverlap on the reserved ranges plus
  // spec.ranges: the namespace's own ranges must not overlap either (a sweep by start).
  const own = [...vlanRangesOf(doc.spec)].sort((a, b) => a.range.from - b.range.from);
  let widest = own[0];
  for (const cur of own.slice(1)) {
    if (cur.range.from <= widest.range.to) {
      report.add(doc, 'vlannamespace.overlap', cur.path, `VLAN range ${formatRange(cur.range)} overlaps range ${formatRange(widest.range)} of the same VLANNamespace`);
    }
    if (cur.range.to > widest.range.to) widest = cur;
  }
  for (const { range, path } of vlanRangesOf(doc.spec)) {
    for (const reserved of config.reservedVLANs) {
      if (rangesOverlap(range, reserved.value.range)) {
        report.config(
          doc,
          'vlannamespace.reserved',
          path,
          `VLAN range ${formatRange(range)} overlaps the ${reserved.value.name} ${formatRange(reserved.value.range)}`,
          reserved.given,
        );
      }
    }
  }
}

/** The parseable subnets of an IPv4Namespace spec, with their paths. */
export function ipv4SubnetsOf(spec: Record<string, any>): Array<{ prefix: IPv4Prefix; path: Path }> {
  const out: Array<{ prefix: IPv4Prefix; path: Path }> = [];
  list(spec.subnets).forEach((s, i) => {
    const prefix = parseCIDR(s);
    if (prefix) out.push({ prefix, path: ['spec', 'subnets', i] });
  });
  return out;
}

export function checkIPv4Namespace(doc: Doc, { report, config }: KindContext) {
  const subnets = ipv4SubnetsOf(doc.spec);
  const overlapping = findOverlaps(subnets.map(s => ({ prefix: s.prefix, item: s })), MAX_FINDINGS_PER_RULE);
  for (const [a, b] of overlapping.pairs) {
    report.add(
      doc,
      'ipv4namespace.overlap',
      b.path,
      `subnet ${formatPrefix(b.prefix)} overlaps subnet ${formatPrefix(a.prefix)} of the same IPv4Namespace`,
    );
  }
  report.leftOut(doc, 'ipv4namespace.overlap', overlapping.total - overlapping.pairs.length);
  for (const s of subnets) {
    for (const reserved of config.reservedSubnets) {
      if (overlaps(s.prefix, reserved.value.prefix)) {
        report.config(
          doc,
          'ipv4namespace.reserved',
          s.path,
          `subnet ${formatPrefix(s.prefix)} overlaps the ${reserved.value.name} ${formatPrefix(reserved.value.prefix)}`,
          reserved.given,
        );
      }
    }
  }
}
