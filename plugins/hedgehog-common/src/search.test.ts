import { matchesSearchValue, portsOf, searchKey, searchResource } from './search';

const connection = {
  apiVersion: 'wiring.githedgehog.com/v1beta1',
  kind: 'Connection',
  metadata: { name: 'server-01--unbundled--leaf-01' },
  spec: {
    unbundled: {
      link: {
        server: { port: 'server-01/enp2s1' },
        switch: { port: 'leaf-01/E1/34' },
      },
    },
  },
};

const vpc = {
  kind: 'VPC',
  metadata: { name: 'vpc-1' },
  spec: {
    subnets: {
      default: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vlan: 1001 },
    },
    staticRoutes: [{ prefix: '10.0.9.0/24', nextHops: ['10.0.1.5'] }],
  },
};

describe('search', () => {
  it('matches a port by its switch-side name', () => {
    expect(searchResource(connection, searchKey(' e1/34 '))).toEqual([
      { path: 'spec.unbundled.link.switch.port', value: 'leaf-01/E1/34' },
    ]);
  });

  it('matches whole segments only', () => {
    expect(matchesSearchValue('leaf-01/E1/34', 'e1/3')).toBe(false);
    expect(matchesSearchValue('leaf-01/E1/34/1', 'e1/34')).toBe(true);
    expect(matchesSearchValue('leaf-01/E1/34', 'leaf-01')).toBe(true);
    expect(matchesSearchValue('10.0.1.5/24', '10.0.1.5')).toBe(true);
    expect(matchesSearchValue('10.0.1.50/24', '10.0.1.5')).toBe(false);
  });

  it('matches numbers (VLAN, ASN) only as whole values', () => {
    expect(searchResource(vpc, '1001')).toEqual([{ path: 'spec.subnets.default.vlan', value: '1001' }]);
    expect(searchResource(vpc, '24')).toEqual([]);
    expect(matchesSearchValue('65101', '65101')).toBe(true);
  });

  it('matches subnets and addresses, with array paths', () => {
    expect(searchResource(vpc, '10.0.1.0/24')).toEqual([{ path: 'spec.subnets.default.subnet', value: '10.0.1.0/24' }]);
    expect(searchResource(vpc, '10.0.1.5')).toEqual([{ path: 'spec.staticRoutes[0].nextHops[0]', value: '10.0.1.5' }]);
  });

  it('matches a name that contains the query', () => {
    expect(searchResource(vpc, 'vpc')).toEqual([{ path: 'metadata.name', value: 'vpc-1' }]);
    expect(searchResource(connection, 'unbundled')).toEqual([
      { path: 'metadata.name', value: 'server-01--unbundled--leaf-01' },
    ]);
  });

  it('finds nothing in what is no resource, or for an empty query', () => {
    expect(searchResource(null, 'x')).toEqual([]);
    expect(searchResource(vpc, '')).toEqual([]);
  });

  it('lists the ports of a resource, with the switch-side names', () => {
    expect(portsOf(connection).sort()).toEqual(['E1/34', 'enp2s1', 'leaf-01/E1/34', 'server-01/enp2s1']);
    expect(portsOf(vpc)).toEqual([]);
  });
});
