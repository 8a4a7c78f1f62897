import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { GitWorkspace } from '../../git/GitWorkspace';
import { openFindings } from '../../gitops/fabricHealth';
import { Committed } from './commit';
import { importBatch } from './importRows';
import { Stage } from './stage';
import { SyncContext } from './syncContext';

export interface ImportInput {
  workspace: GitWorkspace;
  committed: Committed;
  /** The fabric's import generation the run planned after (see ImportBasis). */
  importGeneration: number;
}

/**
 * Imports the fabric's desired state at the commit after the sync into the
 * database, in one transaction: its resources with their findings, and its
 * unmanaged files with their reasons. Only push mode changes the fabric's branch;
 * otherwise only what the branch holds is imported. The import is refused when
 * another run imported since this one planned, or when this replica lost the
 * fabric's lock: an older commit never replaces a newer one.
 */
/** What an import wrote: the fabric's import generation after it (its findings are listed at it). */
export interface Imported {
  generation: number;
}

export const importStage: Stage<SyncContext, ImportInput, Imported> = {
  name: 'import',
  async run(ctx, { workspace, committed, importGeneration }) {
    const { commitAfter, source } = committed;
    // The tree of the commit this sync made is known without asking Git again.
    const entries =
      commitAfter === source.head ? source.entries : committed.entries ?? (await workspace.listTree(commitAfter));
    const readOnly = ctx.fabric.git.writeMode !== 'push';
    const batch = await (committed.importAhead ?? importBatch(workspace, ctx.store, ctx.fabric, source, entries, readOnly));
    // the state's findings, each on the resource of its file when it has one
    const open = openFindings(batch.findings, source.plan.conflicts.length);
    ctx.recorder.throwIfLockLost('the import');
    const basis = { generation: importGeneration, lockOwner: ctx.recorder.lease?.owner };
    const { scope, manifestScope } = source.plan;
    const imported = scope ? [...scope.kinds] : HEDGEHOG_KINDS.map(k => k.kind);
    const kindScope = { ...(manifestScope ? { manifest: manifestScope } : {}), imported };
    const result = await ctx.store.importState(ctx.fabric.name, { ...batch, commit: commitAfter, open, basis, kindScope });
    return {
      outcome: {
        counts: {
          resources: batch.resources.length,
          unmanaged: batch.unmanaged.length,
          upserted: result.upserted,
          deleted: result.deleted,
        },
      },
      // the import was checked against the generation it planned after: it wrote the next one
      output: { generation: importGeneration + 1 },
    };
  },
};
