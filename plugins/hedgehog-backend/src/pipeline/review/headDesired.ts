import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { DesiredForApply } from '../../cluster/applyPlan';
import { IncompleteKinds, droppedByReadOnlyImport, incompleteKinds } from '../../gitops/dropped';
import { IngestPlan } from '../../gitops/plan';
import { applyBlocking } from '../../validation/applyBlocking';

/**
 * The desired state a sync of a planned head would import, as the apply reads it:
 * the plan's resources with what blocks each (its file's findings), and the kinds
 * some managed file of which is left out (prune holds them back). A fabric that does
 * not push (`readOnly`: write mode `none` or `pull-request`) imports only what its
 * branch holds (`inGit`: the head's paths), as the import stage does. Pure.
 */
export function desiredOfHead(
  plan: IngestPlan,
  findings: Finding[],
  readOnly: boolean,
  inGit: ReadonlySet<string>,
): { desired: DesiredForApply[]; incomplete: IncompleteKinds } {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const desired = plan.resources
    .filter(r => !readOnly || inGit.has(r.gitPath))
    .map(r => ({ kind: r.kind, name: r.name, object: r.object, ...applyBlocking(byFile.get(r.gitPath) ?? []) }));
  const dropped = [...plan.dropped, ...(readOnly ? droppedByReadOnlyImport(plan).dropped : [])];
  return { desired, incomplete: incompleteKinds(dropped) };
}
