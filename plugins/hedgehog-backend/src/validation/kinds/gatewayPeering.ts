import { parseCIDR } from '../ipam';
import { Doc, Path, entries, list, obj, str } from '../model';
import { KindContext } from './context';
import { checkGatewayEnabled } from './gateway';

/*
 * Hedgehog's GatewayPeering.Validate() (githedgehog/fabric
 * api/gateway/v1alpha1/gatewaypeering_types.go), the rules that need only the
 * document: the exposes, their NAT, the ACL. Checked after Default(): an empty ACL
 * default is deny-unless-exposed, an empty rule scope flow.
 */

/** How a GatewayPeering names an External (v1beta1.VPCInfoExtPrefix). */
export const EXTERNAL_PREFIX = 'ext.';

const NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAT_PROTOCOLS = ['', 'tcp', 'udp'];
const ACL_PROTOCOLS = ['tcp', 'udp', ''];

/** What is wrong with a port or port range (validatePort), if anything. */
export function portProblem(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '')
    return 'a port entry must not be empty';
  if (text.trim() !== text)
    return 'must not have leading or trailing whitespace';
  if (text.includes(',')) return 'must be a single port or range';
  const port = (s: string) => (/^[+-]?\d+$/.test(s) ? Number(s) : undefined);
  const inRange = (n: number | undefined) =>
    n !== undefined && n >= 1 && n <= 65535;
  if (!text.includes('-'))
    return inRange(port(text))
      ? undefined
      : 'must be a port between 1 and 65535';
  const parts = text.split('-').map(p => p.trim());
  if (parts.length !== 2) return 'must be a range start-end';
  if (parts[0] === '' || parts[1] === '') return 'needs both start and end';
  const [start, end] = parts.map(port);
  if (!inRange(start) || !inRange(end))
    return 'start and end must be ports between 1 and 65535';
  return start! > end! ? 'start must not be greater than end' : undefined;
}

function checkExpose(
  name: string,
  e: unknown,
  at: Path,
  add: (
    rule: 'gatewaypeering.spec' | 'gatewaypeering.nat',
    path: Path,
    message: string,
  ) => void,
) {
  const expose = obj(e) ?? {};
  const ips = list(expose.ips);
  const as = list(expose.as);
  const nat = obj(expose.nat);
  if (expose.default === true && (ips.length > 0 || as.length > 0 || nat))
    add(
      'gatewaypeering.spec',
      at,
      `the default flag must be the only thing set in an expose of ${name}`,
    );
  if (ips.length === 0 && expose.default !== true)
    add(
      'gatewaypeering.spec',
      [...at, 'ips'],
      `at least one IP block must be exposed by ${name}`,
    );
  for (const field of ['ips', 'as'] as const) {
    list(expose[field]).forEach((block, j) => {
      const b = obj(block) ?? {};
      const keys =
        field === 'ips' ? ['cidr', 'not', 'vpcSubnet'] : ['cidr', 'not'];
      if (keys.filter(k => str(b[k])).length !== 1)
        add(
          'gatewaypeering.spec',
          [...at, field, j],
          `exactly one of ${keys.join(
            ', ',
          )} is set in an expose block of ${name}`,
        );
      for (const k of ['cidr', 'not']) {
        if (str(b[k]) && !parseCIDR(b[k]))
          add(
            'gatewaypeering.spec',
            [...at, field, j, k],
            `${k} ${JSON.stringify(b[k])} is not an IPv4 prefix`,
          );
      }
      if (
        field === 'ips' &&
        str(b.vpcSubnet) &&
        name.startsWith(EXTERNAL_PREFIX)
      ) {
        add(
          'gatewaypeering.spec',
          [...at, field, j, 'vpcSubnet'],
          `External ${name.slice(
            EXTERNAL_PREFIX.length,
          )} cannot expose VPC subnets`,
        );
      }
    });
  }
  if ((as.length === 0) !== !nat)
    add(
      'gatewaypeering.nat',
      at,
      `as and nat are set together (or neither) in an expose of ${name}`,
    );
  if (!nat) return;
  const modes = ['static', 'masquerade', 'portForward'].filter(
    m => nat[m] !== undefined && nat[m] !== null,
  );
  if (modes.length !== 1)
    add(
      'gatewaypeering.nat',
      [...at, 'nat'],
      `exactly one of masquerade, static, portForward is set in the NAT of an expose of ${name}`,
    );
  const forward = obj(nat.portForward);
  if (!forward) return;
  const ports = list(forward.ports);
  if (ports.length === 0)
    add(
      'gatewaypeering.nat',
      [...at, 'nat', 'portForward', 'ports'],
      `at least one port forwarding rule is set in an expose of ${name}`,
    );
  ports.forEach((p, k) => {
    const entry = obj(p) ?? {};
    for (const f of ['port', 'as']) {
      const problem = portProblem(entry[f] ?? '');
      if (problem)
        add(
          'gatewaypeering.nat',
          [...at, 'nat', 'portForward', 'ports', k, f],
          `port forwarding rule ${k}: ${f} ${JSON.stringify(
            entry[f] ?? '',
          )} ${problem}`,
        );
    }
    if (!NAT_PROTOCOLS.includes(entry.proto ?? ''))
      add(
        'gatewaypeering.nat',
        [...at, 'nat', 'portForward', 'ports', k, 'proto'],
        `port forwarding rule ${k}: protocol ${JSON.stringify(
          entry.proto,
        )} is not tcp or udp`,
      );
  });
}

