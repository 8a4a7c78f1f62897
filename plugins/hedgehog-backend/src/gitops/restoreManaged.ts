import { RestoreFileChange, shortCommit } from '@fabric-gitops/plugin-hedgehog-common';
import { MANAGED_DIR, isUnder } from './layout';
import { TreeEntry, compareGitPaths } from './tree';
import { TreeChangeSet } from './treeAfter';

/** What restoring `managed/` to an earlier commit changes: the files, and the change to commit. */
export interface ManagedRestore {
  /** Every file of `managed/` added, changed or removed, in Git's path order. */
  files: RestoreFileChange[];
  /** The commit's change: the target's blobs copied in (mode and blob as they were), the other files deleted. */
  change: TreeChangeSet;
}

/**
 * The change that makes the fabric directory's `managed/` what it was at an
 * earlier commit: a file of `target` that `current` lacks or holds with another
 * blob or mode is copied in, a file of `current` that `target` lacks is removed.
 * Everything outside `managed/` (raw/, unmanaged/, the manifest) is left as it is.
 * Paths are relative to the fabric directory, as listTree gives them. Pure.
 */
export function managedRestore(current: TreeEntry[], target: TreeEntry[]): ManagedRestore {
  const now = new Map(current.filter(inManaged).map(e => [e.path, e]));
  const files: RestoreFileChange[] = [];
  const change: TreeChangeSet = { writes: [], moves: [], deletes: [], copies: [] };
  for (const e of target.filter(inManaged)) {
    const was = now.get(e.path);
    now.delete(e.path);
    if (was && was.blobId === e.blobId && was.mode === e.mode) continue;
    files.push({ path: e.path, change: was ? 'changed' : 'added' });
    change.copies!.push({ path: e.path, mode: e.mode, blobId: e.blobId });
  }
  for (const path of now.keys()) {
    files.push({ path, change: 'removed' });
    change.deletes.push(path);
  }
  files.sort((a, b) => compareGitPaths(a.path, b.path));
  return { files, change };
}

function inManaged(e: TreeEntry): boolean {
  return isUnder(e.path, MANAGED_DIR);
}

const MAX_LISTED = 100;

/**
 * The message of a restore's commit: `hedgehog(<fabric>): restore managed/ to <short sha>`,
 * then what it changes and who asked.
 */
export function restoreCommitMessage(fabric: string, commit: string, files: RestoreFileChange[], requestedBy?: string): string {
  const count = (c: RestoreFileChange['change']) => files.filter(f => f.change === c).length;
  const lines = files.slice(0, MAX_LISTED).map(f => `- ${f.change} ${f.path}`);
  if (files.length > MAX_LISTED) lines.push(`- ... and ${files.length - MAX_LISTED} more`);
  return [
    `hedgehog(${fabric}): restore managed/ to ${shortCommit(commit)}`,
    '',
    `Makes managed/ what it was at commit ${commit}: ${count('added')} file(s) added, ${count('changed')} changed, ${count('removed')} removed; other folders are untouched.`,
    '',
    ...lines,
    ...(requestedBy ? ['', `Requested in Backstage by ${requestedBy}.`] : []),
    '',
  ].join('\n');
}
