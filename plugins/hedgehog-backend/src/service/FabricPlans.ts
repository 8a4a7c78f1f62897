import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { FabricPlan, PlanTarget } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ClusterError } from '../cluster/ClusterClient';
import { DEFAULT_PRUNE_LIMIT } from '../cluster/prunePolicy';
import { HedgehogStore } from '../database/HedgehogStore';
import { FabricAccess } from '../pipeline/FabricAccess';
import { planReport } from '../pipeline/planReport';
import { RefPlanner } from '../pipeline/review/RefPlanner';
import { planFabricApply } from '../pipeline/stages/applyInputs';
import { LiveReads } from './LiveReads';

/**
 * `POST /fabrics/:fabric/plan`: what an apply would do, of the fabric's current desired
 * state (planned as the apply plans it: planFabricApply, the prune policy; reused for a
 * while per fabric, cluster and last run, see LiveReads) or of a branch's or pull
 * request's head (RefPlanner). 409 for a fabric without a cluster, 503 when the cluster
 * cannot be listed.
 */
export class FabricPlans {
  constructor(
    private readonly deps: {
      store: HedgehogStore;
      access: FabricAccess;
      liveReads: LiveReads;
      refs: RefPlanner;
      pruneLimit?: number;
    },
  ) {}

  async plan(fabric: FabricDefinition, target?: PlanTarget): Promise<FabricPlan> {
    const { store, access, liveReads } = this.deps;
    const client = access.clusterClient(fabric);
    if (!client) {
      throw new ConflictError(
        `Fabric ${fabric.name} has no cluster, so there is no apply to plan; set "cluster" to a name from hedgehog.clusters`,
      );
    }
    const listed = async (fn: () => Promise<FabricPlan>) => {
      try {
        return await fn();
      } catch (e) {
        if (e instanceof ClusterError) throw new ServiceUnavailableError(`the plan could not list cluster ${client.name}: ${e.message}`);
        throw e;
      }
    };
    if (target) return listed(async () => (await this.deps.refs.plan(fabric, target))!);
    const state = await store.getFabricState(fabric.name);
    const key = `plan:${fabric.name}:${client.name}:${[state?.lastRunId, state?.importGeneration, state?.lastSyncedCommit].join('|')}`;
    return liveReads.read(key, () =>
      listed(async () =>
        planReport({
          fabric: fabric.name,
          cluster: client.name,
          planned: await planFabricApply({ store, client, fabric }),
          prune: fabric.prune,
          pruneLimit: fabric.pruneLimit ?? this.deps.pruneLimit ?? DEFAULT_PRUNE_LIMIT,
        }),
      ),
    );
  }
}
