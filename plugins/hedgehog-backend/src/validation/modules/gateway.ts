import { checkGateway } from '../kinds/gateway';
import { bool, listOf, map, object, string, strings, u32, u8 } from '../schemas/types';
import { BackendKind } from './types';

const LOG_LEVEL = string({ enum: ['off', 'error', 'warning', 'info', 'debug', 'trace'] });

/** Hedgehog's Gateway (githedgehog/fabric api/gateway/v1alpha1/gateway_types.go, GatewaySpec). */
export const GatewayBackend: BackendKind = {
  kind: 'Gateway',
  spec: object({
    protocolIP: string(),
    vtepIP: string(),
    vtepMAC: string(),
    asn: u32,
    vtepMTU: u32,
    interfaces: map(object({ pci: string(), kernel: string(), ips: strings, mtu: u32 })),
    neighbors: listOf(object({ source: string(), ip: string(), asn: u32 })),
    logs: object({
      default: LOG_LEVEL,
      tags: map(LOG_LEVEL),
      rateLimit: object({ burst: u32, replenishPerSecond: u32 }),
    }),
    profiling: object({ enabled: bool }),
    workers: u8,
    groups: listOf(object({ name: string(), priority: u32 })),
    flowTableCapacity: u32,
  }),
  check: checkGateway,
  // its groups; switches for the uniqueness of protocol and VTEP IPs (Gateway.Validate lists them)
  referencesOf: () => ['GatewayGroup', 'Switch'],
};
