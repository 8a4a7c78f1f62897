import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  AdoptResult,
  classifyDocument,
  describeKindScope,
  outOfScopeMessage,
  DRIFT_STATUS_WORDS,
  DriftStatus,
  findKind,
  HedgehogKind,
} from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { HedgehogStore } from '../database/HedgehogStore';
import { comparableObject } from '../drift/normalizeObject';
import { ownedElsewhere, ownedElsewhereMessage } from '../drift/ownership';
import { BranchRepository } from '../git/BranchRepository';
import { TreeChange } from '../git/GitWorkspace';
import { adoptBranchPrefix, publicPull } from '../github/reviewBranches';
import { managedPath } from '../gitops/layout';
import { canonicalResource, renderResource, sourceOf } from '../gitops/normalize';
import { validateFabric } from '../validation/validateFabric';
import { adoptPullRequestText } from './review/pullRequestText';
import { FabricAccess } from './FabricAccess';
import { fabricScope } from './fabricScope';
import { RunCoordinator } from './RunCoordinator';
import { RepositoryAccess } from './review/RepositoryAccess';

/** Why a resource of a drift status has nothing to adopt, where the status alone does not say. */
const NOTHING_TO_ADOPT: Partial<Record<DriftStatus, string>> = {
  in_sync: 'nothing to adopt',
  missing_in_cluster: 'nothing to adopt',
  owned_elsewhere: 'another fabric applied it; only that fabric can adopt it',
  unknown: 'no drift check has read it from the cluster yet',
};

/** A drift status in words, for the refusal of an adoption. */
function driftInWords(status: DriftStatus): string {
  const why = NOTHING_TO_ADOPT[status];
  return why ? `${DRIFT_STATUS_WORDS[status]} (${why})` : DRIFT_STATUS_WORDS[status];
}

export type { AdoptResult } from '@fabric-gitops/plugin-hedgehog-common';

export interface ResourceAdopterDeps {
  access: RepositoryAccess;
  store: HedgehogStore;
  /** Queues the sync that imports an adopted commit (push mode). */
  runs: Pick<RunCoordinator, 'request'>;
  maxPushAttempts: number;
  /** The fabric's cluster, read again before an adoption to check whose object it is now. */
  clusters?: Pick<FabricAccess, 'clusterClient'>;
}

/**
 * Adopt into Git: writes the cluster's value of a drifted resource (or of an
 * object only in the cluster), normalized, into its managed file and delivers it
 * by the fabric's write mode — a pull request (pull-request) or a commit (push).
 * Only ever on an explicit request.
 */
export class ResourceAdopter {
  constructor(private readonly deps: ResourceAdopterDeps) {}

  async adopt(fabric: FabricDefinition, kind: string, name: string, requestedBy?: string): Promise<AdoptResult> {
    const { access, store } = this.deps;
    const writeMode = fabric.git.writeMode;
    if (writeMode === 'none') {
      throw new ConflictError(`fabric ${fabric.name} has write mode "none": its repository is only read, so nothing can be adopted into it`);
    }
    const kindDef = findKind(kind);
    if (!kindDef) throw new InputError(`"${kind}" is not one of the managed kinds`);
    // A kind outside the fabric's scope lives elsewhere (e.g. wiring the installer made): never written into this fabric.
    const scope = fabricScope(fabric, await store.getFabricState(fabric.name));
    if (!scope.kinds.includes(kind)) {
      throw new ConflictError(`${kind} ${name} cannot be adopted: ${outOfScopeMessage(kind)} (its kinds: ${describeKindScope(scope.setting)}, from ${scope.from})`);
    }
    const resource = await store.getResource(fabric.name, kind, name);
    if (!resource) throw new NotFoundError(`No ${kind} named ${name} in fabric ${fabric.name}`);
    // Also when the drift status is older than the label: the live object as last read, and as it is now.
    const owner = ownedElsewhere(resource.live, fabric.name) ?? (await this.ownerNow(fabric, kindDef, name));
    if (owner) {
      throw new ConflictError(`${kind} ${name} cannot be adopted: ${ownedElsewhereMessage(kind, name, owner, fabric.name)}`);
    }
    const status = resource.drift.status;
    if (status !== 'drifted' && status !== 'orphaned_in_cluster') {
      throw new ConflictError(`${kind} ${name} cannot be adopted: its drift status is ${driftInWords(status)}; only a drifted resource or an object found only in the cluster can be adopted`);
    }
    if (!resource.live) throw new ConflictError(`the cluster's value of ${kind} ${name} is not known; run a drift check first`);

    const cls = classifyDocument(comparableObject(resource.live));
    if (cls.type !== 'managed') {
      throw new ConflictError(`the cluster's value of ${kind} ${name} cannot be adopted: ${cls.type === 'unmanaged' ? cls.message : 'it is empty'}`);
    }
    const desired = resource.desired ?? undefined;
    const canonical = canonicalResource(cls, desired ? sourceOf(desired) : undefined);
    const gitPath = desired && resource.gitPath ? resource.gitPath : managedPath(kindDef, name);
    const content = renderResource(canonical);
    const context = (await store.listDesired(fabric.name))
      .filter(d => !(d.kind === kind && d.name === name))
      .map(d => d.object);
    const findings = validateFabric([{ file: gitPath, document: 0, object: canonical }], { context }).findings;
    const message = [
      `hedgehog(${fabric.name}): adopt ${kind} ${name} from the cluster`,
      '',
      `Writes the live value of ${kind} ${name}${fabric.cluster ? ` in cluster ${fabric.cluster}` : ''} into ${gitPath}`,
      'without status, server-set metadata and webhook-computed labels.',
      ...(requestedBy ? ['', `Requested in Backstage by ${requestedBy}.`] : []),
      '',
    ].join('\n');
    const change: TreeChange = { writes: [{ path: gitPath, content }], moves: [], deletes: [] };
    const result: AdoptResult = { fabric: fabric.name, kind, name, gitPath, writeMode, changed: false };
    const file = { gitPath, content, isNew: desired === undefined };

    if (writeMode === 'push') {
      const commit = await this.commitToBranch(fabric, file, change, message);
      if (!commit) return result;
      const { runId } = await this.deps.runs.request({ fabric: fabric.name, type: 'sync', trigger: 'api', requestedBy, options: {} });
      return { ...result, changed: true, commit, runId };
    }

    const ref = access.repoOf(fabric);
    if (!ref) {
      throw new ConflictError(`write mode "pull-request" needs a GitHub repository of integrations.github; ${fabric.git.url} is not one`);
    }
    const client = await access.client(ref);
    await client.repository();
    const branch = `${adoptBranchPrefix(fabric.name)}${kind.toLowerCase()}-${name}`;
    const baseRef = `refs/heads/${fabric.git.branch}`;
    const base = await access.withRepo(fabric, async repo => {
      const head = await fetchBranch(repo, fabric, baseRef);
      return (await holds(repo, fabric, head, file)) ? undefined : head;
    });
    if (!base) return result;
    const pushed = await access.pushReviewCommit(fabric, branch, base, change, message, client);
    const text = adoptPullRequestText({ fabric, kind, name, gitPath, differences: resource.differences, requestedBy, findings });
    const pr = await access.ensurePullRequest(client, fabric, branch, text);
    return { ...result, changed: true, commit: pushed.commit, pullRequest: publicPull(fabric, pr.info) };
  }

