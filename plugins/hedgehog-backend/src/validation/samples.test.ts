import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { sampleDocuments } from './__testUtils__/samples';
import { FabricDocument, validateFabric } from './validateFabric';

/** Finding counts by `severity rule`. */
const counts = (findings: Finding[]) => {
  const out: Record<string, number> = {};
  for (const f of findings) out[`${f.severity} ${f.rule}`] = (out[`${f.severity} ${f.rule}`] ?? 0) + 1;
  return out;
};
const errors = (findings: Finding[]) => findings.filter(f => f.severity === 'error');

describe('the shared samples validate with zero errors', () => {
  it('01 (VPCs only): the attachments refer to wiring that lives in the cluster', () => {
    const { valid, findings } = validateFabric(sampleDocuments('01-demo-gitops-env1-pre-demo.yaml'));
    expect(valid).toBe(true);
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'warning', rule: 'reference.unverified', file: 'raw/01-demo-gitops-env1-pre-demo.yaml', document: 2, path: 'spec.connection' }),
      expect.objectContaining({ severity: 'warning', rule: 'reference.unverified', document: 3, path: 'spec.connection' }),
    ]);
    expect(findings[0].message).toContain('server-1--mclag--s5248-01--s5248-02');
  });

  it('01 + 02 + 03 (the env-1 directory of demo-gitops): 02 peers the VPCs of 01 and an External of the cluster', () => {
    const docs = [
      ...sampleDocuments('01-demo-gitops-env1-pre-demo.yaml', 'env-1/pre-demo.yaml'),
      ...sampleDocuments('02-demo-gitops-env1-demo.yaml', 'env-1/demo.yaml'),
      ...sampleDocuments('03-demo-gitops-env1-demo.reset.yaml', 'env-1/demo.reset.yaml'),
    ];
    const { valid, findings } = validateFabric(docs);
    expect(valid).toBe(true);
    expect(counts(findings)).toEqual({ 'warning reference.unverified': 4 });
    expect(findings.filter(f => f.file === 'env-1/demo.yaml').map(f => [f.document, f.path])).toEqual([
      [1, 'spec.connection'],
      [3, 'spec.permit.external.name'],
    ]);
  });

  it('02 alone refers to VPCs defined in 01: with VPCs in Git, that is an error', () => {
    const { findings } = validateFabric(sampleDocuments('02-demo-gitops-env1-demo.yaml'));
    expect(errors(findings).map(f => [f.rule, f.document, f.path])).toEqual([
      ['reference.missing', 2, 'spec.permit[0].demo-vpc-1'],
      ['reference.missing', 2, 'spec.permit[0].demo-vpc-2'],
      ['reference.missing', 3, 'spec.permit.vpc.name'],
    ]);
  });

  it('03 holds no documents', () => {
    expect(sampleDocuments('03-demo-gitops-env1-demo.reset.yaml')).toEqual([]);
    expect(validateFabric([])).toEqual({ valid: true, findings: [] });
  });

  it('04 (the file HNP was tested with) is not hydrated and uses MCLAG', () => {
    const { valid, findings } = validateFabric(sampleDocuments('04-hnp-vlab-prepop.yaml'));
    expect(valid).toBe(true);
    expect(counts(findings)).toEqual({
      // one per switch: 7 switches without asn, ip, protocolIP (5 leaves also without vtepIP)
      'warning hydration.switch': 7,
      // one per connection: 10 fabric connections of 2 links without IPs
      'warning hydration.link': 10,
      // 2 switches with MCLAG redundancy, 1 mclag-domain and 2 mclag connections
      'warning deprecated.mclag': 5,
    });
    // one warning per switch names every missing field, one per connection every link
    const hydration = findings.filter(f => f.rule.startsWith('hydration.'));
    expect(new Set(hydration.map(f => `${f.file}#${f.document}`)).size).toBe(hydration.length);
    const leaf = hydration.find(f => f.rule === 'hydration.switch' && /VTEP/.test(f.message))!;
    expect(leaf.path).toBe('spec');
    expect(leaf.message).toMatch(/has no ASN \(spec\.asn\), management IP \(spec\.ip\), protocol IP \(spec\.protocolIP\) and VTEP IP \(spec\.vtepIP\)/);
    const link = hydration.find(f => f.rule === 'hydration.link')!;
    expect(link.path).toMatch(/^spec\.fabric\.links$/);
    expect(link.message).toMatch(/^fabric link 0 \(on spine and leaf\), link 1 \(on spine and leaf\) have no IP/);
  });

  it('05 (docs wiring diagram) is not hydrated; its Gateway is in namespace fab, which Hedgehog rejects', () => {
    const { valid, findings } = validateFabric(sampleDocuments('05-docs-sample-wiring-diagram.yaml'));
    // Gateway.Validate(): "gateway namespace must be default" (githedgehog/fabric api/gateway/v1alpha1)
    expect(valid).toBe(false);
    expect(errors(findings).map(f => [f.rule, f.document, f.path])).toEqual([['metadata.namespace', 9, 'metadata.namespace']]);
    expect(counts(findings.filter(f => f.severity === 'warning'))).toEqual({
      // one per switch and one per connection (18 links of 10 connections)
      'warning hydration.switch': 6,
      'warning hydration.link': 10,
      // hhfab fills these when it hydrates the wiring; Gateway.Validate() requires them
      'warning hydration.gateway': 1,
    });
    expect(findings.find(f => f.rule === 'hydration.gateway')!.message).toBe(
      'Gateway gateway-1 has no ASN (spec.asn), protocol IP (spec.protocolIP), VTEP IP (spec.vtepIP), VTEP MAC (spec.vtepMAC), IPs of interfaces enp2s1, enp2s2 and BGP neighbors (spec.neighbors): the wiring is not hydrated; hhfab fills them at install, and the gateway cannot be applied without them',
    );
    // its gateway connections name interfaces enp2s1 and enp2s2 of gateway-1, which it has
    expect(findings.filter(f => f.rule.startsWith('connection.gateway') || f.rule.startsWith('reference.'))).toEqual([]);
  });

  it('07 (hydrated export) is valid; its management network differs from hhfab\'s default; its switches are Cumulus VX', () => {
    const docs = sampleDocuments('07-nvidia-air-demo-include.yaml');
    expect(docs).toHaveLength(166);
    const { valid, findings } = validateFabric(docs);
    expect(valid).toBe(true);
    // cumulus-vx is built into Hedgehog only with includeCumulus (catalog.go RegisterAll)
    expect(counts(findings)).toEqual({ 'warning switch.management-ip': 10, 'warning switch.profile-missing': 10 });
    // with the fabric's own management network and includeCumulus there is nothing to report
    const config = { managementSubnet: '192.168.200.0/24', managementDHCPStart: '192.168.200.100' };
    expect(validateFabric(docs, { config: { ...config, includeCumulus: true } }).findings).toEqual([]);
    // a config without includeCumulus means false: Hedgehog has no cumulus-vx profile then
    expect(counts(validateFabric(docs, { config }).findings)).toEqual({ 'error switch.profile-missing': 10 });
  });

  it('08 (docs gateway peering use case) validates with zero errors, alone and against the wiring it names', () => {
    const docs = sampleDocuments('08-docs-gateway-peering-external.yaml');
    expect(docs.map(d => (d.object as { kind: string }).kind)).toEqual(['External', 'ExternalAttachment', 'VPC', 'VPCAttachment', 'GatewayPeering']);
    // alone: its references are to objects of the cluster (not checked without it)
    const alone = validateFabric(docs);
    expect(alone.valid).toBe(true);
    expect(counts(alone.findings)).toEqual({ 'warning reference.unverified': 6 });
    // the wiring and group its use case assumes, as the cluster's objects
    const r = (apiVersion: string, kind: string, name: string, spec: Record<string, unknown>) => ({ apiVersion, kind, metadata: { name, namespace: 'default' }, spec });
    const W = 'wiring.githedgehog.com/v1beta1';
    const cluster = [
      r('gateway.githedgehog.com/v1alpha1', 'GatewayGroup', 'default', {}),
      r(W, 'VLANNamespace', 'default', { ranges: [{ from: 1000, to: 2999 }] }),
      r('vpc.githedgehog.com/v1beta1', 'IPv4Namespace', 'default', { subnets: ['10.0.0.0/16'] }),
      r(W, 'Switch', 'leaf-01', { role: 'server-leaf', profile: 'vs', asn: 65101, ip: '172.30.0.11/21', protocolIP: '172.30.8.2/32', vtepIP: '172.30.12.1/32', vlanNamespaces: ['default'] }),
      r(W, 'Server', 'server-01', {}),
      r(W, 'Connection', 'leaf-01--external', { external: { link: { switch: { port: 'leaf-01/E1/5' } } } }),
      r(W, 'Connection', 'server-01--unbundled--leaf-01', { unbundled: { link: { server: { port: 'server-01/enp2s1' }, switch: { port: 'leaf-01/E1/1' } } } }),
    ];
    const config = { enableGateway: true, gatewayASN: 65534 };
    const result = validateFabric(docs, { config, context: cluster, live: cluster });
    expect(result.findings).toEqual([]);
  });

  it('05 + 01 in one fabric (as the plugin and sync tests combine them) is not a valid fabric', () => {
    const docs: FabricDocument[] = [
      ...sampleDocuments('05-docs-sample-wiring-diagram.yaml', 'raw/wiring.yaml'),
      ...sampleDocuments('01-demo-gitops-env1-pre-demo.yaml', 'raw/vpcs.yaml'),
    ];
    const found = errors(validateFabric(docs).findings).map(f => [f.rule, f.file, f.document, f.path]);
    // the Gateway of 05 (namespace fab; see above): ingestion keeps it in unmanaged/
    const gateway = found.filter(([, file, document]) => file === 'raw/wiring.yaml' && document === 9);
    expect(gateway.map(([rule]) => rule)).toEqual(['metadata.namespace']);
    expect(found.filter(f => !gateway.includes(f))).toEqual([
      // 10.10.101.0/24 and 10.10.102.0/24 are outside the IPv4Namespace 10.0.0.0/16 of 05
      ['fabric.vpc-subnet-outside-namespace', 'raw/vpcs.yaml', 0, 'spec.subnets.default.subnet'],
      ['fabric.vpc-subnet-outside-namespace', 'raw/vpcs.yaml', 1, 'spec.subnets.default.subnet'],
      // the connections are not in the wiring of 05
      ['reference.missing', 'raw/vpcs.yaml', 2, 'spec.connection'],
      ['reference.missing', 'raw/vpcs.yaml', 3, 'spec.connection'],
    ]);
  });
});