/** Stateful NAT (masquerade, port forwarding) on one side at most, and not with static NAT on the other. */
function natSides(
  peering: Array<[string, any]>,
): { stateful: boolean; stateless: boolean }[] {
  return peering.map(([, entry]) => {
    const nats = list(obj(entry)?.expose).map(e => obj(obj(e)?.nat) ?? {});
    return {
      stateful: nats.some(n => n.masquerade || n.portForward),
      stateless: nats.some(n => n.static),
    };
  });
}

function checkACL(
  doc: Doc,
  vpcs: string[],
  add: (path: Path, message: string) => void,
) {
  const acl = obj(doc.spec.acl);
  if (!acl) return;
  const def = acl.default || 'deny-unless-exposed';
  if (!['deny', 'deny-unless-exposed'].includes(def))
    add(['acl', 'default'], `invalid default action ${JSON.stringify(def)}`);
  list(acl.rules).forEach((r, i) => {
    const rule = obj(r) ?? {};
    const at: Path = ['acl', 'rules', i];
    const label = `ACL rule ${i}${str(rule.name) ? ` (${rule.name})` : ''}`;
    if (str(rule.name) && !NAME.test(rule.name))
      add(
        [...at, 'name'],
        `invalid rule name ${JSON.stringify(rule.name)} in ACL rule ${i}`,
      );
    if (str(rule.name) && rule.name.length > 64)
      add(
        [...at, 'name'],
        `rule name in ACL rule ${i} is longer than 64 characters`,
      );
    if (!['allow', 'deny'].includes(rule.action))
      add(
        [...at, 'action'],
        `invalid action ${JSON.stringify(rule.action ?? '')} in ${label}`,
      );
    if (!str(rule.from) && !str(rule.to))
      add(at, `at least one of from and to is set in ${label}`);
    for (const side of ['from', 'to']) {
      if (str(rule[side]) && vpcs.length === 2 && !vpcs.includes(rule[side]))
        add(
          [...at, side],
          `${side} ${
            rule[side]
          } of ${label} is not one of the peering's VPCs (${vpcs.join(', ')})`,
        );
    }
    const match = obj(rule.match) ?? {};
    for (const field of ['src', 'dst']) {
      list(match[field]).forEach((m, k) => {
        const end = obj(m) ?? {};
        const where: Path = [...at, 'match', field, k];
        if (str(end.cidr) && str(end.vpcSubnet))
          add(
            where,
            `at most one of cidr and vpcSubnet is set in ${field} ${k} of ${label}`,
          );
        if (str(end.cidr) && !parseCIDR(end.cidr))
          add(
            [...where, 'cidr'],
            `${field} CIDR ${JSON.stringify(
              end.cidr,
            )} of ${label} is not an IPv4 prefix`,
          );
        list(end.ports).forEach((port, n) => {
          const problem = portProblem(port);
          if (problem)
            add(
              [...where, 'ports', n],
              `${field} port ${JSON.stringify(port)} of ${label} ${problem}`,
            );
        });
      });
    }
    const proto = match.proto ?? '';
    if (!ACL_PROTOCOLS.includes(proto) && !/^[+-]?\d+$/.test(String(proto)))
      add(
        [...at, 'match', 'proto'],
        `invalid protocol ${JSON.stringify(
          proto,
        )} in ${label}: tcp, udp or a number`,
      );
  });
}

export function checkGatewayPeering(doc: Doc, ctx: KindContext) {
  const { report } = ctx;
  checkGatewayEnabled(doc, ctx);
  const peering = entries(doc.spec.peering);
  if (peering.length !== 2)
    report.add(
      doc,
      'gatewaypeering.spec',
      ['spec', 'peering'],
      `a peering must have exactly 2 VPCs, got ${peering.length}`,
    );
  for (const [name, entry] of peering) {
    list(obj(entry)?.expose).forEach((e, i) =>
      checkExpose(
        name,
        e,
        ['spec', 'peering', name, 'expose', i],
        (rule, path, message) => report.add(doc, rule, path, message),
      ),
    );
  }
  if (peering.length === 2) {
    const [a, b] = natSides(peering);
    if (a.stateful && b.stateful) {
      report.add(
        doc,
        'gatewaypeering.nat',
        ['spec', 'peering'],
        'only one side of a peering can use stateful NAT (masquerade or port forwarding)',
      );
    } else if ((a.stateless && b.stateful) || (b.stateless && a.stateful)) {
      report.add(
        doc,
        'gatewaypeering.nat',
        ['spec', 'peering'],
        'a side using static NAT cannot peer with a side using stateful NAT',
      );
    }
  }
  checkACL(
    doc,
    peering.map(([name]) => name),
    (path, message) =>
      report.add(doc, 'gatewaypeering.acl', ['spec', ...path], message),
  );
}
