import { DRIFT_STATUSES, DriftStatus, Fabric, FabricKinds, KindScope, resolveKindScope } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { FabricState } from '../database/HedgehogStore';
import { fabricHealth } from '../gitops/fabricHealth';
import { declaredKinds, fabricScope } from '../pipeline/fabricScope';
import { BlockedFabric } from './FabricRegistry';

/* A fabric as the API shows it (GET /fabrics, GET /fabrics/:fabric). */

/** What a fabric is defined as. */
function definitionOf(f: FabricDefinition) {
  return { name: f.name, title: f.title, git: f.git, cluster: f.cluster, source: f.source, ...(f.owner ? { owner: f.owner } : {}) };
}

/** The kinds a fabric manages, as the API shows them. */
function kindsOf(scope: KindScope): FabricKinds {
  return {
    source: scope.from,
    ...(typeof scope.setting === 'string' ? { preset: scope.setting } : {}),
    list: [...scope.kinds],
  };
}

/** A synced (or never synced) fabric: its definition, its state and its health now (fabricHealth). */
export function describeFabric(
  f: FabricDefinition,
  state: FabricState | undefined,
  drift: Record<DriftStatus, number>,
  applyFailed: number,
): Fabric {
  const open = state?.openFindings ?? { errors: 0, warnings: 0, conflicts: 0 };
  const health = fabricHealth({
    synced: state !== undefined && state.status !== 'never_synced',
    lastSyncError: state?.status === 'error' ? state.error ?? 'the last sync failed' : undefined,
    open,
    applyFailed,
  });
  return {
    ...definitionOf(f),
    lastSyncedCommit: state?.lastSyncedCommit,
    lastSyncAt: state?.lastSyncAt ? new Date(state.lastSyncAt).toISOString() : undefined,
    lastRunId: state?.lastRunId,
    status: health.status,
    error: health.error,
    counts: state?.counts ?? {},
    drift,
    findings: {
      errors: open.errors,
      warnings: open.warnings,
      ...(open.outsideResources ? { outsideResources: open.outsideResources } : {}),
    },
    conflicts: open.conflicts,
    applyFailed,
    // app-config's, else what the manifest said at the last import, else the entity's, else all
    kinds: kindsOf(fabricScope(f, state)),
  };
}

/** A blocked fabric: what it is defined as, and why it is not synced. */
export function describeBlocked({ definition: f, reason }: BlockedFabric): Fabric {
  return {
    ...definitionOf(f),
    status: 'blocked',
    blockedReason: reason,
    counts: {},
    drift: Object.fromEntries(DRIFT_STATUSES.map(s => [s, 0])) as Fabric['drift'],
    findings: { errors: 0, warnings: 0 },
    conflicts: 0,
    applyFailed: 0,
    kinds: kindsOf(resolveKindScope(declaredKinds(f))),
  };
}
