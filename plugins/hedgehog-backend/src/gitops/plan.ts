import { isWholeScope, resolveKindScope } from '@fabric-gitops/plugin-hedgehog-common';
import { MANAGED_DIR, MANIFEST_PATH, RAW_DIR, isUnder, isYamlFileName, layoutFiles } from './layout';
import { noteLegacyLayout } from './legacyLayout';
import { manifestEntry, readManifestScope } from './manifestScope';
import { ParsedFile } from './parse';
import { planManaged } from './planManaged';
import { planRaw } from './planRaw';
import { IngestPlan, PlanInput } from './planTypes';
import { cmp } from './planUtil';
import { TreeEntry, isRegularFile } from './tree';
import { Steps, runSteps, runStepsSliced } from '../validation/steps';

export type { Conflict, DroppedFile, IngestPlan, PlanInput, PlannedResource, UnmanagedReason } from './planTypes';

/** The entries whose content the planner reads (the caller parses them): YAML files of raw/ and managed/, and the manifest. */
export function entriesToParse(entries: TreeEntry[]): TreeEntry[] {
  return entries.filter(
    e =>
      isRegularFile(e) &&
      isYamlFileName(e.path) &&
      (isUnder(e.path, RAW_DIR) || isUnder(e.path, MANAGED_DIR) || e.path === MANIFEST_PATH),
  );
}

/** The parsed manifest, when the directory has one as a regular file. */
function parsedManifest(input: PlanInput): ParsedFile | undefined {
  const entry = manifestEntry(input.entries);
  return entry && isRegularFile(entry) ? input.parsed(entry) : undefined;
}

/**
 * Plans one sync of a fabric directory (docs/architecture.md#a-runs-path). Pure: the same
 * input always gives the same plan, and a plan carried out and planned again
 * gives an empty plan.
 */
export function planIngestion(input: PlanInput): IngestPlan {
  return runSteps(planIngestionSteps(input));
}

/**
 * planIngestion in slices of a few milliseconds between which the event loop
 * turns (validation/steps.ts): for the backend's thread, where planning a large
 * fabric (rendering thousands of managed files) would hold every other request.
 * The same plan.
 */
export function planIngestionSliced(input: PlanInput): Promise<IngestPlan> {
  return runStepsSliced(planIngestionSteps(input));
}

/** The work of planIngestion, yielding between files and documents. */
export function* planIngestionSteps(input: PlanInput): Steps<IngestPlan> {
  const plan: IngestPlan = {
    writes: [],
    moves: [],
    unmanaged: [],
    deletes: [],
    resources: [],
    conflicts: [],
    findings: [],
    dropped: [],
    log: [],
    counts: {
      rawFiles: 0,
      ingestedFiles: 0,
      unmanagedFiles: 0,
      unmanagedDocuments: 0,
      conflictFiles: 0,
      conflictDocuments: 0,
      resourcesCreated: 0,
      resourcesUnchanged: 0,
      managedRewritten: 0,
      layoutRepaired: 0,
    },
    legacyLayout: false,
  };
  const byPath = new Map(input.entries.map(e => [e.path, e]));
  const taken = new Set(byPath.keys());
  const sorted = [...input.entries].sort((a, b) => cmp(a.path, b.path));

  noteLegacyLayout(plan, sorted);

  // The kinds the fabric manages: app-config's, else the manifest's, else the entity's, else all.
  const manifest = readManifestScope(parsedManifest(input));
  if (manifest.finding) plan.findings.push(manifest.finding);
  plan.manifestScope = manifest.setting;
  const scope = resolveKindScope({ ...input.declaredKinds, manifest: manifest.setting });
  plan.scope = scope;
  const kinds = isWholeScope(scope) ? undefined : new Set(scope.kinds);

  const managed = yield* planManaged(input, sorted, plan, taken, byPath, kinds);
  yield* planRaw(input, sorted, plan, managed, taken, byPath, kinds);

  // (the folders of the kinds the fabric manages; a repaired manifest does not say which)
  for (const file of layoutFiles(input.fabricName, undefined, scope.kinds)) {
    if (!taken.has(file.path)) {
      plan.writes.push(file);
      taken.add(file.path);
      plan.counts.layoutRepaired++;
    }
  }
  if (plan.counts.layoutRepaired > 0) {
    plan.log.push(`created ${plan.counts.layoutRepaired} missing file(s) of the directory layout`);
  }
  // A path written by this plan is not also deleted (a managed file moved away
  // whose old path is the canonical path of another resource).
  const written = new Set(plan.writes.map(w => w.path));
  plan.deletes = plan.deletes.filter(p => !written.has(p));
  plan.resources = [...managed.values()].sort((a, b) =>
    cmp(a.kind, b.kind) || cmp(a.name, b.name),
  );
  return plan;
}
