import { declaredKinds } from '../fabricScope';
import { GitWorkspace } from '../../git/GitWorkspace';
import { commitMessage } from '../../gitops/commitMessage';
import { planIngestionSliced } from '../../gitops/plan';
import { seedParseCache } from '../../gitops/seedCache';
import { TreeEntry } from '../../gitops/tree';
import { treeAfter } from '../../gitops/treeAfter';
import { ValidateFabricOptions } from '../../validation/validateFabric';
import { readParsed } from '../readParsed';
import { StageOutcome } from '../RunRecorder';
import { ImportRows, importBatch } from './importRows';
import { PushInFlight, commitAndPush } from './push';
import { Stage, StageResult } from './stage';
import { Checked, SyncContext, isEmptyPlan } from './syncContext';
import { validatePlanSliced } from './validate';

export interface CommitInput {
  workspace: GitWorkspace;
  checked: Checked;
  /** The first push, started beside validation (push mode). */
  early?: PushInFlight;
  /** What validation used: a re-plan on a moved head validates with the same. */
  validationOptions: ValidateFabricOptions;
  /** Validation failed: only the push already under way is recorded, nothing is planned again. */
  validationFailure?: { error: unknown };
}

/** What the import stage starts from. */
export interface Committed {
  /** The branch's head after the stage: the pushed commit, or the head planned on. */
  commitAfter: string | undefined;
  /** The plan and findings that were committed (planned again when the branch moved). */
  source: Checked;
  /** The fabric directory after the pushed commit, known without asking Git. */
  entries?: TreeEntry[];
  /** The import's rows, prepared while the push was under way. */
  importAhead?: Promise<ImportRows>;
}

/**
 * Writes the sync's one commit. Push mode: onto the fabric's branch; a rejected
 * push (the remote moved) is planned again on the new head and retried, up to
 * `maxPushAttempts`. Pull-request mode: onto the fabric's review branch, with one
 * pull request; the fabric's branch, and so what is imported, stays as it is.
 */
export const commitStage: Stage<SyncContext, CommitInput, Committed> = {
  name: 'commit',
  async run(ctx, input) {
    const mode = ctx.fabric.git.writeMode;
    if (mode === 'pull-request') return deliverForReview(ctx, input.checked);
    if (mode !== 'push') {
      throw new Error(`write mode "${mode}" is not supported by this version; use "push", "pull-request" or "none"`);
    }
    return pushToBranch(ctx, input);
  },
};

/** Records why a sync writes no commit; an outdated pull request of an earlier sync is closed. */
export async function recordNoCommit(ctx: SyncContext): Promise<void> {
  const mode = ctx.fabric.git.writeMode;
  let reason = 'nothing to commit';
  if (ctx.options.dryRun) reason = 'dry run: nothing is committed or imported';
  else if (mode === 'none') reason = 'write mode "none": the repository is only read';
  if (!ctx.options.dryRun && mode === 'pull-request' && ctx.review) {
    // An open pull request of an earlier sync would now propose an outdated change.
    const closed = await ctx.review.closeOutdated().catch(e => {
      ctx.logger.warn(`hedgehog: closing the outdated pull request of ${ctx.fabric.name} failed: ${e}`);
      return [];
    });
    if (closed.length > 0) reason += `; closed the outdated pull request ${closed.map(n => `#${n}`).join(', ')}`;
  }
  await ctx.recorder.skip(['commit'], reason);
}

