import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ApplyPlan, DesiredForApply, planApply } from '../../cluster/applyPlan';
import { ClusterClient } from '../../cluster/ClusterClient';
import { FabricState, HedgehogStore } from '../../database/HedgehogStore';
import { IncompleteKinds } from '../../gitops/dropped';
import { fabricScope } from '../fabricScope';

export interface PlannedApply {
  plan: ApplyPlan;
  /** The fabric's live objects of the kinds it manages, as listed for the plan. */
  live: Array<Record<string, any>>;
  /** Undefined when no import recorded which kinds are complete (then none is). */
  incomplete: IncompleteKinds | undefined;
  state: FabricState | undefined;
}

/**
 * What an apply of the fabric's desired state (its last import) would do: the
 * desired objects of the kinds it manages, one paginated LIST per such kind, and
 * `planApply` over them. The apply stage acts on it and `POST /fabrics/:fabric/plan`
 * shows it, so both compute it the same way.
 */
export async function planFabricApply(options: {
  store: HedgehogStore;
  client: ClusterClient;
  fabric: FabricDefinition;
}): Promise<PlannedApply> {
  const { store, client, fabric } = options;
  const state = await store.getFabricState(fabric.name);
  const desired = await store.listDesired(fabric.name);
  return planDesiredApply({ client, fabric, state, desired, incomplete: state?.incompleteKinds });
}

/**
 * What an apply of a given desired state would do: the fabric's last import (above), or
 * the state a pull request's head would import (its plan, validated as a sync would).
 * Only the kinds the fabric manages are applied and pruned; objects of others are not
 * its to touch.
 */
export async function planDesiredApply(options: {
  client: ClusterClient;
  fabric: FabricDefinition;
  state: FabricState | undefined;
  desired: DesiredForApply[];
  incomplete: IncompleteKinds | undefined;
}): Promise<PlannedApply> {
  const { client, fabric, state, incomplete } = options;
  const { kinds } = fabricScope(fabric, state);
  const desired = options.desired.filter(d => kinds.includes(d.kind));
  const live = await client.listManaged(kinds);
  const plan = planApply({
    fabric: fabric.name,
    desired,
    live,
    prune: fabric.prune,
    incompleteKinds: new Set(incomplete ? Object.keys(incomplete) : HEDGEHOG_KINDS.map(k => k.kind)),
  });
  return { plan, live, incomplete, state };
}
