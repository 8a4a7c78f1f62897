import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Finding,
  RunError,
  RunStatus,
  SYNC_STAGES,
} from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { HedgehogStore } from '../database/HedgehogStore';
import { GitWorkspace } from '../git/GitWorkspace';
import { commitMessage } from '../gitops/commitMessage';
import { ParseCache } from '../gitops/ParseCache';
import { IngestPlan, planIngestion } from '../gitops/plan';
import { TreeEntry } from '../gitops/tree';
import { seedParseCache } from '../gitops/seedCache';
import { treeAfter } from '../gitops/treeAfter';
import { validateFabricCached as validateFabric } from '../validation/ValidationCache';
import { ValidateFabricOptions } from '../validation/validateFabric';
import type { ValidationInputs } from '../cluster/validationContext';
import { ImportRows, importBatch } from './importBatch';
import { readParsed } from './readParsed';
import { RunRecorder, StageOutcome, StopRun } from './RunRecorder';

export interface SyncContext {
  fabric: FabricDefinition;
  store: HedgehogStore;
  workspace: () => Promise<GitWorkspace>;
  cache: ParseCache;
  recorder: RunRecorder;
  logger: LoggerService;
  options: { dryRun?: boolean; force?: boolean };
  maxPushAttempts: number;
  /**
   * The fabric's FabricConfig, and with a cluster the live objects and SwitchProfiles,
   * for the validate stage (default: none, hhfab's defaults, offline).
   */
  validationInputs?: (objects: Array<Record<string, unknown>>) => Promise<ValidationInputs>;
  /** Delivers the commit as a pull request (write mode `pull-request`). */
  review?: ReviewDelivery;
}

/**
 * Write mode `pull-request`: the sync's single commit goes to a review branch of
 * the fabric, with one pull request, instead of onto the fabric's branch.
 */
export interface ReviewDelivery {
  /** Pushes the commit of `change` on top of `base` to the review branch; opens or updates its pull request. */
  deliver(input: {
    base: string;
    plan: IngestPlan;
    message: string;
    findings: Finding[];
  }): Promise<{ number: number; url: string; branch: string; commit: string; action: 'opened' | 'updated' | 'unchanged' }>;
  /** Closes the open pull request of the fabric's review branch (its change is no longer needed); returns the numbers closed. */
  closeOutdated(): Promise<number[]>;
}

export interface SyncResult {
  status: RunStatus;
  /** Whether the import stage ran (the desired state may have changed). */
  imported: boolean;
  commitBefore?: string;
  commitAfter?: string;
  findings: Finding[];
}

interface Prepared {
  head: string | undefined;
  entries: TreeEntry[];
  plan: IngestPlan;
  findings: Finding[];
}

/**
 * One sync of a fabric: fetch, plan, ingest, validate, commit & push, import
 * (DESIGN.md section 5). Each stage is recorded on the run as it happens.
 */
