import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { DesiredForApply } from '../../cluster/applyPlan';
import { IncompleteKinds } from '../../gitops/dropped';
import { importedState } from '../../gitops/importedState';
import { IngestPlan } from '../../gitops/plan';
import { TreeEntry } from '../../gitops/tree';
import { applyBlocking } from '../../validation/applyBlocking';

/**
 * The desired state a sync of a planned head would import (importedState, as the
 * import stage takes it), as the apply reads it: each resource with what blocks it.
 * A fabric that does not push (`readOnly`: write mode `none` or `pull-request`)
 * imports only what its branch holds (`entries`: the head's files). Pure.
 */
export function desiredOfHead(
  plan: IngestPlan,
  findings: Finding[],
  readOnly: boolean,
  entries: TreeEntry[],
): { desired: DesiredForApply[]; incomplete: IncompleteKinds } {
  const { resources, incomplete } = importedState(plan, findings, entries, readOnly);
  const desired = resources.map(({ resource: r, findings: own }) => ({
    kind: r.kind,
    name: r.name,
    object: r.object,
    ...applyBlocking(own),
  }));
  return { desired, incomplete };
}
