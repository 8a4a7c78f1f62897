import { RunError } from '@fabric-gitops/plugin-hedgehog-common';
import { Stage } from './stage';
import { Planned, SyncContext } from './syncContext';

/**
 * Records what the plan ingests: raw documents that become managed files, files
 * kept in unmanaged/, and conflicts (nothing is overwritten; each is an error of
 * the stage naming its file).
 */
export const ingestStage: Stage<SyncContext, Planned, void> = {
  name: 'ingest',
  async run(_ctx, { plan }) {
    const errors: RunError[] = plan.conflicts.map(c => ({
      message: c.message,
      file: c.files[0],
      path: 'metadata.name',
    }));
    return {
      outcome: { counts: { ...plan.counts, resources: plan.resources.length, conflicts: plan.conflicts.length }, errors },
      output: undefined,
    };
  },
};
