import { Endpoint, IP_LINK_KEYS, connectionModel } from '../connectionModel';
import { formatIPv4, parseCIDR } from '../ipam';
import { Doc, Path, Report, formatPath, list, obj, str } from '../model';
import { Steps } from '../steps';
import { Resolver, Target } from './resolver';
import { Use, UseGroup, names, push, reportShared } from './shared';

/* Connections across the fabric: their endpoints, reused ports and link IPs, redundancy groups. */

/** The devices a connection's endpoints name, each once (first endpoint naming it). */
function devicesOf(spec: Record<string, any>): Endpoint[] {
  const seen = new Set<string>();
  return connectionModel(spec).endpoints.filter(e => {
    const key = `${e.role}/${e.device}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The link IPs of a connection of a kind with link IPs, parsed. */
function linkIPsOf(spec: Record<string, any>): Array<{ addr: string; path: Path; what: string }> {
  const model = connectionModel(spec);
  const out: Array<{ addr: string; path: Path; what: string }> = [];
  if (!model.key || !IP_LINK_KEYS.includes(model.key)) return out;
  for (const e of model.endpoints) {
    const p = e.ip ? parseCIDR(e.ip) : undefined;
    if (p) out.push({ addr: String(p.addr), path: [...e.endPath, 'ip'], what: formatIPv4(p.addr) });
  }
  return out;
}

/**
 * The gateway side of each link names an interface of its Gateway: hhfab's hydration
 * gives that interface the link's gateway IP and fails without it ("gateway %s does
 * not have interface %s", fabricator pkg/hhfab/hydrate.go `hydrate`).
 */
function checkGatewayInterfaces(c: Doc, endpoints: Endpoint[], gateways: Map<string, Target | undefined>, report: Report) {
  for (const e of endpoints) {
    const gw = e.role === 'gateway' ? gateways.get(e.device) : undefined;
    if (!gw) continue;
    const local = e.port.slice(e.device.length + 1);
    const interfaces = obj(gw.spec.interfaces) ?? {};
    const iface = Object.prototype.hasOwnProperty.call(interfaces, local) ? interfaces[local] : undefined;
    if (iface === undefined) {
      const known = Object.keys(interfaces);
      report.add(
        c,
        'connection.gateway-interface',
        e.path,
        `Gateway ${gw.name} has no interface ${local}${known.length > 0 ? ` (it has ${known.slice(0, 5).join(', ')}${known.length > 5 ? ', ...' : ''})` : ''}; hhfab's hydration needs it`,
      );
      continue;
    }
    const link = parseCIDR(e.ip);
    const ips = list(obj(iface)?.ips).map(parseCIDR).filter((p): p is NonNullable<typeof p> => p !== undefined);
    if (link && ips.length > 0 && !ips.some(p => p.addr === link.addr && p.bits === link.bits)) {
      report.add(
        c,
        'connection.gateway-interface-ip',
        [...e.endPath, 'ip'],
        `link IP ${e.ip} is not among the IPs of interface ${local} of Gateway ${gw.name} (${list(obj(iface)?.ips).join(', ')}); hhfab sets them to the link's gateway IP when it hydrates`,
      );
    }
  }
}

export function* checkConnections(connections: Doc[], r: Resolver, report: Report): Steps {
  const ports = new Map<string, Use[]>();
  const ips = new Map<string, Use[]>();
  for (const c of connections) {
    yield;
    const model = r.connection({ kind: 'Connection', name: c.name, spec: c.spec, doc: c });
    const resolved = new Map<string, Target | undefined>();
    const gateways = new Map<string, Target | undefined>();
    for (const e of r.derive(c.spec, devicesOf)) {
      if (e.role === 'switch') resolved.set(e.device, r.resolve(c, 'Switch', e.device, e.path));
      else if (e.role === 'server') r.resolve(c, 'Server', e.device, e.path);
      else gateways.set(e.device, r.resolve(c, 'Gateway', e.device, e.path));
    }
    if (model.key === 'gateway') checkGatewayInterfaces(c, model.endpoints, gateways, report);
    for (const e of model.endpoints) push(ports, e.alias, { doc: c, path: e.path, what: e.port });
    for (const ip of r.derive(c.spec, linkIPsOf)) push(ips, ip.addr, { doc: c, path: ip.path, what: ip.what });
    if (model.key === 'staticExternal') {
      r.resolve(c, 'VPC', str(obj(c.spec.staticExternal)?.withinVPC), ['spec', 'staticExternal', 'withinVPC']);
    }
    if ((model.key === 'eslag' || model.key === 'mclag') && model.switches.size > 0) {
      const targets = [...model.switches].map(s => resolved.get(s));
      if (targets.every(t => t !== undefined)) {
        const want = model.key;
        const groups = new Set(targets.map(t => str(obj(t!.spec.redundancy)?.group) ?? ''));
        const wrong = targets.filter(t => obj(t!.spec.redundancy)?.type !== want).map(t => t!.name);
        const problems: string[] = [];
        if (groups.has('')) problems.push(`switch(es) ${targets.filter(t => !str(obj(t!.spec.redundancy)?.group)).map(t => t!.name).join(', ')} have no redundancy group`);
        else if (groups.size > 1) problems.push(`the switches are in different redundancy groups (${[...groups].join(', ')})`);
        if (wrong.length > 0) problems.push(`switch(es) ${wrong.join(', ')} do not have redundancy type ${want}`);
        if (problems.length > 0) {
          report.add(c, 'connection.redundancy-group', ['spec', model.key], `${want} connection ${c.name}: ${problems.join('; ')}`);
        }
      }
    }
  }
  yield* reportShared(report, ports, 'fabric.port-reused', (u, others) => `port ${u.what} is also used by ${names(others)}${others.differing ? ` (as ${others.differing.what}, the same port)` : ''}`);
  for (const uses of ips.values()) {
    yield;
    if (uses.length < 2) continue;
    const group = new UseGroup(uses);
    for (const u of uses) {
      const others = group.others(u);
      const inSame = others.count === 0 ? group.sameDoc(u).find(o => o !== u) : undefined;
      report.add(u.doc, 'fabric.link-ip-reused', u.path, `link IP ${u.what} is also used ${inSame ? `by ${formatPath(inSame.path)} of the same Connection` : `by ${names(others)}`}`);
    }
  }
}
