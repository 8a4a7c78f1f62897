import {
  Obj,
  TEST_CONFIG,
  asFile,
  baseFabric,
  get,
  resource,
} from '../__testUtils__/fabric';
import { validateFabric } from '../validateFabric';

const GATEWAY_API = 'gateway.githedgehog.com/v1alpha1';

const group = (name = 'default') =>
  resource(GATEWAY_API, 'GatewayGroup', name, {});
const gateway = (name: string, n: number, extra: Obj = {}) =>
  resource(GATEWAY_API, 'Gateway', name, {
    protocolIP: `172.30.8.${100 + n}/32`,
    vtepIP: `172.30.12.${100 + n}/32`,
    vtepMAC: `ca:fe:ba:be:01:0${n}`,
    asn: 65534,
    interfaces: { eth0: { ips: [`172.30.128.${100 + 2 * n + 1}/31`] } },
    neighbors: [
      { source: 'eth0', ip: `172.30.128.${100 + 2 * n}`, asn: 65100 },
    ],
    ...extra,
  });
const peering = (name: string, spec: Obj) =>
  resource(GATEWAY_API, 'GatewayPeering', name, spec);

const found = (
  docs: Obj[],
  options: Parameters<typeof validateFabric>[1] = { config: TEST_CONFIG },
) =>
  validateFabric(asFile(docs), options).findings.map(
    f =>
      `${f.severity} ${f.rule} ${docs[f.document ?? -1]?.metadata.name} ${
        f.path
      }: ${f.message}`,
  );

