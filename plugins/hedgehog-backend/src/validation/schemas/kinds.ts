import { Schema, any, bool, int, listOf, map, object, string, strings, u16, u32 } from './types';
import { ACL_STATEMENT, VPC_SPEC } from './vpc';
import { CONNECTION_SPEC, SWITCH_SPEC } from './wiring';

/* The schema of each kind's document: the per-kind spec tables, and the metadata every document may carry. */

const SPECS: Record<string, Schema> = {
  VLANNamespace: object({ ranges: listOf(object({ from: u16, to: u16 }, ['from']), 1, 20) }, ['ranges']),
  IPv4Namespace: object({ subnets: listOf(string({ format: 'cidr' }), 1, 10) }, ['subnets']),
  SwitchGroup: object({}),
  Switch: SWITCH_SPEC,
  Server: object({ description: string(), profile: string() }),
  Connection: CONNECTION_SPEC,
  VPC: VPC_SPEC,
  VPCAttachment: object({ subnet: string(), connection: string(), nativeVLAN: bool }, ['subnet', 'connection']),
  VPCPeering: object(
    { remote: string(), permit: listOf(map(object({ subnets: listOf(string(), 0, 10) })), 1, 10) },
    ['permit'],
  ),
  External: object({
    ipv4Namespace: string(),
    inboundCommunity: string({ format: 'community' }),
    outboundCommunity: string({ format: 'community' }),
    static: object({ prefixes: listOf(string({ format: 'cidr' })) }),
  }),
  ExternalAttachment: object(
    {
      external: string(),
      connection: string(),
      switch: object({ vlan: int(0, 4094), ip: string({ format: 'cidr' }) }),
      neighbor: object({ asn: u32, ip: string({ format: 'ip' }) }),
      static: object(
        { remoteIP: string({ format: 'ipv4' }), vlan: int(0, 4094), ip: string({ format: 'cidr' }), proxy: bool },
        ['remoteIP'],
      ),
      inboundACL: object({ statements: listOf(ACL_STATEMENT) }),
    },
    ['external', 'connection'],
  ),
  ExternalPeering: object(
    {
      permit: object(
        {
          vpc: object({ name: string(), subnets: strings }, ['name']),
          external: object(
            { name: string(), prefixes: listOf(object({ prefix: string({ format: 'cidr' }) }, ['prefix'])) },
            ['name'],
          ),
        },
        ['vpc', 'external'],
      ),
    },
    ['permit'],
  ),
};

/** Kubernetes ObjectMeta: what may appear under metadata (server-set fields included). */
const METADATA = object({
  name: any,
  namespace: any,
  labels: map(string()),
  annotations: map(string()),
  generateName: string(),
  uid: string(),
  resourceVersion: string(),
  generation: int(0, Number.MAX_SAFE_INTEGER),
  creationTimestamp: any,
  deletionTimestamp: any,
  deletionGracePeriodSeconds: int(0, Number.MAX_SAFE_INTEGER),
  selfLink: string(),
  finalizers: strings,
  ownerReferences: any,
  managedFields: any,
});

/** The full document schema of a kind. */
export function documentSchema(kind: string): Schema {
  return object(
    {
      apiVersion: any,
      kind: any,
      metadata: METADATA,
      spec: SPECS[kind] ?? any,
      // every status of these kinds is empty
      status: object({}),
    },
  );
}
