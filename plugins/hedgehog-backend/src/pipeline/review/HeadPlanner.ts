import { FabricPlan, Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { DEFAULT_PRUNE_LIMIT } from '../../cluster/prunePolicy';
import { HedgehogStore } from '../../database/HedgehogStore';
import { IngestPlan } from '../../gitops/plan';
import { TreeEntry } from '../../gitops/tree';
import { FabricAccess } from '../FabricAccess';
import { planReport } from '../planReport';
import { planDesiredApply } from '../stages/applyInputs';
import { desiredOfHead } from './headDesired';

/**
 * The plan of an apply of a commit that is not imported yet (a pull request's head, a
 * branch): its desired state as a sync of it would import it, planned against the
 * fabric's cluster exactly as the apply plans its imported state.
 */
export class HeadPlanner {
  constructor(
    private readonly deps: {
      fabrics: FabricAccess;
      store: HedgehogStore;
      /** The plugin's prune limit (a fabric's own wins). */
      pruneLimit?: number;
    },
  ) {}

  /** Undefined for a fabric without a cluster. Throws ClusterError when the cluster cannot be listed. */
  async plan(
    fabric: FabricDefinition,
    head: { commit: string; entries: TreeEntry[]; plan: IngestPlan; findings: Finding[] },
  ): Promise<FabricPlan | undefined> {
    const client = this.deps.fabrics.clusterClient(fabric);
    if (!client) return undefined;
    const state = await this.deps.store.getFabricState(fabric.name);
    const readOnly = fabric.git.writeMode !== 'push';
    const { desired, incomplete } = desiredOfHead(head.plan, head.findings, readOnly, head.entries);
    const planned = await planDesiredApply({ client, fabric, state, desired, incomplete });
    const report = planReport({
      fabric: fabric.name,
      cluster: client.name,
      planned,
      prune: fabric.prune,
      pruneLimit: fabric.pruneLimit ?? this.deps.pruneLimit ?? DEFAULT_PRUNE_LIMIT,
    });
    return { ...report, commit: head.commit };
  }
}
