import { NotFoundError } from '@backstage/errors';
import { ResourceHistory, commitUrl } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { HedgehogStore } from '../database/HedgehogStore';
import { GitCredentialsResolver } from '../git/credentials';
import { GitCommandError } from '../git/runGit';
import { FabricAccess } from './FabricAccess';

/** The most bytes of one commit's diff in a history, and of all its diffs. */
export const HISTORY_MAX_DIFF_BYTES = 16 * 1024;
export const HISTORY_MAX_BYTES = 256 * 1024;

/**
 * A resource's history in Git (`GET /fabrics/:fabric/resources/:kind/:name/history`):
 * the commits that changed its managed file, from the fabric's last imported commit
 * back, newest first, following renames, each with its diff of the file (bounded) and
 * a link to the commit on GitHub or GitLab. Read from the fabric's cached clone.
 */
export class ResourceHistoryReader {
  constructor(
    private readonly deps: { store: HedgehogStore; access: FabricAccess; credentials: GitCredentialsResolver },
  ) {}

  async read(fabric: FabricDefinition, kind: string, name: string, limit: number): Promise<ResourceHistory> {
    const { store, access, credentials } = this.deps;
    const resource = await store.getResource(fabric.name, kind, name);
    if (!resource) throw new NotFoundError(`No ${kind} named ${name} in fabric ${fabric.name}`);
    const commit = (await store.getFabricState(fabric.name))?.lastSyncedCommit;
    // an object only the cluster holds has no file in Git
    if (!resource.gitPath || !commit) return { items: [], more: false };
    const ws = await access.openWorkspace(fabric, await credentials.forUrl(fabric.git.url));
    const bounds = { limit, maxDiffBytes: HISTORY_MAX_DIFF_BYTES, maxBytes: HISTORY_MAX_BYTES };
    const history = await ws.fileHistory(commit, resource.gitPath, bounds).catch(async e => {
      // a clone made again since the import lacks the commit until it fetches
      if (!(e instanceof GitCommandError)) throw e;
      await ws.fetch();
      return ws.fileHistory(commit, resource.gitPath, bounds);
    });
    return {
      items: history.entries.map(e => {
        const url = commitUrl(fabric.git.url, e.commit);
        return {
          commit: e.commit,
          author: e.author,
          date: e.date,
          message: e.message,
          path: e.path,
          changes: e.diff,
          ...(e.truncated ? { truncated: true } : {}),
          ...(url ? { url } : {}),
        };
      }),
      more: history.more,
    };
  }
}
