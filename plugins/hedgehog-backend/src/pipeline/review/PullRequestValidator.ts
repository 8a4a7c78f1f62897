import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { countFindings } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { FabricAccess } from '../FabricAccess';
import { ParseCache } from '../../gitops/ParseCache';
import { RepositoryAccess } from './RepositoryAccess';
import { EvaluationStep, evaluateTree } from './evaluateTree';
import { statusDescription } from './pullRequestText';
import { HeadPlanner } from './HeadPlanner';
import { postPlanComment } from './planComment';

export interface PullRequestValidatorDeps {
  access: RepositoryAccess;
  cache: ParseCache;
  logger: LoggerService;
  /** The fabric's validation context, as a sync of the pull request's head would use it. */
  fabrics: FabricAccess;
  /** The plan of an apply of the head, posted as the pull request's plan comment (fabrics with a cluster). */
  planner?: HeadPlanner;
}

/**
 * Validation on pull requests: the head of a pull request into a fabric's branch
 * is planned and validated as a sync would (nothing is committed) and the verdict
 * is reported as the commit status `hedgehog/<fabric>`. For a fabric with a cluster,
 * what an apply of the head would do is one comment on the pull request, updated in
 * place as commits arrive (see PlanComment).
 */
export class PullRequestValidator {
  constructor(private readonly deps: PullRequestValidatorDeps) {}

  /**
   * Returns `untouched` when the pull request does not change the fabric's directory,
   * else the errors the validation found (the commit status says `failure` when there are any).
   */
  async validate(fabric: FabricDefinition, payload: any): Promise<'untouched' | { errors: number }> {
    const { access, logger } = this.deps;
    const ref = access.repoOf(fabric);
    if (!ref) throw new InputError(`fabric ${fabric.name} is not on a GitHub integration`);
    const pr = payload.pull_request;
    const client = await access.client(ref);
    const context = `hedgehog/${fabric.name}`;
    const targetUrl = access.fabricPageUrl(fabric);
    let head: string = pr.head.sha;
    // what was under way, for a status that says what failed without internal text
    let step: ValidationStep = 'git';
    try {
      const result = await access.withRepo(fabric, async repo => {
        const pullRef = `refs/pull/${pr.number}/head`;
        const branchRef = `refs/heads/${pr.head.ref}`;
        const baseRef = `refs/heads/${fabric.git.branch}`;
        const sameRepo = String(pr.head?.repo?.full_name ?? '').toLowerCase() === String(payload.repository?.full_name ?? '').toLowerCase();
        const remote = await repo.lsRemote(sameRepo ? [pullRef, branchRef, baseRef] : [pullRef, baseRef]);
        // GitHub's pull ref; the head branch itself where the server has none.
        const headRef = [pullRef, branchRef].find(r => remote.has(r));
        if (!headRef) throw new Error(`the head of pull request #${pr.number} cannot be fetched (no ${pullRef})`);
        if (!remote.has(baseRef)) throw new Error(`the branch ${fabric.git.branch} does not exist`);
        // the head is a scratch ref, deleted after this use
        const fetched = await repo.fetch([headRef, baseRef], { scratch: [headRef] });
        head = fetched.get(headRef)!;
        if (!(await repo.changesBelow(fetched.get(baseRef)!, head, fabric.git.path))) return undefined;
        const entries = await repo.listTree(head, fabric.git.path);
        return evaluateTree(this.deps, repo, fabric, { commit: head, entries }, next => {
          step = next;
        });
      });
      if (!result) return 'untouched';
      step = 'status';
      const { errors } = countFindings(result.findings);
      await client.setStatus(head, {
        state: errors > 0 ? 'failure' : 'success',
        context,
        description: statusDescription(result.findings, result.plan.resources.length),
        targetUrl,
      });
      logger.info(`hedgehog: pull request #${pr.number} validated for ${fabric.name}: ${errors} error(s)`);
      if (this.deps.planner) {
        await postPlanComment({ planner: this.deps.planner, client, fabric, number: pr.number, head, result, portalUrl: targetUrl, logger });
      }
      return { errors };
    } catch (e) {
      // Best effort: tell the pull request there is no verdict, in general words (the
      // error's own text names hosts, URLs and git's output: it stays in the backend's log).
      if (step !== 'status') {
        await client
          .setStatus(head, { state: 'error', context, description: failureDescription(step), targetUrl })
          .catch(() => undefined);
      }
      throw e;
    }
  }
}

/** The steps of a validation, for the status of one that failed. */
type ValidationStep = 'git' | EvaluationStep | 'status';

const STEP_FAILED: Record<Exclude<ValidationStep, 'status'>, string> = {
  git: 'reading the pull request from Git failed',
  plan: 'reading the fabric files failed',
  context: "reading the fabric's validation context failed",
  validate: 'validation failed with an internal error',
};

/** A commit status description (at most 140 characters) for a validation that failed: what failed, no internal text. */
export function failureDescription(step: Exclude<ValidationStep, 'status'>): string {
  return `Hedgehog could not validate this: ${STEP_FAILED[step]}; the Backstage backend's log has the details.`;
}
