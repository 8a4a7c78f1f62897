import { RAW_DIR, managedPath } from './layout';
import { contentKey } from './normalize';
import { IngestPlan, PlannedResource, RawDoc } from './planTypes';
import { documentLabel } from '@fabric-gitops/plugin-hedgehog-common';

/*
 * Conflicts (docs/architecture.md#invariants: nothing is lost): the same kind/name defined twice. Neither side
 * is overwritten; the run reports it and a conflicting raw document stays in raw/.
 */

/** Reports resources defined by several managed files (by `kind/name`: the files, the used one first). */
export function reportManagedDuplicates(plan: IngestPlan, seen: Map<string, string[]>) {
  for (const [k, files] of seen) {
    if (files.length < 2) continue;
    const [kind, name] = k.split('/');
    const message = `${kind} ${name} is defined by ${files.length} managed files (${files.join(', ')}); only ${files[0]} is used`;
    plan.conflicts.push({ kind, name, files, message });
    for (const file of files.slice(1)) {
      plan.findings.push({ severity: 'error', rule: 'conflict', file, path: 'metadata.name', message });
    }
  }
}

/**
 * Finds the raw documents in conflict: a resource defined by two raw documents, by
 * a raw document and a managed file with other content, or by a raw document whose
 * managed path holds a file that is no valid definition of it. Reports each
 * conflict and returns the raw documents that must stay in raw/ (the other
 * documents of their files are ingested).
 */
export function findRawConflicts(
  plan: IngestPlan,
  rawFiles: Map<string, { docs: RawDoc[] }>,
  managed: Map<string, PlannedResource>,
  taken: Set<string>,
): Set<RawDoc> {
  const rawByKey = new Map<string, RawDoc[]>();
  for (const { docs } of rawFiles.values()) {
    for (const d of docs) rawByKey.set(d.key, [...(rawByKey.get(d.key) ?? []), d]);
  }
  const inConflict = new Set<RawDoc>();
  for (const [k, defs] of rawByKey) {
    const existing = managed.get(k);
    const differs = existing && defs.some(d => contentKey(d.canonical) !== contentKey(existing.object));
    // The resource's file exists but is no valid definition of it (unreadable,
    // several documents, another resource that cannot move): never overwrite it.
    const target = managedPath(defs[0].doc.kind, defs[0].doc.name);
    const occupied = !existing && taken.has(target);
    if (defs.length < 2 && !differs && !occupied) continue;
    const [kind, name] = k.split('/');
    const files = [...new Set(defs.map(d => d.file))];
    let message: string;
    if (defs.length > 1) {
      message = `${kind} ${name} is defined ${defs.length} times in ${RAW_DIR}/ (${defs.map(d => `${d.file} ${documentLabel(d.index)}`).join(', ')}); nothing was overwritten and these documents stay in ${RAW_DIR}/`;
    } else if (existing) {
      message = `${kind} ${name} in ${files[0]} ${documentLabel(defs[0].index)} differs from ${existing.gitPath}; nothing was overwritten and the document stays in ${RAW_DIR}/ (edit the managed file, or remove the document from the raw file)`;
    } else {
      message = `${kind} ${name} in ${files[0]} ${documentLabel(defs[0].index)} belongs in ${target}, which holds a file that is not a valid definition of it; nothing was overwritten and the document stays in ${RAW_DIR}/ (fix or remove ${target})`;
    }
    const others: string[] = [];
    if (existing) others.push(existing.gitPath);
    else if (occupied) others.push(target);
    plan.conflicts.push({ kind, name, files: [...files, ...others.filter(f => !files.includes(f))], message });
    for (const d of defs) {
      inConflict.add(d);
      plan.findings.push({ severity: 'error', rule: 'conflict', file: d.file, document: d.index, path: 'metadata.name', message });
    }
  }
  return inConflict;
}
