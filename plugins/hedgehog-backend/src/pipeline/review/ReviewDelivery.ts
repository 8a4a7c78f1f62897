import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { reviewBranch } from '../../github/reviewBranches';
import { IngestPlan } from '../../gitops/plan';
import { RepositoryAccess } from './RepositoryAccess';
import { syncPullRequestText } from './pullRequestText';

/** What a sync's commit became on the review branch. */
export interface ReviewOutcome {
  number: number;
  url: string;
  branch: string;
  commit: string;
  /** What happened to the pull request: opened, updated (new commit or text), or nothing. */
  action: 'opened' | 'updated' | 'unchanged';
}

/**
 * Write mode `pull-request`: the sync's single commit goes to a review branch of
 * the fabric, with one pull request, instead of onto the fabric's branch.
 */
export interface ReviewDelivery {
  /** Pushes the commit of `plan` on top of `base` to the review branch; opens or updates its pull request. */
  deliver(input: { base: string; plan: IngestPlan; message: string; findings: Finding[] }): Promise<ReviewOutcome>;
  /** Closes the open pull request of the fabric's review branch (its change is no longer needed); returns the numbers closed. */
  closeOutdated(): Promise<number[]>;
}

/** The review delivery of a fabric; undefined when its repository is not on a GitHub integration. */
export function reviewDeliveryFor(access: RepositoryAccess, fabric: FabricDefinition): ReviewDelivery | undefined {
  const ref = access.repoOf(fabric);
  if (!ref) return undefined;
  return {
    async deliver(input) {
      const client = await access.client(ref);
      await client.repository(); // fails clearly (credentials, repository) before anything is pushed
      const branch = reviewBranch(fabric.name);
      const pushed = await access.pushReviewCommit(fabric, branch, input.base, input.plan, input.message, client);
      const text = syncPullRequestText(fabric, input.plan, input.findings, input.message);
      const pr = await access.ensurePullRequest(client, fabric, branch, text);
      return {
        number: pr.info.number,
        url: pr.info.url,
        branch,
        commit: pushed.commit,
        action: deliveryAction(pr.action, pushed.pushed),
      };
    },
    async closeOutdated() {
      const client = await access.client(ref);
      const open = await client.openPulls({ head: reviewBranch(fabric.name), base: fabric.git.branch });
      const closed: number[] = [];
      for (const pr of open.filter(p => p.sameRepository)) {
        await client.updatePull(pr.number, { state: 'closed' });
        closed.push(pr.number);
      }
      return closed;
    },
  };
}

/** What a sync delivery did to its pull request: opened it, updated it (new commit or text), or nothing. */
function deliveryAction(pr: ReviewOutcome['action'], pushed: boolean): ReviewOutcome['action'] {
  if (pr === 'opened') return 'opened';
  return pushed || pr === 'updated' ? 'updated' : 'unchanged';
}
