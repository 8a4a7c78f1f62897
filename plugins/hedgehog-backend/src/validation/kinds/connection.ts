import {
  CONNECTION_TYPES,
  ConnectionModel,
  IP_LINK_KEYS,
  SERVER_FACING_KEYS,
  connectionModel,
} from '../connectionModel';
import { IPv4Prefix, containsAddr, formatIPv4, formatPrefix, isCanonical, overlaps, parseCIDR, parseIPv4 } from '../ipam';
import { Doc, MAX_FINDINGS_PER_RULE, Path, int, list, obj } from '../model';
import { findOverlaps } from '../overlaps';
import { KindContext } from './context';

/** Allowed numbers of distinct servers and switches per connection type. */
const ENDPOINT_COUNTS: Record<string, { servers?: [number, number]; switches: [number, number] }> = {
  unbundled: { servers: [1, 1], switches: [1, 1] },
  bundled: { servers: [1, 1], switches: [1, 1] },
  mclag: { servers: [1, 1], switches: [1, 2] },
  eslag: { servers: [1, 1], switches: [1, 4] },
  mclagDomain: { switches: [2, 2] },
  fabric: { switches: [2, 2] },
  mesh: { switches: [2, 2] },
  gateway: { switches: [1, 1] },
  vpcLoopback: { switches: [1, 1] },
  external: { switches: [1, 1] },
  staticExternal: { switches: [1, 1] },
};

/** The most links a hydration.link finding names (it counts the rest). */
const MAX_LINKS_NAMED = 10;

export function checkConnection(doc: Doc, ctx: KindContext): ConnectionModel {
  const { report, config } = ctx;
  const model = connectionModel(doc.spec);
  if (model.keys.length === 0) {
    report.add(
      doc,
      'connection.type',
      ['spec'],
      `Connection ${doc.name} has no type; exactly one of ${Object.keys(CONNECTION_TYPES).join(', ')} is required`,
    );
    return model;
  }
  if (model.keys.length > 1) {
    report.add(
      doc,
      'connection.type',
      ['spec', model.keys[1]],
      `Connection ${doc.name} has several types (${model.keys.join(', ')}); exactly one is allowed`,
    );
  }
  const key = model.key!;
  const body = obj(doc.spec[key]);
  if (!body) return model;

  if (key === 'mclag' || key === 'mclagDomain') {
    report.add(doc, 'deprecated.mclag', ['spec', key], `${key} connections are deprecated and no longer supported by current Hedgehog releases (use ESLAG)`);
  }

  // endpoint counts
  const counts = ENDPOINT_COUNTS[key];
  const complete = model.links.length > 0 && model.links.every(l => l.ends.length === (key === 'external' || key === 'staticExternal' ? 1 : 2));
  if (complete) {
    const problems: string[] = [];
    const check = (what: string, n: number, [min, max]: [number, number]) => {
      if (n < min || n > max) {
        const want = min === max ? `${min}` : `${min}-${max}`;
        problems.push(`${n} ${what}${n === 1 ? '' : 's'} (${want} required)`);
      }
    };
    if (counts.servers) check('server', model.servers.size, counts.servers);
    check('switch', model.switches.size, counts.switches);
    if (problems.length > 0) {
      report.add(doc, 'connection.endpoints', ['spec', key], `${CONNECTION_TYPES[key]} connection ${doc.name} connects ${problems.join(' and ')}`);
    }
  }

  // distinct ports within the connection
  const seen = new Map<string, string>();
  for (const e of model.endpoints) {
    const first = seen.get(e.alias);
    if (first !== undefined) {
      report.add(
        doc,
        'connection.ports-distinct',
        e.path,
        `port ${e.port} is used twice in Connection ${doc.name}${first !== e.port ? ` (${first} and ${e.port} are the same port)` : ''}`,
      );
    } else {
      seen.set(e.alias, e.port);
    }
  }

  // link IPs (fabric, mesh, gateway): filled by hhfab hydration
  if (IP_LINK_KEYS.includes(key)) {
    // one finding per connection, naming every link without IPs
    const unhydrated: Array<{ link: (typeof model.links)[number]; sides: string }> = [];
    for (const link of model.links) {
      if (link.ends.length !== 2) continue;
      const missing = link.ends.filter(e => !e.ip);
      if (missing.length > 0) {
        unhydrated.push({ link, sides: missing.map(e => e.endPath[e.endPath.length - 1]).join(' and ') });
        continue;
      }
      const prefixes = link.ends.map(e => ({ e, p: parseCIDR(e.ip) }));
      let ok = true;
      for (const { e, p } of prefixes) {
        if (!p) {
          ok = false;
          continue;
        }
        if (p.bits !== 31) {
          ok = false;
          report.add(doc, 'connection.link-ip', [...e.endPath, 'ip'], `link IP ${e.ip} must be a /31`);
        }
        if (!containsAddr(config.fabricSubnet.value, p.addr)) {
          report.config(
            doc,
            'connection.link-ip-subnet',
            [...e.endPath, 'ip'],
            `link IP ${formatIPv4(p.addr)} is not in the fabric subnet ${formatPrefix(config.fabricSubnet.value)}`,
            config.fabricSubnet.given,
          );
        }
      }
      const [a, b] = prefixes;
      if (ok && a.p && b.p && a.p.network !== b.p.network) {
        report.add(doc, 'connection.link-ip', [...b.e.endPath, 'ip'], `link IPs ${a.e.ip} and ${b.e.ip} are not in the same /31`);
      }
    }
    if (unhydrated.length > 0) {
      const named = unhydrated.slice(0, MAX_LINKS_NAMED).map(u => `link ${u.link.index} (on ${u.sides})`);
      const rest = unhydrated.length - named.length;
      const which = `${named.join(', ')}${rest > 0 ? ` and ${rest} more links` : ''}`;
      report.add(
        doc,
        'hydration.link',
        unhydrated.length === 1 ? unhydrated[0].link.path : ['spec', key, 'links'],
        `${key} ${unhydrated.length === 1 ? `${which} has` : `${which} have`} no IP: the wiring is not hydrated; hhfab fills link IPs at install`,
      );
    }
  }

  // server-facing MTU
  if (SERVER_FACING_KEYS.includes(key)) {
    const mtu = int(body.mtu);
    const max = config.serverFacingMaxMTU;
    if (mtu !== undefined && mtu > max.value) {
      report.config(doc, 'connection.mtu', ['spec', key, 'mtu'], `MTU ${mtu} is greater than the fabric MTU minus the server-facing offset (${max.value})`, max.given);
    }
  }

  if ((key === 'eslag' || key === 'gateway') && config.fabricMode.value !== 'spine-leaf') {
    report.config(doc, 'connection.fabric-mode', ['spec', key], `${key} connections need the spine-leaf fabric mode, not ${config.fabricMode.value}`, config.fabricMode.given);
  }

  if (key === 'staticExternal') checkStaticExternal(doc, body, ctx);
  return model;
}

