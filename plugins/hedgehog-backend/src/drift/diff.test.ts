import { classifyDrift } from './classifyDrift';
import { diffResource } from './diff';
import { comparableObject, prune } from './normalizeObject';

const vpc = (spec: object, metadata: object = {}) => ({
  apiVersion: 'vpc.githedgehog.com/v1beta1',
  kind: 'VPC',
  metadata: { name: 'vpc-1', namespace: 'default', ...metadata },
  spec,
});

const subnets = { default: { subnet: '10.0.1.0/24', vlan: 1001, dhcp: { enable: true } } };

describe('diffResource', () => {
  it('is empty for the same object, whatever the server adds to metadata and status', () => {
    const live = {
      ...vpc({ subnets }, {
        uid: 'u', resourceVersion: '7', generation: 2, creationTimestamp: 't', managedFields: [{}],
        labels: { 'fabric.githedgehog.com/ipv4ns': 'default', 'hedgehog.backstage.io/fabric': 'lab' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      }),
      status: { applied: true },
    };
    const desired = vpc({ subnets }, { annotations: { 'githedgehog.com/source-file': 'raw/a.yaml', 'githedgehog.com/source-index': '0' } });
    expect(diffResource(desired, live)).toEqual({ differences: [], score: 0 });
  });

  it('reports a changed field by its JSON path with both values, and a score that is the share of differing leaves', () => {
    const live = vpc({ subnets: { default: { ...subnets.default, vlan: 1002 } } });
    const result = diffResource(vpc({ subnets }), live);
    expect(result.differences).toEqual([{ path: 'spec.subnets.default.vlan', desired: 1001, actual: 1002 }]);
    // leaves: apiVersion, kind, metadata.name, subnet, vlan, dhcp.enable
    expect(result.score).toBeCloseTo(1 / 6, 4);
  });

  it('ignores webhook defaults and hydration fields only when Git leaves them out', () => {
    const live = vpc({
      ipv4Namespace: 'default',
      vlanNamespace: 'default',
      subnets: { default: { ...subnets.default, gateway: '10.0.1.1', dhcp: { enable: true, range: { start: '10.0.1.2', end: '10.0.1.255' } } } },
    });
    expect(diffResource(vpc({ subnets }), live).differences).toEqual([]);
    const pinned = vpc({ subnets: { default: { ...subnets.default, gateway: '10.0.1.254' } } });
    expect(diffResource(pinned, live).differences).toEqual([
      { path: 'spec.subnets.default.gateway', desired: '10.0.1.254', actual: '10.0.1.1' },
    ]);
    const sw = (spec: object) => ({ apiVersion: 'wiring.githedgehog.com/v1beta1', kind: 'Switch', metadata: { name: 's1' }, spec });
    expect(diffResource(sw({ role: 'spine', profile: 'vs' }), sw({ role: 'spine', profile: 'vs', asn: 65100, ip: '172.30.0.8/21', protocolIP: '172.30.8.0/32', vlanNamespaces: ['default'] })).differences).toEqual([]);
  });

  it('ignores what hhfab hydrates into a Gateway and its Default() fills, when Git leaves them out', () => {
    const gw = (spec: object) => ({ apiVersion: 'gateway.githedgehog.com/v1alpha1', kind: 'Gateway', metadata: { name: 'gw-1' }, spec });
    const git = gw({ interfaces: { enp2s1: {} } });
    const hydrated = {
      asn: 65534,
      protocolIP: '172.30.8.3/32',
      vtepIP: '172.30.12.3/32',
      vtepMAC: 'CA:FE:BA:BE:01:01',
      vtepMTU: 9036,
      interfaces: { enp2s1: { ips: ['172.30.128.1/31'], mtu: 9100 } },
      neighbors: [{ source: 'enp2s1', ip: '172.30.128.0', asn: 65101 }],
      logs: { default: 'info', tags: { all: 'info' } },
      workers: 4,
      groups: [{ name: 'default' }],
    };
    const live = gw(hydrated);
    expect(diffResource(git, live).differences).toEqual([]);
    // an interface Git does not name is drift (beyond the IPs hhfab gives it); a value Git sets is compared
    const extra = gw({ ...hydrated, interfaces: { ...hydrated.interfaces, enp2s2: { pci: '0000:02:00.1', ips: ['172.30.128.3/31'] } } });
    expect(diffResource(git, extra).differences).toEqual([{ path: 'spec.interfaces.enp2s2.pci', actual: '0000:02:00.1' }]);
    expect(diffResource(gw({ interfaces: { enp2s1: {} }, asn: 65000 }), live).differences).toEqual([{ path: 'spec.asn', desired: 65000, actual: 65534 }]);
  });

  it('counts fields only the cluster has as drift when they are not cluster-owned', () => {
    const live = vpc({ subnets, defaultIsolated: true });
    expect(diffResource(vpc({ subnets }), live).differences).toEqual([{ path: 'spec.defaultIsolated', actual: true }]);
  });

  it('treats zero values as absent and sorts lists the webhooks sort', () => {
    expect(prune({ a: '', b: 0, c: false, d: [], e: {}, f: { g: null }, h: 'x' })).toEqual({ h: 'x' });
    const ns = (subnetsList: string[]) => ({ apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'IPv4Namespace', metadata: { name: 'default' }, spec: { subnets: subnetsList } });
    expect(diffResource(ns(['10.2.0.0/16', '10.1.0.0/16']), ns(['10.1.0.0/16', '10.2.0.0/16'])).differences).toEqual([]);
    expect(comparableObject(vpc({ subnets, defaultIsolated: false })).spec).toEqual({ subnets });
  });

  it('indexes list items in paths', () => {
    const conn = (port: string) => ({ apiVersion: 'wiring.githedgehog.com/v1beta1', kind: 'Connection', metadata: { name: 'c' }, spec: { fabric: { links: [{ spine: { port: 's/E1/1' }, leaf: { port } }] } } });
    expect(diffResource(conn('l/E1/1'), conn('l/E1/2')).differences).toEqual([
      { path: 'spec.fabric.links[0].leaf.port', desired: 'l/E1/1', actual: 'l/E1/2' },
    ]);
  });
});

describe('classifyDrift', () => {
  it('classifies in_sync, drifted, missing and orphaned', () => {
    const desired = [
      { kind: 'VPC', name: 'a', object: vpc({ subnets }, { name: 'a' }) },
      { kind: 'VPC', name: 'b', object: vpc({ subnets }, { name: 'b' }) },
      { kind: 'VPC', name: 'c', object: vpc({ subnets }, { name: 'c' }) },
    ];
    const live = [
      vpc({ subnets }, { name: 'a' }),
      vpc({ subnets: { default: { ...subnets.default, vlan: 9 } } }, { name: 'b' }),
      vpc({ subnets }, { name: 'z' }),
    ];
    const result = classifyDrift(desired, live, 'lab');
    expect(result.map(r => [r.name, r.status])).toEqual([
      ['a', 'in_sync'],
      ['b', 'drifted'],
      ['c', 'missing_in_cluster'],
      ['z', 'orphaned_in_cluster'],
    ]);
  });

  it('reports objects another fabric applied as owned elsewhere, in Git or only in the cluster', () => {
    const label = (fabric: string) => ({ labels: { 'hedgehog.backstage.io/fabric': fabric } });
    const desired = [
      { kind: 'VPC', name: 'shared', object: vpc({ subnets }, { name: 'shared' }) },
      { kind: 'VPC', name: 'mine', object: vpc({ subnets }, { name: 'mine' }) },
    ];
    const live = [
      vpc({ subnets: { default: { ...subnets.default, vlan: 9 } } }, { name: 'shared', ...label('dc2') }),
      vpc({ subnets }, { name: 'mine', ...label('lab') }),
      vpc({ subnets }, { name: 'theirs', ...label('dc2') }),
      vpc({ subnets }, { name: 'hand-made' }),
      vpc({ subnets }, { name: 'stray', ...label('lab') }),
    ];
    const result = classifyDrift(desired, live, 'lab');
    expect(result.map(r => [r.name, r.status, r.clusterOnly ?? false])).toEqual([
      ['shared', 'owned_elsewhere', false],
      ['mine', 'in_sync', false],
      ['theirs', 'owned_elsewhere', true],
      ['hand-made', 'orphaned_in_cluster', true],
      ['stray', 'orphaned_in_cluster', true],
    ]);
    // another fabric's object is not compared: no differences, no score
    expect(result[0]).toMatchObject({ score: null, differences: [] });
    expect(result[0].live?.metadata.name).toBe('shared');
  });
});
