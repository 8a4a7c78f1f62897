import { ResolvedFabricConfig } from '../fabricConfig';
import { formatIPv4, parseCIDR, parseMAC } from '../ipam';
import { Doc, Path, Report, list, obj, str } from '../model';
import { Steps } from '../steps';
import { Resolver, Target } from './resolver';
import { Use, names, push } from './shared';

/*
 * Gateways across the fabric (githedgehog/fabric api/gateway/v1alpha1/gateway_types.go,
 * Gateway.Validate with a client): their groups, their protocol and VTEP IPs against
 * the switches' and the other gateways', their VTEP MACs, and how many members a group has.
 */

/** The GatewayGroup a Gateway without groups is in (Gateway.Default(): DefaultGatewayGroup). */
export const DEFAULT_GATEWAY_GROUP = 'default';

/** The group names of a Gateway after Default(). */
export function gatewayGroupsOf(spec: Record<string, any>): Array<{ name: string; path: Path; implicit: boolean }> {
  const groups = list(spec.groups);
  if (groups.length === 0) return [{ name: DEFAULT_GATEWAY_GROUP, path: ['spec', 'groups'], implicit: true }];
  return groups.flatMap((g, i) => {
    const name = str(obj(g)?.name);
    return name ? [{ name, path: ['spec', 'groups', i, 'name'] as Path, implicit: false }] : [];
  });
}

interface AddressUse extends Use {
  gateway: boolean;
}

/** The protocol and VTEP IPs (by address) and the VTEP MACs of switches and gateways. */
function addressUses(switches: Target[], gateways: Doc[]): Map<string, AddressUse[]> {
  const uses = new Map<string, AddressUse[]>();
  const ip = (t: { spec: Record<string, any> }, field: string) => parseCIDR(t.spec[field]);
  for (const sw of switches) {
    if (!sw.doc) continue;
    for (const [field, what] of [['protocolIP', 'protocol IP'], ['vtepIP', 'VTEP IP']]) {
      const p = ip(sw, field);
      if (p) push(uses, `${field}:${p.addr}`, { doc: sw.doc, path: ['spec', field], what: `${what} ${formatIPv4(p.addr)}`, gateway: false });
    }
  }
  for (const gw of gateways) {
    for (const [field, what] of [['protocolIP', 'protocol IP'], ['vtepIP', 'VTEP IP']]) {
      const p = ip(gw, field);
      if (p) push(uses, `${field}:${p.addr}`, { doc: gw, path: ['spec', field], what: `${what} ${formatIPv4(p.addr)}`, gateway: true });
    }
    const mac = parseMAC(gw.spec.vtepMAC);
    if (mac) push(uses, `mac:${mac}`, { doc: gw, path: ['spec', 'vtepMAC'], what: `VTEP MAC ${mac}`, gateway: true });
  }
  return uses;
}

/** Live switches take part as the addresses they hold (never reported: they are not the fabric's documents). */
function liveSwitchUses(live: Target[], uses: Map<string, AddressUse[]>): Map<string, string[]> {
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

export function* checkGateways(gateways: Doc[], r: Resolver, report: Report, config: ResolvedFabricConfig): Steps {
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
    const docs = all.filter((m, i) => all.findIndex(o => o.doc === m.doc) === i);
    docs.slice(max.value).forEach(m =>
      report.config(
        m.doc,
        'fabric.gateway-group-members',
        m.path,
        `GatewayGroup ${group} has ${docs.length} members; the fabric's ${max.value} gateway communities allow at most ${max.value}`,
        max.given,
      ),
    );
  }

  // Protocol and VTEP IPs are unique among gateways and switches, VTEP MACs among gateways.
  const switches = r.all('Switch');
  const uses = addressUses(switches, gateways);
  const live = liveSwitchUses(switches, uses);
  for (const [key, group] of uses) {
    yield;
    const cluster = live.get(key) ?? [];
    const hasGateway = group.some(u => u.gateway);
    if (!hasGateway || group.length + cluster.length < 2) continue;
    for (const u of group) {
      const others = group.filter(o => o.doc !== u.doc);
      // switches among themselves: fabric.switch-address-reused
      const relevant = u.gateway ? others : others.filter(o => o.gateway);
      const count = relevant.length + (u.gateway ? cluster.length : 0);
      if (count === 0) continue;
      const named = [names({ some: relevant, count: relevant.length }), ...(u.gateway ? cluster : [])].filter(Boolean).join(', ');
      report.add(u.doc, 'fabric.gateway-address-reused', u.path, `${u.what} is also used by ${named}`);
    }
  }
}