function checkStaticExternal(doc: Doc, body: Record<string, any>, { report, config }: KindContext) {
  const sw = obj(obj(body.link)?.switch);
  if (!sw) return;
  const base: Path = ['spec', 'staticExternal', 'link', 'switch'];
  const ip = parseCIDR(sw.ip);
  const nextHop = parseIPv4(sw.nextHop);
  if (ip && nextHop !== undefined && !containsAddr(ip, nextHop)) {
    report.add(doc, 'connection.static-external', [...base, 'nextHop'], `next hop ${sw.nextHop} is not in ${formatPrefix(ip)} (the switch IP's subnet)`);
  }
  const subnets = list(sw.subnets);
  const parsed: Array<{ prefix: IPv4Prefix; item: { prefix: IPv4Prefix; path: Path } }> = [];
  subnets.forEach((s, i) => {
    const p = parseCIDR(s);
    if (!p) return;
    const path: Path = [...base, 'subnets', i];
    if (s === '0.0.0.0/0') {
      if (subnets.length > 1) {
        report.add(doc, 'connection.static-external', path, 'the default route 0.0.0.0/0 must be the only subnet');
      }
      return;
    }
    if (!isCanonical(p)) {
      report.add(doc, 'connection.static-external', path, `subnet ${s} has host bits set; use ${formatPrefix(p)}`);
    }
    parsed.push({ prefix: p, item: { prefix: p, path } });
  });
  const overlapping = findOverlaps(parsed, MAX_FINDINGS_PER_RULE);
  for (const [a, b] of overlapping.pairs) {
    report.add(doc, 'connection.static-external', b.path, `subnet ${formatPrefix(b.prefix)} overlaps subnet ${formatPrefix(a.prefix)}`);
  }
  report.leftOut(doc, 'connection.static-external', overlapping.total - overlapping.pairs.length);
  for (const { item } of parsed) {
    for (const reserved of config.reservedSubnets) {
      if (overlaps(item.prefix, reserved.value.prefix)) {
        report.config(
          doc,
          'connection.static-external-reserved',
          item.path,
          `subnet ${formatPrefix(item.prefix)} overlaps the ${reserved.value.name} ${formatPrefix(reserved.value.prefix)}`,
          reserved.given,
        );
      }
    }
  }
}
