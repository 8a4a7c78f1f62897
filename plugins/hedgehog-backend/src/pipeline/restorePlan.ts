import { RestoreResult } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ClusterError } from '../cluster/ClusterClient';
import { ParseCache } from '../gitops/ParseCache';
import { planIngestionSliced } from '../gitops/plan';
import { FabricAccess } from './FabricAccess';
import { declaredKinds } from './fabricScope';
import { RestoredTree } from './ManagedRestorer';
import { readParsed } from './readParsed';
import { HeadPlanner } from './review/HeadPlanner';
import { validatePlanSliced } from './stages/validate';

export interface RestorePlanDeps {
  access: FabricAccess;
  cache: ParseCache;
  /** Plans an apply of a state that is not imported (as for a pull request's head). */
  planner: HeadPlanner;
}

/**
 * What an apply would do once a restore is synced: the restored fabric directory is
 * planned and validated as a sync would (nothing is committed or imported), and its
 * desired state planned against the cluster as the apply plans its imported state
 * (HeadPlanner: planDesiredApply, planReport); the plan's `commit` is the restored
 * one. Without a cluster: nothing; a cluster that cannot be listed: `planError`.
 */
export async function planRestoredTree(
  deps: RestorePlanDeps,
  fabric: FabricDefinition,
  tree: RestoredTree,
): Promise<Pick<RestoreResult, 'plan' | 'planError'>> {
  const client = deps.access.clusterClient(fabric);
  if (!client) return {};
  const { parsed } = await readParsed(tree, deps.cache, tree.entries);
  const plan = await planIngestionSliced({ fabricName: fabric.name, entries: tree.entries, parsed, declaredKinds: declaredKinds(fabric) });
  try {
    const inputs = await deps.access.validationInputs(fabric, plan.resources.map(r => r.object), client);
    const findings = await validatePlanSliced(plan, inputs.options);
    const planned = await deps.planner.plan(fabric, { commit: tree.commit, entries: tree.entries, plan, findings });
    return planned ? { plan: planned } : {};
  } catch (e) {
    if (e instanceof ClusterError) return { planError: `the plan could not list cluster ${client.name}: ${e.message}` };
    throw e;
  }
}