export async function syncFabric(ctx: SyncContext): Promise<SyncResult> {
  const { recorder, store, fabric } = ctx;
  let ws: GitWorkspace;
  let head: string | undefined;

  await recorder.stage('fetch', async (): Promise<StageOutcome> => {
    ws = await ctx.workspace();
    const fetched = await ws.fetchBranch();
    head = fetched.head;
    if (!fetched.rewritten) return { counts: { branchExists: head ? 1 : 0 } };
    const message = `the history of branch ${fabric.git.branch} was rewritten (a force-push): commits seen before are no longer in it; this sync follows the new history${head ? ` at ${head.slice(0, 12)}` : ''}`;
    ctx.logger.warn(`hedgehog: fabric ${fabric.name}: ${message}`);
    return { counts: { branchExists: head ? 1 : 0, rewritten: 1 }, message };
  });
  const commitBefore = head;

  let prepared: Prepared | undefined;
  try {
    await recorder.stage('plan', async () => {
      const state = await store.getFabricState(fabric.name);
      if (head && head === state?.lastSyncedCommit && !ctx.options.force) {
        throw new StopRun(`nothing changed since commit ${head.slice(0, 12)}`);
      }
      let entries: TreeEntry[] | undefined;
      const last = state?.lastSyncedCommit;
      if (head && last && !ctx.options.force) {
        // What changed since the last sync (from the trees that differ), when its listing is remembered.
        const since = await ws.listTreeSince(last, head);
        // The branch moved (e.g. commits of other fabrics of the repository) but not this fabric's directory.
        if (since === 'same' || (!since && (await ws.sameFabricTree(last, head)))) {
          throw new StopRun(`nothing changed in the fabric directory since commit ${last.slice(0, 12)}`);
        }
        entries = since || undefined;
      }
      entries ??= await ws.listTree(head);
      const { parsed, read } = await readParsed(ws, ctx.cache, entries);
      prepared = { head, entries, plan: planIngestion({ fabricName: fabric.name, entries, parsed }), findings: [] };
      return { counts: { files: entries.length, filesRead: read } };
    });
  } catch (e) {
    if (e instanceof StopRun) {
      await recorder.skip(SYNC_STAGES, e.reason);
      return { status: 'succeeded', imported: false, commitBefore, commitAfter: commitBefore, findings: [] };
    }
    throw e;
  }

  await recorder.stage('ingest', async () => ingestOutcome(prepared!.plan));

  let commitAfter = head;
  let committedEntries: TreeEntry[] | undefined;
  let importAhead: Promise<ImportRows> | undefined;
  const writeMode = fabric.git.writeMode;
  const commits = !ctx.options.dryRun && writeMode !== 'none' && !isEmpty(prepared!.plan);
  // In push mode the commit does not depend on the findings: it is built and pushed
  // while validation runs, which then holds the event loop only while git works.
  const early = commits && writeMode === 'push' ? startPush(ws!, prepared!, fabric.name) : undefined;

  let validationOptions: ValidateFabricOptions = {};
  const validated = recorder.stage('validate', async () => {
    const inputs = await ctx.validationInputs?.(prepared!.plan.resources.map(r => r.object));
    if (early) await early.started;
    validationOptions = inputs?.options ?? {};
    prepared!.findings = validate(prepared!.plan, validationOptions);
    return validateOutcome(prepared!.findings, inputs);
  });
  // A failed validation still records what became of a push already under way.
  const validationFailure = await validated.then(
    () => undefined,
    (e: unknown) => ({ error: e }),
  );
  if (validationFailure && !early) throw validationFailure.error;

  if (!commits) {
    let reason = 'nothing to commit';
    if (ctx.options.dryRun) reason = 'dry run: nothing is committed or imported';
    else if (writeMode === 'none') reason = 'write mode "none": the repository is only read';
    if (!ctx.options.dryRun && writeMode === 'pull-request' && ctx.review) {
      // An open pull request of an earlier sync would now propose an outdated change.
      const closed = await ctx.review.closeOutdated().catch(e => {
        ctx.logger.warn(`hedgehog: closing the outdated pull request of ${fabric.name} failed: ${e}`);
        return [];
      });
      if (closed.length > 0) reason += `; closed the outdated pull request ${closed.map(n => `#${n}`).join(', ')}`;
    }
    await recorder.skip(['commit'], reason);
  } else {
    await recorder.stage('commit', async (): Promise<StageOutcome> => {
      if (writeMode === 'pull-request') return deliverForReview(ctx, prepared!);
      if (writeMode !== 'push') {
        throw new Error(`write mode "${writeMode}" is not supported by this version; use "push", "pull-request" or "none"`);
      }
      for (let attempt = 1; ; attempt++) {
        const p = prepared!;
        const first = attempt === 1 ? early : undefined;
        // While the first push is under way: the tree after the commit and the import's rows.
        const ahead = first ? prepareImport(ctx, ws, p) : undefined;
        const { commit, pushed } = first ? await first.done : await commitAndPush(ws, p, fabric.name);
        if (pushed === 'pushed') {
          commitAfter = commit;
          committedEntries = ahead?.entries ?? treeAfter(p.entries, p.plan);
          importAhead = ahead?.batch;
          ws.remember(commit, committedEntries);
          seedParseCache(ctx.cache, p.plan, p.entries);
          return {
            counts: {
              commits: 1,
              attempts: attempt,
              written: p.plan.writes.length,
              moved: p.plan.moves.length,
              deleted: p.plan.deletes.length,
            },
            ...(attempt === 1 && early ? { message: 'built and pushed while the validate stage ran' } : {}),
          };
        }
        if (attempt >= ctx.maxPushAttempts) {
          throw new Error(
            `the push was rejected ${attempt} times because the branch ${fabric.git.branch} kept moving; the remote is unchanged and the next sync tries again`,
          );
        }
        if (validationFailure) throw validationFailure.error;
        ctx.logger.info(`push of fabric ${fabric.name} rejected (remote moved); planning again on the new head`);
        const newHead = await ws.fetch();
        const entries = await ws.listTree(newHead);
        const { parsed } = await readParsed(ws, ctx.cache, entries);
        const plan = planIngestion({ fabricName: fabric.name, entries, parsed });
        prepared = { head: newHead, entries, plan, findings: validate(plan, validationOptions) };
        if (isEmpty(plan)) {
          commitAfter = newHead;
          return { counts: { commits: 0, attempts: attempt } };
        }
      }
    });
    if (validationFailure) throw validationFailure.error;
  }

  if (ctx.options.dryRun) {
    await recorder.skip(['import'], 'dry run: nothing is committed or imported');
  } else {
    await recorder.stage('import', async () => {
      // The tree of the commit this sync made is known without asking Git again.
      const entries =
        commitAfter === prepared!.head ? prepared!.entries : committedEntries ?? (await ws.listTree(commitAfter));
      // Only push mode changes the fabric's branch; otherwise only what it holds is imported.
      const batch = await (importAhead ?? importBatch(ws, store, fabric, prepared!, entries, writeMode !== 'push'));
      const result = await store.importState(fabric.name, { ...batch, commit: commitAfter });
      return {
        counts: {
          resources: batch.resources.length,
          unmanaged: batch.unmanaged.length,
          upserted: result.upserted,
          deleted: result.deleted,
        },
      };
    });
  }

  const findings = prepared!.findings;
  const errors = findings.filter(f => f.severity === 'error').length;
  return {
    status: errors > 0 ? 'partial' : 'succeeded',
    imported: !ctx.options.dryRun,
    commitBefore,
    commitAfter,
    findings,
  };
}

