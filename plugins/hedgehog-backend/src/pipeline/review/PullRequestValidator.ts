import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ParseCache } from '../../gitops/ParseCache';
import { planIngestion } from '../../gitops/plan';
import { FabricAccess } from '../FabricAccess';
import { readParsed } from '../readParsed';
import { validatePlan } from '../stages/validate';
import { RepositoryAccess } from './RepositoryAccess';
import { statusDescription } from './pullRequestText';

export interface PullRequestValidatorDeps {
  access: RepositoryAccess;
  cache: ParseCache;
  logger: LoggerService;
  /** The fabric's validation context, as a sync of the pull request's head would use it. */
  fabrics: FabricAccess;
}

/**
 * Validation on pull requests: the head of a pull request into a fabric's branch
 * is planned and validated as a sync would (nothing is committed) and the verdict
 * is reported as the commit status `hedgehog/<fabric>`.
 */
export class PullRequestValidator {
  constructor(private readonly deps: PullRequestValidatorDeps) {}

  /** Returns `untouched` when the pull request does not change the fabric's directory. */
  async validate(fabric: FabricDefinition, payload: any): Promise<'reported' | 'untouched'> {
    const { access, logger } = this.deps;
    const ref = access.repoOf(fabric);
    if (!ref) throw new InputError(`fabric ${fabric.name} is not on a GitHub integration`);
    const pr = payload.pull_request;
    const client = await access.client(ref);
    const context = `hedgehog/${fabric.name}`;
    const targetUrl = access.fabricPageUrl(fabric);
    let head: string = pr.head.sha;
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
        const fetched = await repo.fetch([headRef, baseRef]);
        head = fetched.get(headRef)!;
        if (!(await repo.changesBelow(fetched.get(baseRef)!, head, fabric.git.path))) return undefined;
        const entries = await repo.listTree(head, fabric.git.path);
        const { parsed } = await readParsed(repo, this.deps.cache, entries);
        const plan = planIngestion({ fabricName: fabric.name, entries, parsed });
        // the same context a sync of this head would validate with: config, live objects, profiles
        const inputs = await this.deps.fabrics.validationInputs(fabric, plan.resources.map(r => r.object));
        return { findings: validatePlan(plan, inputs.options), resources: plan.resources.length };
      });
      if (!result) return 'untouched';
      const errors = result.findings.filter(f => f.severity === 'error').length;
      await client.setStatus(head, {
        state: errors > 0 ? 'failure' : 'success',
        context,
        description: statusDescription(result.findings, result.resources),
        targetUrl,
      });
      logger.info(`hedgehog: pull request #${pr.number} validated for ${fabric.name}: ${errors} error(s)`);
      return 'reported';
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // Best effort: tell the pull request why there is no verdict.
      await client
        .setStatus(head, { state: 'error', context, description: `could not validate: ${message}`, targetUrl })
        .catch(() => undefined);
      throw e;
    }
  }
}
