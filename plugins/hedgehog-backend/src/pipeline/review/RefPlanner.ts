import { NotFoundError } from '@backstage/errors';
import { FabricPlan, PlanTarget } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ParseCache } from '../../gitops/ParseCache';
import { FabricAccess } from '../FabricAccess';
import { HeadPlanner } from './HeadPlanner';
import { RepositoryAccess } from './RepositoryAccess';
import { evaluateTree } from './evaluateTree';

/** The ref of the fabric's remote a plan target names. */
export function refOf(target: PlanTarget): string {
  return 'branch' in target ? `refs/heads/${target.branch}` : `refs/pull/${target.pullRequest}/head`;
}

/**
 * The plan of a branch or a pull request of the fabric's repository (`POST
 * /fabrics/:fabric/plan` with `branch` or `pullRequest`): its head is fetched into a
 * scratch ref, planned and validated as a sync of it would (evaluateTree), and its
 * desired state planned against the cluster as the apply plans it (HeadPlanner) —
 * what the pull request's plan comment says. Nothing is written.
 */
export class RefPlanner {
  constructor(
    private readonly deps: {
      repositories: RepositoryAccess;
      cache: ParseCache;
      fabrics: FabricAccess;
      planner: HeadPlanner;
    },
  ) {}

  /** Undefined for a fabric without a cluster. NotFoundError when the remote has no such ref. */
  async plan(fabric: FabricDefinition, target: PlanTarget): Promise<FabricPlan | undefined> {
    const ref = refOf(target);
    const evaluated = await this.deps.repositories.withRepo(fabric, async repo => {
      const remote = await repo.lsRemote([ref]);
      if (!remote.has(ref)) {
        throw new NotFoundError(
          'branch' in target
            ? `${fabric.git.url} has no branch ${target.branch}`
            : `${fabric.git.url} has no pull request #${target.pullRequest} (no ${ref}; pull request refs exist on GitHub and GitLab-style hosts)`,
        );
      }
      const fetched = await repo.fetch([ref], { scratch: [ref] });
      const commit = fetched.get(ref)!;
      const entries = await repo.listTree(commit, fabric.git.path);
      return evaluateTree(this.deps, repo, fabric, { commit, entries });
    });
    const plan = await this.deps.planner.plan(fabric, evaluated);
    return plan && { ...plan, target };
  }
}