interface PushAttempt {
  commit: string;
  pushed: 'pushed' | 'rejected';
}

/** Builds the plan's commit on the prepared head and pushes it; `onPushing` once the push is under way. */
async function commitAndPush(ws: GitWorkspace, p: Prepared, fabricName: string, onPushing?: () => void): Promise<PushAttempt> {
  const commit = await ws.commit(p.head, p.plan, commitMessage(fabricName, p.plan));
  const push = ws.push(commit);
  onPushing?.();
  return { commit, pushed: await push };
}

/**
 * What the import of a pushed commit of `p` needs, prepared while the push is
 * under way (it is used only once the push succeeded): the tree after the commit
 * and the rows of the import, which depend on the findings of validation.
 */
function prepareImport(ctx: SyncContext, ws: GitWorkspace, p: Prepared) {
  const entries = treeAfter(p.entries, p.plan);
  const batch = importBatch(ws, ctx.store, ctx.fabric, p, entries, false);
  // awaited by the import stage if the push succeeds; otherwise not needed
  batch.catch(() => {});
  return { entries, batch };
}

/**
 * Starts the first commit and push: `started` settles once the push is under way
 * (or the commit failed), `done` with the push's outcome.
 */
function startPush(ws: GitWorkspace, p: Prepared, fabricName: string) {
  let pushing!: () => void;
  const started = new Promise<void>(resolve => {
    pushing = resolve;
  });
  const done = commitAndPush(ws, p, fabricName, pushing).finally(pushing);
  // awaited by the commit stage; until then a failure must not count as unhandled
  done.catch(() => {});
  return { started, done };
}

/**
 * Write mode `pull-request`: the commit goes to the fabric's review branch with
 * one pull request; the fabric's branch, and so what is imported, stays as it is
 * until the user merges.
 */
async function deliverForReview(ctx: SyncContext, p: Prepared): Promise<StageOutcome> {
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
    counts: {
      commits: pr.action === 'unchanged' ? 0 : 1,
      pullRequest: pr.number,
      written: p.plan.writes.length,
      moved: p.plan.moves.length,
      deleted: p.plan.deletes.length,
    },
    message: `pull request #${pr.number} ${pr.action} (branch ${pr.branch}, commit ${pr.commit.slice(0, 12)}): ${pr.url}`,
  };
}

export function validate(plan: IngestPlan, options: ValidateFabricOptions = {}): Finding[] {
  return [
    ...plan.findings,
    // Every resource is validated where it lives now: its managed file (raw-ingested
    // ones too), document 0, so that findings attach to the resource on import.
    ...validateFabric(plan.resources.map(r => ({ file: r.gitPath, document: 0, object: r.object })), options).findings,
  ];
}

function isEmpty(plan: IngestPlan): boolean {
  return plan.writes.length === 0 && plan.moves.length === 0 && plan.deletes.length === 0;
}

function ingestOutcome(plan: IngestPlan) {
  const errors: RunError[] = plan.conflicts.map(c => ({
    message: c.message,
    file: c.files[0],
    path: 'metadata.name',
  }));
  return { counts: { ...plan.counts, resources: plan.resources.length, conflicts: plan.conflicts.length }, errors };
}

function validateOutcome(findings: Finding[], inputs?: ValidationInputs) {
  const errors = findings.filter(f => f.severity === 'error');
  return {
    // what validation used (config source, live objects, profiles) or why it ran offline
    message: inputs?.notes.join('; ') || undefined,
    counts: { errors: errors.length, warnings: findings.length - errors.length, ...inputs?.counts, ...(inputs?.offline ? { offline: 1 } : {}) },
    errors: errors.slice(0, 200).map(f => ({ message: f.message, file: f.file, document: f.document, path: f.path })),
  };
}
