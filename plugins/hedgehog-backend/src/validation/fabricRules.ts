import { ResolvedFabricConfig, resolveFabricConfig } from './fabricConfig';
import { Doc, Report } from './model';
import { SwitchProfileModel } from './switchProfiles';
import { checkConnections } from './fabric/connections';
import { checkExternals } from './fabric/externals';
import { checkGatewayPeerings } from './fabric/gatewayPeerings';
import { checkGateways } from './fabric/gateways';
import { checkPeerings } from './fabric/peerings';
import { FabricMemo, Resolver } from './fabric/resolver';
import { push } from './fabric/shared';
import { checkSwitchProfiles } from './fabric/switchProfiles';
import { checkSwitches } from './fabric/switches';
import { checkVPCAttachments } from './fabric/vpcAttachments';
import { checkVPCs } from './fabric/vpcs';
import { documentLabel } from '@fabric-gitops/plugin-hedgehog-common';
import { Steps } from './steps';

export type { FabricMemo } from './fabric/resolver';

/**
 * Layer 3 and 4: rules across the fabric (duplicates, references, reuse of ports,
 * addresses and VLANs, overlaps, namespaces, gateways and their peerings) and references outside Git. Uses maps
 * and sorted sweeps, so it stays near-linear in the number of documents. Yields
 * between documents (see steps.ts), so that the backend can run it in slices.
 */
export function* checkFabric(
  docs: Doc[],
  live: Array<Record<string, unknown>> | undefined,
  report: Report,
  profiles?: Map<string, SwitchProfileModel>,
  memo: FabricMemo = {},
  /** Why the cluster could not be read, when it could not (references outside Git say so). */
  offline?: string,
  config: ResolvedFabricConfig = resolveFabricConfig(),
): Steps {
  // duplicates
  // A later definition of the same kind/name is reported and takes no part in the
  // other rules (the first one is the resource, as in the ingest plan).
  // (by kind, then name: no key strings to build for every document)
  const defined = new Map<string, Map<string, Doc>>();
  const unique: Doc[] = [];
  const byKind = new Map<string, Doc[]>();
  for (const d of docs) {
    yield;
    let names = defined.get(d.kind);
    if (!names) {
      names = new Map();
      defined.set(d.kind, names);
    }
    const first = d.name ? names.get(d.name) : undefined;
    if (first) {
      report.add(d, 'fabric.duplicate', ['metadata', 'name'], `${d.kind} ${d.name} is also defined in ${first.file}${first.document > 0 ? ` (${documentLabel(first.document)})` : ''}`);
      continue;
    }
    if (d.name) names.set(d.name, d);
    unique.push(d);
    push(byKind, d.kind, d);
  }

  const r = new Resolver(unique, live, report, memo, offline);
  const of = (kind: string) => byKind.get(kind) ?? [];

  yield;
  yield* checkSwitches(of('Switch'), r, report);
  yield* checkConnections(of('Connection'), r, report);
  yield* checkVPCs(of('VPC'), r, report);
  yield* checkVPCAttachments(of('VPCAttachment'), r, report);
  yield* checkPeerings(of('VPCPeering'), of('ExternalPeering'), r, report);
  yield* checkExternals(of('External'), of('ExternalAttachment'), r, report);
  yield* checkGateways(of('Gateway'), r, report, config);
  yield* checkGatewayPeerings(of('GatewayPeering'), r, report);
  yield* checkSwitchProfiles({ switches: of('Switch'), connections: of('Connection'), attachments: of('VPCAttachment') }, r, profiles, report);
}
