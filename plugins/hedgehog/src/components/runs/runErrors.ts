import { Run, RunStage } from '@fabric-gitops/plugin-hedgehog-common';

/** A stage's errors in all: also those its record does not list (`errorTotal`). */
export function stageErrorTotal(
  stage: Pick<RunStage, 'errors' | 'errorTotal'>,
): number {
  return Math.max(stage.errorTotal ?? 0, stage.errors.length);
}

/** A run's errors in all (its stages'); a run error without stage errors counts as one. */
export function runErrorTotal(run: Pick<Run, 'stages' | 'error'>): number {
  const stageErrors = run.stages.reduce((n, s) => n + stageErrorTotal(s), 0);
  return stageErrors || (run.error ? 1 : 0);
}
