import { RunType } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import type { DriftTransition } from '../drift/fabricDrift';

/** How a run that was not a dry run ended, as far as the fabric's owner may want to know. */
export interface RunEnded {
  fabric: FabricDefinition;
  run: { id: string; type: RunType };
  status: 'succeeded' | 'partial' | 'failed';
  /** The run's error (what failed, or what made it partial). */
  error?: string;
  /**
   * The error findings open after a sync (its own, or when it imported nothing the
   * fabric's): a sync of an unchanged commit succeeds while the errors stay.
   */
  openErrors?: number;
  /** Why the apply held its prune back, when it did. */
  pruneHeldBack?: string;
  /** The fabric's drift before and after the run's drift check, when it checked. */
  drift?: DriftTransition;
}

/**
 * Where a run reports how it ended (implemented by the service: notifications to the
 * fabric's owner). Called once per run that is not a dry run, after its final record;
 * it never throws, and a run never waits on it for long.
 */
export interface RunNotices {
  runEnded(event: RunEnded): Promise<void>;
}
