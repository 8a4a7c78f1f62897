import { Doc, Report, resourceKey } from './model';
import { SwitchProfileModel, checkSwitchProfiles } from './switchProfiles';
import { checkConnections } from './fabric/connections';
import { checkExternals } from './fabric/externals';
import { checkPeerings } from './fabric/peerings';
import { Resolver } from './fabric/resolver';
import { push } from './fabric/shared';
import { checkSwitches } from './fabric/switches';
import { checkVPCAttachments } from './fabric/vpcAttachments';
import { checkVPCs } from './fabric/vpcs';

/**
 * Layer 3 and 4: rules across the fabric (duplicates, references, reuse of ports,
 * addresses and VLANs, overlaps, namespaces) and references outside Git. Uses maps
 * and sorted sweeps, so it stays near-linear in the number of documents.
 */
export function checkFabric(
  docs: Doc[],
  live: Array<Record<string, unknown>> | undefined,
  report: Report,
  profiles?: Map<string, SwitchProfileModel>,
) {
  // duplicates
  // A later definition of the same kind/name is reported and takes no part in the
  // other rules (the first one is the resource, as in the ingest plan).
  const defined = new Map<string, Doc>();
  const unique: Doc[] = [];
  for (const d of docs) {
    const key = resourceKey(d.kind, d.name);
    const first = d.name ? defined.get(key) : undefined;
    if (first) {
      report.add(d, 'fabric.duplicate', ['metadata', 'name'], `${d.kind} ${d.name} is also defined in ${first.file}${first.document > 0 ? ` (document ${first.document})` : ''}`);
      continue;
    }
    if (d.name) defined.set(key, d);
    unique.push(d);
  }

  const r = new Resolver(unique, live, report);
  const byKind = new Map<string, Doc[]>();
  for (const d of unique) push(byKind, d.kind, d);
  const of = (kind: string) => byKind.get(kind) ?? [];

  checkSwitches(of('Switch'), r, report);
  checkConnections(of('Connection'), r, report);
  checkVPCs(of('VPC'), r, report);
  checkVPCAttachments(of('VPCAttachment'), r, report);
  checkPeerings(of('VPCPeering'), of('ExternalPeering'), r, report);
  checkExternals(of('External'), of('ExternalAttachment'), r, report);
  checkSwitchProfiles(of('Switch'), of('Connection'), name => r.get('Switch', name), profiles, report);
}
