import { ResolvedFabricConfig } from '../fabricConfig';
import { formatIPv4, parseCIDR, parseMAC } from '../ipam';
import { Doc, Path, Report, list, obj, str } from '../model';
import { Steps } from '../steps';
import { Resolver, Target } from './resolver';
import { Use, UseGroup, names, push } from './shared';

/*
 * Gateways across the fabric (githedgehog/fabric api/gateway/v1alpha1/gateway_types.go,
 * Gateway.Validate with a client): their groups, their protocol and VTEP IPs against
 * the switches' and the other gateways', their VTEP MACs, and how many members a group has.
 */

/** The GatewayGroup a Gateway without groups is in (Gateway.Default(): DefaultGatewayGroup). */
export const DEFAULT_GATEWAY_GROUP = 'default';

/** The group names of a Gateway after Default(). */
export function gatewayGroupsOf(
  spec: Record<string, any>,
): Array<{ name: string; path: Path; implicit: boolean }> {
  const groups = list(spec.groups);
  if (groups.length === 0)
    return [
      { name: DEFAULT_GATEWAY_GROUP, path: ['spec', 'groups'], implicit: true },
    ];
  return groups.flatMap((g, i) => {
    const name = str(obj(g)?.name);
    return name
      ? [{ name, path: ['spec', 'groups', i, 'name'] as Path, implicit: false }]
      : [];
  });
}

interface AddressUse extends Use {
  gateway: boolean;
}

/** The protocol and VTEP IPs (by address) and the VTEP MACs of switches and gateways. */
function addressUses(
  switches: Target[],
  gateways: Doc[],
): Map<string, AddressUse[]> {
  const uses = new Map<string, AddressUse[]>();
  const ip = (t: { spec: Record<string, any> }, field: string) =>
    parseCIDR(t.spec[field]);
  for (const sw of switches) {
    if (!sw.doc) continue;
    for (const [field, what] of [
      ['protocolIP', 'protocol IP'],
      ['vtepIP', 'VTEP IP'],
    ]) {
      const p = ip(sw, field);
      if (p)
        push(uses, `${field}:${p.addr}`, {
          doc: sw.doc,
          path: ['spec', field],
          what: `${what} ${formatIPv4(p.addr)}`,
          gateway: false,
        });
    }
  }
  for (const gw of gateways) {
    for (const [field, what] of [
      ['protocolIP', 'protocol IP'],
      ['vtepIP', 'VTEP IP'],
    ]) {
      const p = ip(gw, field);
      if (p)
        push(uses, `${field}:${p.addr}`, {
          doc: gw,
          path: ['spec', field],
          what: `${what} ${formatIPv4(p.addr)}`,
          gateway: true,
        });
    }
    const mac = parseMAC(gw.spec.vtepMAC);
    if (mac)
      push(uses, `mac:${mac}`, {
        doc: gw,
        path: ['spec', 'vtepMAC'],
        what: `VTEP MAC ${mac}`,
        gateway: true,
      });
  }
  return uses;
}

/** Live switches take part as the addresses they hold (never reported: they are not the fabric's documents). */
function liveSwitchUses(
  live: Target[],
  uses: Map<string, AddressUse[]>,
): Map<string, string[]> {
  const holders = new Map<string, string[]>();
  for (const sw of live) {
    if (sw.doc) continue;
    for (const field of ['protocolIP', 'vtepIP']) {
      const p = parseCIDR(sw.spec[field]);
      const key = `${field}:${p?.addr}`;
      if (p && uses.has(key)) push(holders, key, `Switch ${sw.name} (cluster)`);
    }
  }
  return holders;
}

export function* checkGateways(
  gateways: Doc[],
  r: Resolver,
  report: Report,
  config: ResolvedFabricConfig,
): Steps {
  const members = new Map<string, Array<{ doc: Doc; path: Path }>>();
  for (const gw of gateways) {
    yield;
    for (const g of gatewayGroupsOf(gw.spec)) {
      r.resolve(gw, 'GatewayGroup', g.name, g.path, g.implicit);
      push(members, g.name, { doc: gw, path: g.path });
    }
  }

  // A group has at most one member per gateway community (Gateway.Validate: "already has too many members").
  const max = config.gatewayCommunities;
  for (const [group, all] of members) {
    yield;
    const seen = new Set<Doc>();
    const docs = all.filter(m => !seen.has(m.doc) && seen.add(m.doc));
    docs
      .slice(max.value)
      .forEach(m =>
        report.config(
          m.doc,
          'fabric.gateway-group-members',
          m.path,
          `GatewayGroup ${group} has ${docs.length} members; the fabric's ${max.value} gateway communities allow at most ${max.value}`,
          max.given,
        ),
      );
  }

  // Protocol and VTEP IPs are unique among gateways and switches, VTEP MACs among gateways
  // (switches among themselves: fabric.switch-address-reused).
  const switches = r.all('Switch');
  const uses = addressUses(switches, gateways);
  const live = liveSwitchUses(switches, uses);
  for (const [key, group] of uses) {
    yield;
    const cluster = live.get(key) ?? [];
    const gatewayUses = group.filter(u => u.gateway);
    if (gatewayUses.length === 0 || group.length + cluster.length < 2) continue;
    const everyone = new UseGroup(group);
    const ofGateways = new UseGroup(gatewayUses);
    for (const u of group) {
      yield;
      const others = u.gateway ? everyone.others(u) : ofGateways.others(u);
      const held = u.gateway ? cluster : [];
      if (others.count + held.length === 0) continue;
      const named = [
        others.count > 0 ? names(others) : '',
        held.slice(0, 3).join(', '),
        held.length > 3 ? `${held.length - 3} more cluster switches` : '',
      ]
        .filter(Boolean)
        .join(', ');
      report.add(
        u.doc,
        'fabric.gateway-address-reused',
        u.path,
        `${u.what} is also used by ${named}`,
      );
    }
  }
}
