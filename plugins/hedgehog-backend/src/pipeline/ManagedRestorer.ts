import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { RestoreResult, shortCommit } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { HedgehogStore } from '../database/HedgehogStore';
import { restoreBranch, publicPull } from '../github/reviewBranches';
import { ManagedRestore, managedRestore, restoreCommitMessage } from '../gitops/restoreManaged';
import { TreeEntry } from '../gitops/tree';
import { treeAfter } from '../gitops/treeAfter';
import { RunCoordinator } from './RunCoordinator';
import { RepositoryAccess } from './review/RepositoryAccess';

export interface ManagedRestorerDeps {
  access: RepositoryAccess;
  store: HedgehogStore;
  /** Queues the restore run (write mode `push`). */
  runs: Pick<RunCoordinator, 'request'>;
  /**
   * What an apply of the restored fabric directory would do (a dry run's plan), from
   * its files after the restore; undefined without a cluster.
   */
  planRestored?(fabric: FabricDefinition, read: RestoredTree): Promise<Pick<RestoreResult, 'plan' | 'planError'>>;
}

/** The fabric directory after a restore, and where its blobs are read. */
export interface RestoredTree {
  /** The commit whose managed/ it holds. */
  commit: string;
  entries: TreeEntry[];
  readBlobs(ids: string[], maxBytes: number): Promise<{ blobs: Map<string, Buffer>; tooLarge: Map<string, number> }>;
}

/** A commit as a request names it: 7 to 64 hex digits. */
export const COMMIT_PATTERN = /^[0-9a-f]{7,64}$/i;

/**
 * Restore from the run history (`POST /fabrics/:fabric/restore`): makes the fabric's
 * `managed/` what it was at one of its synced commits, other folders untouched. A
 * dry run says which files change and, with a cluster, what the apply would then
 * do. In write mode `push` the commit is made by a run of type `restore` (under the
 * fabric's run lock, then a sync: validation, import, apply and drift as usual); in
 * write mode `pull-request` it goes to a branch of its own with a pull request.
 */
export class ManagedRestorer {
  constructor(private readonly deps: ManagedRestorerDeps) {}

  async restore(
    fabric: FabricDefinition,
    requested: string,
    options: { dryRun?: boolean; requestedBy?: string } = {},
  ): Promise<RestoreResult> {
    const writeMode = fabric.git.writeMode;
    if (writeMode === 'none') {
      throw new ConflictError(`fabric ${fabric.name} has write mode "none": its repository is only read, so nothing can be restored into it`);
    }
    const commit = await this.syncedCommit(fabric, requested);
    const dryRun = Boolean(options.dryRun);
    const { access } = this.deps;
    const baseRef = `refs/heads/${fabric.git.branch}`;
    const seen = await access.withRepo(fabric, async repo => {
      const remote = await repo.lsRemote([baseRef]);
      if (!remote.has(baseRef)) throw new ConflictError(`the branch ${fabric.git.branch} of ${fabric.git.url} does not exist`);
      const head = (await repo.fetch([baseRef])).get(baseRef)!;
      if (!(await repo.has(commit))) {
        throw new ConflictError(`commit ${shortCommit(commit)} is no longer in the history of branch ${fabric.git.branch} (was it rewritten?); it cannot be restored`);
      }
      const [current, target] = await Promise.all([repo.listTree(head, fabric.git.path), repo.listTree(commit, fabric.git.path)]);
      const restored = managedRestore(current, target);
      const planned = dryRun && this.deps.planRestored
        ? await this.deps.planRestored(fabric, { commit, entries: treeAfter(current, restored.change), readBlobs: (ids, max) => repo.readBlobs(ids, max) })
        : {};
      return { head, restored, planned };
    });
    const { head, restored } = seen;
    const result: RestoreResult = {
      fabric: fabric.name,
      commit,
      head,
      writeMode,
      dryRun,
      changed: restored.files.length > 0,
      files: restored.files,
      ...seen.planned,
    };
    if (dryRun || !result.changed) return result;
    if (writeMode === 'push') {
      const { runId } = await this.deps.runs.request({
        fabric: fabric.name,
        type: 'restore',
        trigger: 'api',
        requestedBy: options.requestedBy,
        options: { commit },
      });
      return { ...result, runId };
    }
    return { ...result, pullRequest: await this.pullRequest(fabric, commit, head, restored, options.requestedBy) };
  }

  /** The full commit a request names: one of the fabric's synced commits (400 when ambiguous, 404 when none). */
  private async syncedCommit(fabric: FabricDefinition, requested: string): Promise<string> {
    if (!COMMIT_PATTERN.test(requested)) {
      throw new InputError(`"${requested}" is not a commit: give its sha, full or abbreviated (7 to 64 hex digits)`);
    }
    const found = await this.deps.store.syncedCommits(fabric.name, requested.toLowerCase(), 2);
    if (found.length > 1) throw new InputError(`commit ${requested} is ambiguous among the synced commits of fabric ${fabric.name}; give more of its sha`);
    if (found.length === 0) {
      throw new NotFoundError(`commit ${requested} is not a synced commit of fabric ${fabric.name} (one a sync run of its history recorded)`);
    }
    return found[0];
  }

  /** Write mode `pull-request`: the restore's commit on its own branch, with its pull request. */
  private async pullRequest(fabric: FabricDefinition, commit: string, head: string, restored: ManagedRestore, requestedBy?: string) {
    const { access } = this.deps;
    const ref = access.repoOf(fabric);
    if (!ref) {
      throw new ConflictError(`write mode "pull-request" needs a GitHub repository of integrations.github; ${fabric.git.url} is not one`);
    }
    const client = await access.client(ref);
    await client.repository();
    const message = restoreCommitMessage(fabric.name, commit, restored.files, requestedBy);
    const branch = restoreBranch(fabric.name, commit);
    await access.pushReviewCommit(fabric, branch, head, restored.change, message, client);
    const [title, ...body] = message.split('\n');
    const page = access.fabricPageUrl(fabric);
    const text = { title, body: [...body, ...(page ? [`The fabric in Backstage: ${page}`, ''] : [])].join('\n').trim() };
    const pr = await access.ensurePullRequest(client, fabric, branch, text);
    return publicPull(fabric, pr.info);
  }
}