  /**
   * The other fabric whose label the object carries in the cluster now, if any. An
   * unreachable cluster leaves the check to the object as the last drift check read it.
   */
  private async ownerNow(fabric: FabricDefinition, kind: HedgehogKind, name: string): Promise<string | undefined> {
    const client = this.deps.clusters?.clusterClient(fabric);
    if (!client) return undefined;
    const live = await client.get(kind, name).catch(() => undefined);
    return ownedElsewhere(live, fabric.name);
  }

  /** Push mode: one commit on the fabric's branch, re-built on the new head when the push is rejected. */
  private async commitToBranch(fabric: FabricDefinition, file: AdoptedFile, change: TreeChange, message: string) {
    const baseRef = `refs/heads/${fabric.git.branch}`;
    return this.deps.access.withRepo(fabric, async repo => {
      for (let attempt = 1; ; attempt++) {
        const head = await fetchBranch(repo, fabric, baseRef);
        if (await holds(repo, fabric, head, file)) return undefined;
        const commit = await repo.commit(head, fabric.git.path, change, message);
        if ((await repo.push(commit, fabric.git.branch)) === 'pushed') return commit;
        if (attempt >= this.deps.maxPushAttempts) {
          throw new ConflictError(`the branch ${fabric.git.branch} kept moving; nothing was adopted, try again`);
        }
      }
    });
  }
}

interface AdoptedFile {
  gitPath: string;
  content: string;
  /** The resource has no managed file yet. */
  isNew: boolean;
}

async function fetchBranch(repo: BranchRepository, fabric: FabricDefinition, baseRef: string): Promise<string> {
  const remote = await repo.lsRemote([baseRef]);
  if (!remote.has(baseRef)) throw new ConflictError(`the branch ${fabric.git.branch} of ${fabric.git.url} does not exist`);
  return (await repo.fetch([baseRef])).get(baseRef)!;
}

/**
 * Whether the fabric's branch already holds exactly this file; throws when a new
 * resource's file is taken by something else.
 */
async function holds(repo: BranchRepository, fabric: FabricDefinition, head: string, file: AdoptedFile) {
  const entry = (await repo.listTree(head, fabric.git.path)).find(e => e.path === file.gitPath);
  if (!entry) return false;
  // a file of another size cannot hold the content, and is not read (it may be huge)
  const bytes = (await repo.readBlobs([entry.blobId], Buffer.byteLength(file.content, 'utf8'))).blobs.get(entry.blobId);
  if (bytes?.toString('utf8') === file.content) return true;
  if (file.isNew) throw new ConflictError(`${file.gitPath} already exists in fabric ${fabric.name}; sync first, then adopt`);
  return false;
}
