import { findKind, HEDGEHOG_KINDS } from '.';
import { kindColumnText } from './columns';

const column = (kind: string, title: string) => {
  const found = findKind(kind)!.columns.find(c => c.title === title);
  if (!found) throw new Error(`${kind} has no column ${title}`);
  return found;
};

describe('the columns of the kinds', () => {
  it('every kind with fields in its spec lists some of them; the two groups have an empty spec', () => {
    const without = HEDGEHOG_KINDS.filter(k => k.columns.length === 0).map(k => k.kind);
    expect(without.sort()).toEqual(['GatewayGroup', 'SwitchGroup']);
    for (const k of HEDGEHOG_KINDS) {
      for (const c of k.columns) expect(c.path).toMatch(/^spec(\.|$)/);
    }
  });

  it("a Gateway's protocol IP, VTEP IP, ASN, number of interfaces and groups", () => {
    const gateway = {
      spec: {
        protocolIP: '172.30.8.2/32',
        vtepIP: '172.30.12.2/32',
        asn: 65534,
        interfaces: { enp2s1: { ips: ['172.30.128.1/31'] }, enp2s2: { ips: ['172.30.128.3/31'] } },
        groups: [{ name: 'default', priority: 10 }, { name: 'edge', priority: 20 }],
      },
    };
    expect(findKind('Gateway')!.columns.map(c => [c.title, kindColumnText(gateway, c)])).toEqual([
      ['Protocol IP', '172.30.8.2/32'],
      ['VTEP IP', '172.30.12.2/32'],
      ['ASN', '65534'],
      ['Interfaces', '2'],
      ['Groups', 'default, edge'],
    ]);
    expect(kindColumnText({ spec: {} }, column('Gateway', 'Interfaces'))).toBe('0');
    expect(kindColumnText({ spec: {} }, column('Gateway', 'Groups'))).toBe('');
  });

  it("a GatewayPeering's two peers (the keys of spec.peering), a Connection's type, a VPCPeering's VPCs", () => {
    const peering = { spec: { gatewayGroup: 'default', peering: { 'vpc-1': { expose: [] }, 'ext.ext-1': { expose: [] } } } };
    expect(kindColumnText(peering, column('GatewayPeering', 'Peers'))).toBe('vpc-1, ext.ext-1');
    expect(kindColumnText(peering, column('GatewayPeering', 'Gateway group'))).toBe('default');
    expect(kindColumnText({ spec: { unbundled: { link: {} } } }, column('Connection', 'Type'))).toBe('unbundled');
    const vpcPeering = { spec: { remote: 'border', permit: [{ 'vpc-1': {}, 'vpc-2': { subnets: ['default'] } }, { 'vpc-1': {} }] } };
    expect(kindColumnText(vpcPeering, column('VPCPeering', 'VPCs'))).toBe('vpc-1, vpc-2');
  });

  it('VLAN ranges as from–to, lists joined, absent values empty', () => {
    const ns = { spec: { ranges: [{ from: 1000, to: 2999 }, { from: 3000, to: 3000 }] } };
    expect(kindColumnText(ns, column('VLANNamespace', 'Ranges'))).toBe('1000–2999, 3000');
    expect(kindColumnText({ spec: { subnets: ['10.0.0.0/16', '10.1.0.0/16'] } }, column('IPv4Namespace', 'Subnets'))).toBe('10.0.0.0/16, 10.1.0.0/16');
    expect(kindColumnText({ spec: {} }, column('Switch', 'Role'))).toBe('');
    expect(kindColumnText(null, column('Switch', 'Role'))).toBe('');
  });
});
