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

/** Whether a pull request's branch is one the plugin opened for the fabric. */
export function isFabricBranch(fabric: string, branch: string): boolean {
  return branch === reviewBranch(fabric) || branch.startsWith(adoptBranchPrefix(fabric));
}

/** A pull request as the API shows it. */
export function publicPull(fabric: FabricDefinition, p: PullRequestInfo): FabricPullRequest {
  return {
    number: p.number,
    title: p.title,
    url: p.url,
    branch: p.branch,
    updatedAt: p.updatedAt,
    purpose: p.branch === reviewBranch(fabric.name) ? 'sync' : 'adopt',
  };
}
