import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ParseCache } from '../../gitops/ParseCache';
import { IngestPlan, planIngestionSliced } from '../../gitops/plan';
import { TreeEntry } from '../../gitops/tree';
import { FabricAccess } from '../FabricAccess';
import { declaredKinds } from '../fabricScope';
import { BlobSource, readParsed } from '../readParsed';
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
 * Plans and validates a fabric directory that is not imported (a pull request's head,
 * the tree a restore would commit) as a sync of it would: the same parse cache,
 * ingestion plan, scope and validation context (config, live objects, profiles).
 * `entries` are the directory's files, read from `source`. Nothing is written.
 */
export async function evaluateTree(
  deps: { cache: ParseCache; fabrics: FabricAccess },
  source: BlobSource,
  fabric: FabricDefinition,
  tree: { commit: string; entries: TreeEntry[] },
  onStep: (step: EvaluationStep) => void = () => {},
): Promise<HeadEvaluation> {
  const { commit, entries } = tree;
  const { parsed } = await readParsed(source, deps.cache, entries);
  onStep('plan');
  const plan = await planIngestionSliced({ fabricName: fabric.name, entries, parsed, declaredKinds: declaredKinds(fabric) });
  onStep('context');
  const inputs = await deps.fabrics.validationInputs(fabric, plan.resources.map(r => r.object));
  onStep('validate');
  const findings = await validatePlanSliced(plan, inputs.options);
  return { commit, entries, plan, findings };
}
