import { FabricPullRequest } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { PullRequestInfo } from './GitHubApi';

export type { FabricPullRequest } from '@fabric-gitops/plugin-hedgehog-common';

/** The review branch of a fabric in write mode `pull-request` (one per fabric, force-pushed). */
export function reviewBranch(fabric: string): string {
  return `hedgehog/${fabric}`;
}

/** The branch prefix of a fabric's adoptions (`hedgehog/<fabric>` is a ref itself, so no folder below it). */
export function adoptBranchPrefix(fabric: string): string {
  return `hedgehog-adopt/${fabric}/`;
}

/** The branch of a fabric's restore of `managed/` to a commit. */
export function restoreBranch(fabric: string, commit: string): string {
  return `hedgehog-restore/${fabric}/${commit.slice(0, 12)}`;
}

/** Whether a pull request's branch is one the plugin opened for the fabric. */
export function isFabricBranch(fabric: string, branch: string): boolean {
  return branch === reviewBranch(fabric) || branch.startsWith(adoptBranchPrefix(fabric)) || isRestoreBranch(fabric, branch);
}

function isRestoreBranch(fabric: string, branch: string): boolean {
  return branch.startsWith(`hedgehog-restore/${fabric}/`);
}

function purposeOf(fabric: string, branch: string): FabricPullRequest['purpose'] {
  if (branch === reviewBranch(fabric)) return 'sync';
  return isRestoreBranch(fabric, branch) ? 'restore' : 'adopt';
}

/** A pull request as the API shows it. */
export function publicPull(fabric: FabricDefinition, p: PullRequestInfo): FabricPullRequest {
  return {
    number: p.number,
    title: p.title,
    url: p.url,
    branch: p.branch,
    updatedAt: p.updatedAt,
    purpose: purposeOf(fabric.name, p.branch),
  };
}
