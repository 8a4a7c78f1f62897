import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { BranchRepository } from '../../git/BranchRepository';
import { ParseCache } from '../../gitops/ParseCache';
import { IngestPlan, planIngestionSliced } from '../../gitops/plan';
import { TreeEntry } from '../../gitops/tree';
import { FabricAccess } from '../FabricAccess';
import { declaredKinds } from '../fabricScope';
import { readParsed } from '../readParsed';
import { validatePlanSliced } from '../stages/validate';

/** A commit of the fabric's repository that is not imported, planned and validated as a sync of it would. */
export interface HeadEvaluation {
  commit: string;
  entries: TreeEntry[];
  plan: IngestPlan;
  findings: Finding[];
}

/** The steps of an evaluation, for a caller that says which one failed. */
export type EvaluationStep = 'plan' | 'context' | 'validate';

/**
 * Plans and validates the fabric directory of `commit` (already in `repo`) as a sync
 * of it would: the same parse cache, ingestion plan, scope and validation context
 * (config, live objects, profiles). Nothing is written.
 */
export async function evaluateHead(
  deps: { cache: ParseCache; fabrics: FabricAccess },
  repo: BranchRepository,
  fabric: FabricDefinition,
  commit: string,
  onStep: (step: EvaluationStep) => void = () => {},
): Promise<HeadEvaluation> {
  const entries = await repo.listTree(commit, fabric.git.path);
  const { parsed } = await readParsed(repo, deps.cache, entries);
  onStep('plan');
  const plan = await planIngestionSliced({ fabricName: fabric.name, entries, parsed, declaredKinds: declaredKinds(fabric) });
  onStep('context');
  const inputs = await deps.fabrics.validationInputs(fabric, plan.resources.map(r => r.object));
  onStep('validate');
  const findings = await validatePlanSliced(plan, inputs.options);
  return { commit, entries, plan, findings };
}