async function pushToBranch(ctx: SyncContext, input: CommitInput): Promise<StageResult<Committed>> {
  const { workspace: ws, early, validationFailure } = input;
  let source = input.checked;
  for (let attempt = 1; ; attempt++) {
    const first = attempt === 1 ? early : undefined;
    // While the first push is under way: the tree after the commit and the import's rows.
    const ahead = first ? prepareImport(ctx, ws, source) : undefined;
    const { commit, pushed } = first
      ? await first.done
      : await commitAndPush(ws, source, ctx.fabric.name, { beforePush: () => ctx.recorder.throwIfLockLost('the push') });
    if (pushed === 'pushed') {
      const entries = ahead?.entries ?? treeAfter(source.entries, source.plan);
      ws.remember(commit, entries);
      seedParseCache(ctx.cache, source.plan, source.entries);
      const outcome: StageOutcome = {
        counts: {
          commits: 1,
          attempts: attempt,
          written: source.plan.writes.length,
          moved: source.plan.moves.length,
          deleted: source.plan.deletes.length,
        },
        ...(first ? { message: 'built and pushed while the validate stage ran' } : {}),
      };
      return { outcome, output: { commitAfter: commit, source, entries, importAhead: ahead?.batch } };
    }
    if (attempt >= ctx.maxPushAttempts) {
      throw new Error(
        `the push was rejected ${attempt} times because the branch ${ctx.fabric.git.branch} kept moving; the remote is unchanged and the next sync tries again`,
      );
    }
    if (validationFailure) throw validationFailure.error;
    const head = await ws.fetch();
    if (source.head && head && (await ws.sameFabricTree(source.head, head))) {
      // Another fabric of the branch (or a commit elsewhere in the repository) moved it: the
      // same change, validated as it is, goes onto the new head without planning again.
      ctx.logger.info(`push of fabric ${ctx.fabric.name} rejected (the branch moved outside the fabric's folder); committing again on the new head`);
      source = { ...source, head };
      continue;
    }
    ctx.logger.info(`push of fabric ${ctx.fabric.name} rejected (remote moved); planning again on the new head`);
    const entries = await ws.listTree(head);
    const { parsed } = await readParsed(ws, ctx.cache, entries);
    const plan = await planIngestionSliced({ fabricName: ctx.fabric.name, entries, parsed, declaredKinds: declaredKinds(ctx.fabric) });
    source = { head, entries, plan, findings: await validatePlanSliced(plan, input.validationOptions) };
    if (isEmptyPlan(plan)) {
      return { outcome: { counts: { commits: 0, attempts: attempt } }, output: { commitAfter: head, source } };
    }
  }
}

/**
 * What the import of a pushed commit needs, prepared while the push is under way
 * (used only once the push succeeded): the tree after the commit and the rows of
 * the import, which depend on the findings of validation.
 */
function prepareImport(ctx: SyncContext, ws: GitWorkspace, p: Checked) {
  const entries = treeAfter(p.entries, p.plan);
  const batch = importBatch(ws, ctx.store, ctx.fabric, p, entries, false);
  // awaited by the import stage if the push succeeds; otherwise not needed
  batch.catch(() => {});
  return { entries, batch };
}

/**
 * Write mode `pull-request`: the commit goes to the fabric's review branch with
 * one pull request; the fabric's branch, and so what is imported, stays as it is
 * until the user merges.
 */
async function deliverForReview(ctx: SyncContext, p: Checked): Promise<StageResult<Committed>> {
  if (!ctx.review) {
    throw new Error(
      `write mode "pull-request" needs a GitHub repository of integrations.github; ${ctx.fabric.git.url} is not one`,
    );
  }
  if (!p.head) {
    throw new Error(
      `write mode "pull-request" needs the branch ${ctx.fabric.git.branch} to exist as the base of the pull request; push a first commit to it`,
    );
  }
  const message = commitMessage(ctx.fabric.name, p.plan);
  const pr = await ctx.review.deliver({ base: p.head, plan: p.plan, message, findings: p.findings });
  // the fabric's branch still holds the files the commit removes: nothing is forgotten
  seedParseCache(ctx.cache, p.plan);
  return {
    outcome: {
      counts: {
        commits: pr.action === 'unchanged' ? 0 : 1,
        pullRequest: pr.number,
        written: p.plan.writes.length,
        moved: p.plan.moves.length,
        deleted: p.plan.deletes.length,
      },
      message: `pull request #${pr.number} ${pr.action} (branch ${pr.branch}, commit ${pr.commit.slice(0, 12)}): ${pr.url}`,
    },
    output: { commitAfter: p.head, source: p },
  };
}