describe('gateways across the fabric', () => {
  it('a gateway address used by a switch is reported on both; one a cluster switch holds names it', () => {
    const docs = [
      ...baseFabric(),
      group(),
      gateway('gw-1', 1, { protocolIP: '172.30.8.2/32' }),
    ];
    expect(found(docs)).toEqual([
      'error fabric.gateway-address-reused leaf-1 spec.protocolIP: protocol IP 172.30.8.2 is also used by Gateway gw-1 (fabric.yaml, document 23)',
      'error fabric.gateway-address-reused gw-1 spec.protocolIP: protocol IP 172.30.8.2 is also used by Switch leaf-1 (fabric.yaml, document 5)',
    ]);
    // the switches live in the cluster only (Gateway.Validate lists them)
    const live = baseFabric().filter(d => d.kind === 'Switch');
    const alone = [group(), gateway('gw-1', 1, { vtepIP: '172.30.12.2/32' })];
    expect(found(alone, { config: TEST_CONFIG, live })).toEqual([
      'error fabric.gateway-address-reused gw-1 spec.vtepIP: VTEP IP 172.30.12.2 is also used by Switch leaf-2 (cluster)',
    ]);
  });

  it('two gateways share no VTEP MAC; their groups exist (default when none is named)', () => {
    const docs = [
      group(),
      gateway('gw-1', 1),
      gateway('gw-2', 2, {
        vtepMAC: 'CA:FE:BA:BE:01:01',
        groups: [{ name: 'other' }],
      }),
    ];
    expect(found(docs, { config: TEST_CONFIG, live: [] })).toEqual([
      expect.stringMatching(
        /^error fabric.gateway-address-reused gw-1 spec.vtepMAC: VTEP MAC ca:fe:ba:be:01:01 is also used by Gateway gw-2/,
      ),
      expect.stringMatching(
        /^error reference.missing gw-2 spec.groups\[0\].name: Gateway gw-2 refers to GatewayGroup other/,
      ),
      expect.stringMatching(
        /^error fabric.gateway-address-reused gw-2 spec.vtepMAC: VTEP MAC ca:fe:ba:be:01:01 is also used by Gateway gw-1/,
      ),
    ]);
    // gw-1 names no group: it is in `default`, which must exist too
    expect(
      found(
        [
          gateway('gw-1', 1),
          resource(GATEWAY_API, 'GatewayGroup', 'other', {}),
        ],
        { config: TEST_CONFIG, live: [] },
      ),
    ).toEqual([
      expect.stringMatching(
        /^error reference.missing gw-1 spec.groups: Gateway gw-1 refers to GatewayGroup default \(the default/,
      ),
    ]);
  });

  it('a peering refers to its VPCs, to Externals as ext.<name>, and to its group', () => {
    const docs = [
      ...baseFabric(),
      peering('p', {
        gatewayGroup: 'gg',
        peering: {
          'vpc-9': { expose: [{ ips: [{ cidr: '10.0.1.0/24' }] }] },
          'ext.ext-9': { expose: [{ ips: [{ cidr: '0.0.0.0/0' }] }] },
        },
      }),
    ];
    expect(
      found(docs, { config: TEST_CONFIG, live: [] }).map(f => f.split(':')[0]),
    ).toEqual([
      'error reference.missing p spec.gatewayGroup',
      'error reference.missing p spec.peering.vpc-9',
      'error reference.missing p spec.peering["ext.ext-9"]',
    ]);
  });

  it('CIDRs exposed towards one VPC by two peerings overlap: each is told the other', () => {
    const a = peering('a', {
      peering: {
        'vpc-1': { expose: [{ ips: [{ cidr: '10.0.1.0/24' }] }] },
        'vpc-2': { expose: [{ default: true }] },
      },
    });
    const b = peering('b', {
      peering: {
        'vpc-1': { expose: [{ ips: [{ cidr: '10.0.1.128/25' }] }] },
        'vpc-2': { expose: [{ default: true }] },
      },
    });
    expect(found([...baseFabric(), group(), a, b])).toEqual([
      'error fabric.gateway-peering-overlap a spec.peering.vpc-1.expose[0].ips[0].cidr: CIDR 10.0.1.0/24 that vpc-1 exposes to vpc-2 overlaps 10.0.1.128/25, exposed to vpc-2 by GatewayPeering b (fabric.yaml, document 24)',
      'error fabric.gateway-peering-overlap b spec.peering.vpc-1.expose[0].ips[0].cidr: CIDR 10.0.1.128/25 that vpc-1 exposes to vpc-2 overlaps 10.0.1.0/24, exposed to vpc-2 by GatewayPeering a (fabric.yaml, document 23)',
    ]);
  });

  it('enableGateway: false refuses every gateway kind; a config that does not say leaves the gateway on', () => {
    const docs = [group(), gateway('gw-1', 1)];
    expect(
      found(docs, { config: { ...TEST_CONFIG, enableGateway: false } }),
    ).toEqual([
      'error gateway.disabled default kind: GatewayGroup default: gateway support is not enabled in the fabric config (enableGateway is false)',
      'error gateway.disabled gw-1 kind: Gateway gw-1: gateway support is not enabled in the fabric config (enableGateway is false)',
    ]);
    expect(
      found(docs, { config: { fabricSubnet: '172.30.128.0/17' } }).filter(f =>
        f.includes('gateway.disabled'),
      ),
    ).toEqual([]);
    expect(found(docs, {}).filter(f => f.includes('gateway.disabled'))).toEqual(
      [],
    );
  });

  it("a Gateway ASN other than the fabric's gateway ASN is a warning without a config, an error with it", () => {
    const docs = [group(), gateway('gw-1', 1, { asn: 65000 })];
    expect(found(docs, {}).filter(f => f.includes('gateway.asn'))).toEqual([
      expect.stringMatching(
        /^warning gateway.asn gw-1 spec.asn: Gateway ASN 65000 is not the fabric's gateway ASN 65534 \(assuming hhfab's default/,
      ),
    ]);
    expect(
      found(docs, { config: { gatewayASN: 65000 } }).filter(f =>
        f.includes('gateway.asn'),
      ),
    ).toEqual([]);
    // a gateway ASN that is a leaf's or the spine's collides (fabricator's Fabricator.Validate)
    const config = {
      gatewayASN: 65101,
      spineASN: 65100,
      leafASNStart: 65101,
      leafASNEnd: 65533,
    };
    expect(
      found([group(), gateway('gw-1', 1, { asn: 65101 })], { config }).filter(
        f => f.includes('gateway.asn'),
      ),
    ).toEqual([
      'error gateway.asn gw-1 spec.asn: Gateway ASN 65101 is inside the leaf ASN range 65101-65533',
    ]);
    expect(
      found([group(), gateway('gw-1', 1, { asn: 65100 })], {
        config: { ...config, gatewayASN: 65100 },
      }).filter(f => f.includes('gateway.asn')),
    ).toEqual([
      'error gateway.asn gw-1 spec.asn: Gateway ASN 65100 is the spine ASN',
    ]);
    expect(get(docs, 'Gateway/gw-1').spec.asn).toBe(65000);
  });
});
