import { Finding, HEDGEHOG_KINDS, findKind, isPlainObject } from '@fabric-gitops/plugin-hedgehog-common';
import { MANAGED_DIR } from './layout';
import { DroppedFile, IngestPlan } from './planTypes';

/*
 * Managed files that do not make it into the desired state (docs/architecture.md#invariants):
 * prune deletes only what Git removed from a complete, healthy desired state, so
 * every kind such a file may define is held back from prune until it is fixed.
 */

/** The most files remembered per incomplete kind (the count says how many there are). */
export const INCOMPLETE_FILES_KEPT = 10;

/** Kinds whose desired state is incomplete: how many managed files of each were dropped, and the first of them. */
export type IncompleteKinds = Record<string, { count: number; files: string[] }>;

/**
 * The kinds a managed file may define: the kind of its folder (`managed/<plural>/`)
 * and the kind its document names; every kind when neither tells.
 */
export function kindsOfManagedFile(path: string, values: unknown[] = []): string[] {
  const kinds = new Set<string>();
  const segments = path.split('/');
  if (segments[0] === MANAGED_DIR && segments.length >= 3) {
    const folder = HEDGEHOG_KINDS.find(k => k.plural === segments[1]);
    if (folder) kinds.add(folder.kind);
  }
  for (const value of values) {
    const named = isPlainObject(value) && typeof value.kind === 'string' ? findKind(value.kind) : undefined;
    if (named) kinds.add(named.kind);
  }
  return kinds.size > 0 ? [...kinds].sort() : HEDGEHOG_KINDS.map(k => k.kind);
}

/**
 * Files a read-only import (write modes `pull-request` and `none`) leaves out: a
 * managed file the plan moves to its canonical path is not there in the branch
 * imported, so its resource is not part of the desired state until the move is
 * merged. One error finding per such file, naming it.
 */
export function droppedByReadOnlyImport(plan: IngestPlan): { dropped: DroppedFile[]; findings: Finding[] } {
  const dropped: DroppedFile[] = [];
  const findings: Finding[] = [];
  for (const r of plan.resources) {
    if (!r.movedFrom) continue;
    const reason = `${r.kind} ${r.name} is defined in ${r.movedFrom}, not at its path ${r.gitPath}; a fabric that does not push imports only what its branch holds, so ${r.kind} ${r.name} is not part of the desired state (and nothing of kind ${r.kind} is pruned) until the file is moved there`;
    dropped.push({ file: r.movedFrom, kinds: kindsOfManagedFile(r.movedFrom, [r.object]), reason });
    findings.push({ severity: 'error', rule: 'managed.not-imported', file: r.movedFrom, path: 'metadata.name', message: reason });
  }
  return { dropped, findings };
}

/** The kinds the dropped files make incomplete, each with how many files and the first of them (sorted). */
export function incompleteKinds(dropped: DroppedFile[]): IncompleteKinds {
  const byKind = new Map<string, Set<string>>();
  for (const d of dropped) {
    for (const kind of d.kinds) {
      const files = byKind.get(kind) ?? new Set<string>();
      files.add(d.file);
      byKind.set(kind, files);
    }
  }
  const result: IncompleteKinds = {};
  for (const kind of [...byKind.keys()].sort()) {
    const files = [...byKind.get(kind)!].sort();
    result[kind] = { count: files.length, files: files.slice(0, INCOMPLETE_FILES_KEPT) };
  }
  return result;
}
