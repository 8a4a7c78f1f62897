import { RestoreResult } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ClusterError } from '../cluster/ClusterClient';
import { ParseCache } from '../gitops/ParseCache';
import { FabricAccess } from './FabricAccess';
import { RestoredTree } from './ManagedRestorer';
import { HeadPlanner } from './review/HeadPlanner';
import { evaluateTree } from './review/evaluateTree';

export interface RestorePlanDeps {
  access: FabricAccess;
  cache: ParseCache;
  /** Plans an apply of a state that is not imported (as for a pull request's head). */
  planner: HeadPlanner;
}

/**
 * What an apply would do once a restore is synced: the restored fabric directory is
 * planned and validated as a sync would (evaluateTree; nothing is committed or imported), and its
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
  try {
    const evaluated = await evaluateTree({ cache: deps.cache, fabrics: deps.access }, tree, fabric, tree);
    const planned = await deps.planner.plan(fabric, evaluated);
    return planned ? { plan: planned } : {};
  } catch (e) {
    if (e instanceof ClusterError) return { planError: `the plan could not list cluster ${client.name}: ${e.message}` };
    throw e;
  }
}
