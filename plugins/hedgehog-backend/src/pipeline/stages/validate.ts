import { countFindings, Finding, withBlocksApply } from '@fabric-gitops/plugin-hedgehog-common';
import type { ValidationInputs } from '../../cluster/validationContext';
import { droppedByReadOnlyImport } from '../../gitops/dropped';
import { IngestPlan } from '../../gitops/plan';
import { validateFabricCached, validateFabricCachedSliced } from '../../validation/ValidationCache';
import { ValidateFabricOptions } from '../../validation/validateFabric';
import { Stage } from './stage';
import { Planned, SyncContext } from './syncContext';

/**
 * The most errors a validate stage lists on the run record; its `errorTotal` and
 * counts say how many there are, and the run's findings hold them all.
 */
export const STAGE_ERRORS_LISTED = 200;

export interface ValidateInput {
  planned: Planned;
  /** Settles once a push started beside validation is under way: validation then runs while git works. */
  pushStarted?: Promise<void>;
}

export interface Validated {
  findings: Finding[];
  /** What validation used (FabricConfig, live objects, profiles); a re-plan validates with the same. */
  options: ValidateFabricOptions;
}

/**
 * Validates every resource of the plan with the fabric's context (FabricConfig,
 * and with a cluster its live objects and SwitchProfiles; offline when unreachable).
 */
export const validateStage: Stage<SyncContext, ValidateInput, Validated> = {
  name: 'validate',
  async run(ctx, { planned, pushStarted }) {
    const inputs = await ctx.validationInputs(planned.plan.resources.map(r => r.object));
    if (pushStarted) await pushStarted;
    const options = inputs.options;
    const findings = await validatePlanSliced(planned.plan, options);
    // a fabric that does not push imports only what its branch holds
    if (ctx.fabric.git.writeMode !== 'push') findings.push(...droppedByReadOnlyImport(planned.plan).findings.map(withBlocksApply));
    return { outcome: validateOutcome(findings, inputs), output: { findings, options } };
  },
};

/**
 * The plan's findings (ingestion's and every rule's over the resources it holds),
 * each with `blocksApply`: a sync's findings are recorded with it.
 */
export function validatePlan(plan: IngestPlan, options: ValidateFabricOptions = {}): Finding[] {
  return [...plan.findings, ...validateFabricCached(planDocuments(plan), options).findings].map(withBlocksApply);
}

/**
 * validatePlan in slices of a few milliseconds between which the event loop turns
 * (validation/steps.ts): a large fabric's validation does not hold the backend's
 * other requests. The same findings in the same order.
 */
export async function validatePlanSliced(plan: IngestPlan, options: ValidateFabricOptions = {}): Promise<Finding[]> {
  return [...plan.findings, ...(await validateFabricCachedSliced(planDocuments(plan), options)).findings].map(withBlocksApply);
}

/**
 * Every resource is validated where it lives now: its managed file (raw-ingested
 * ones too), document 0, so that findings attach to the resource on import.
 */
function planDocuments(plan: IngestPlan) {
  return plan.resources.map(r => ({ file: r.gitPath, document: 0, object: r.object }));
}

function validateOutcome(findings: Finding[], inputs: ValidationInputs) {
  const errors = findings.filter(f => f.severity === 'error');
  // exact totals: a summary finding counts the findings it says were left out
  const totals = countFindings(findings);
  const listed = errors.slice(0, STAGE_ERRORS_LISTED);
  return {
    // what validation used (config source, live objects, profiles) or why it ran offline
    message: inputs.notes.join('; ') || undefined,
    counts: {
      errors: totals.errors,
      warnings: totals.warnings,
      ...inputs.counts,
      ...(inputs.offline ? { offline: 1 } : {}),
    },
    errors: listed.map(f => ({ message: f.message, file: f.file, document: f.document, path: f.path })),
    ...(totals.errors > listed.length ? { errorTotal: totals.errors } : {}),
  };
}
