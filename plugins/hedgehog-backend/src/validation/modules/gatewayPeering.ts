import { bool, listOf, map, object, string, strings } from '../schemas/types';
import { EXTERNAL_PREFIX, checkGatewayPeering } from '../kinds/gatewayPeering';
import { obj } from '../model';
import { BackendKind } from './types';

const BLOCK = object({ cidr: string(), not: string(), vpcSubnet: string() });
const ENDPOINT = object({ cidr: string(), vpcSubnet: string(), ports: strings });
const NAT_PROTOCOL = string({ enum: ['', 'tcp', 'udp'] });

/** Hedgehog's GatewayPeering (githedgehog/fabric api/gateway/v1alpha1/gatewaypeering_types.go, PeeringSpec). */
export const GatewayPeeringBackend: BackendKind = {
  kind: 'GatewayPeering',
  spec: object({
    gatewayGroup: string(),
    peering: map(
      object({
        expose: listOf(
          object({
            ips: listOf(BLOCK),
            as: listOf(object({ cidr: string(), not: string() })),
            nat: object({
              masquerade: object({ idleTimeout: string() }),
              portForward: object({
                idleTimeout: string(),
                ports: listOf(object({ proto: NAT_PROTOCOL, port: string(), as: string() })),
              }),
              static: object({}),
            }),
            default: bool,
          }),
        ),
      }),
    ),
    acl: object(
      {
        // Default(): empty means deny-unless-exposed
        default: string({ enum: ['deny', 'deny-unless-exposed', ''] }),
        rules: listOf(
          object(
            {
              name: string(),
              from: string(),
              to: string(),
              action: string({ enum: ['allow', 'deny'] }),
              // proto: tcp, udp or a protocol number (checked with the kind)
              match: object({ src: listOf(ENDPOINT), dst: listOf(ENDPOINT), proto: string() }),
              scope: string({ enum: ['flow', 'packet', ''] }),
              log: bool,
            },
            ['action'],
          ),
        ),
      },
      // required by the CRD, but the mutating webhook (which runs first) fills it: Default()
    ),
  }),
  check: checkGatewayPeering,
  // its group, and per peering entry a VPC, or an External when named `ext.<external>`
  referencesOf: o => {
    const kinds = new Set(['GatewayGroup']);
    for (const name of Object.keys(obj(obj(o.spec)?.peering) ?? {})) kinds.add(name.startsWith(EXTERNAL_PREFIX) ? 'External' : 'VPC');
    return [...kinds];
  },
};
