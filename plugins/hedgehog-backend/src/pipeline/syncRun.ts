import { Finding, RunStatus, SYNC_STAGES } from '@fabric-gitops/plugin-hedgehog-common';
import { Committed, commitStage, recordNoCommit } from './stages/commit';
import { fetchStage } from './stages/fetch';
import { importStage } from './stages/import';
import { ingestStage } from './stages/ingest';
import { planStage } from './stages/plan';
import { restoreStage } from './stages/restore';
import { startPush } from './stages/push';
import { runStage } from './stages/stage';
import { SyncContext, isEmptyPlan } from './stages/syncContext';
import { Validated, validateStage } from './stages/validate';

/** What a sync did, for the run's final record. */
export interface SyncResult {
  status: Extract<RunStatus, 'succeeded' | 'partial'>;
  /** Whether the import stage ran (the desired state may have changed). */
  imported: boolean;
  commitBefore?: string;
  commitAfter?: string;
  findings: Finding[];
  /** The fabric's import generation the sync wrote, when it imported (its findings are listed at it). */
  importGeneration?: number;
}

/**
 * One sync of a fabric, stage after stage: fetch, (a restore run's restore commit,)
 * plan, ingest, validate, commit & push, import (docs/architecture.md#a-runs-path). Each stage is recorded on the
 * run as it happens; a plan that finds nothing changed skips the rest. In push
 * mode the commit is built and pushed while validation runs.
 */
export async function syncRun(ctx: SyncContext): Promise<SyncResult> {
  let fetched = await runStage(ctx, fetchStage, undefined);
  const commitBefore = fetched.head;
  // a restore run commits managed/ as it was at its commit, then syncs from there
  if (ctx.restore) fetched = await runStage(ctx, restoreStage, fetched);
  const planOutput = await runStage(ctx, planStage, fetched);
  if ('unchanged' in planOutput) {
    await ctx.recorder.skip(SYNC_STAGES, planOutput.unchanged);
    return { status: 'succeeded', imported: false, commitBefore, commitAfter: commitBefore, findings: [] };
  }
  const { planned, importGeneration } = planOutput;
  await runStage(ctx, ingestStage, planned);

  const { workspace } = fetched;
  const mode = ctx.fabric.git.writeMode;
  const commits = !ctx.options.dryRun && mode !== 'none' && !isEmptyPlan(planned.plan);
  const beforePush = () => ctx.recorder.throwIfLockLost('the push');
  const early = commits && mode === 'push' ? startPush(workspace, planned, ctx.fabric.name, beforePush) : undefined;
  // A failed validation still records what became of a push already under way.
  const validation = await runStage(ctx, validateStage, { planned, pushStarted: early?.started }).then(
    (value): { value: Validated; failure?: undefined } => ({ value }),
    (error: unknown) => ({ value: { findings: [], options: {} }, failure: { error } }),
  );
  if (validation.failure && !early) throw validation.failure.error;
  const checked = { ...planned, findings: validation.value.findings };

  let committed: Committed = { commitAfter: planned.head, source: checked };
  if (!commits) {
    await recordNoCommit(ctx);
  } else {
    committed = await runStage(ctx, commitStage, {
      workspace,
      checked,
      early,
      validationOptions: validation.value.options,
      validationFailure: validation.failure,
    });
    if (validation.failure) throw validation.failure.error;
  }

  let imported: { generation: number } | undefined;
  if (ctx.options.dryRun) {
    await ctx.recorder.skip(['import'], 'dry run: nothing is committed or imported');
  } else {
    imported = await runStage(ctx, importStage, { workspace, committed, importGeneration });
  }

  const findings = committed.source.findings;
  const errors = findings.some(f => f.severity === 'error');
  return {
    status: errors ? 'partial' : 'succeeded',
    imported: !ctx.options.dryRun,
    commitBefore,
    commitAfter: committed.commitAfter,
    findings,
    importGeneration: imported?.generation,
  };
}
