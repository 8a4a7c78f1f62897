import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { IncompleteKinds, droppedByReadOnlyImport, incompleteKinds } from './dropped';
import { IngestPlan, PlannedResource } from './planTypes';
import { TreeEntry } from './tree';

/** A resource an import takes from its plan: with its Git entry, if Git holds it yet, and its file's findings. */
export interface ImportedResource {
  resource: PlannedResource;
  entry?: TreeEntry;
  findings: Finding[];
}

/**
 * What an import of a planned state takes: the plan's resources, each with its
 * file's findings — for a fabric that does not push (`readOnly`) only those Git
 * holds at their path (`entries`) — and the kinds some managed file of which is
 * left out (prune holds them back). The import stage writes it; the plan of a
 * pull request's head or of a restore reads it as the desired state. Pure.
 */
export function importedState(
  plan: IngestPlan,
  findings: Finding[],
  entries: TreeEntry[],
  readOnly: boolean,
): { resources: ImportedResource[]; incomplete: IncompleteKinds } {
  const byPath = new Map(entries.map(e => [e.path, e]));
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const resources: ImportedResource[] = [];
  for (const resource of plan.resources) {
    const entry = byPath.get(resource.gitPath);
    // not in Git yet: a read-only fabric imports only what Git holds (a managed
    // file the plan moves is one of the dropped files below)
    if (readOnly && !entry) continue;
    resources.push({ resource, ...(entry ? { entry } : {}), findings: byFile.get(resource.gitPath) ?? [] });
  }
  const dropped = [...plan.dropped, ...(readOnly ? droppedByReadOnlyImport(plan).dropped : [])];
  return { resources, incomplete: incompleteKinds(dropped) };
}
