import { shortCommit } from '@fabric-gitops/plugin-hedgehog-common';
import { managedRestore, restoreCommitMessage } from '../../gitops/restoreManaged';
import { Fetched } from './fetch';
import { Stage } from './stage';
import { SyncContext } from './syncContext';

/**
 * A restore run's own stage, after the fetch (write mode `push`): one commit that
 * makes `managed/` what it was at the restored commit (other folders untouched),
 * pushed to the fabric's branch under the run's lock; a rejected push is computed
 * again on the new head. The sync's stages then go on from the new head. When
 * `managed/` already is the commit's, nothing is committed.
 */
export const restoreStage: Stage<SyncContext, Fetched, Fetched> = {
  name: 'restore',
  async run(ctx, fetched) {
    const { fabric } = ctx;
    const restore = ctx.restore;
    if (!restore) throw new Error('a restore run without the commit to restore');
    if (fabric.git.writeMode !== 'push') {
      throw new Error(`fabric ${fabric.name} has write mode "${fabric.git.writeMode}": a restore run commits only in write mode "push"`);
    }
    const { workspace } = fetched;
    const short = shortCommit(restore.commit);
    let head = fetched.head;
    for (let attempt = 1; ; attempt++) {
      if (!head) throw new Error(`the branch ${fabric.git.branch} does not exist; nothing was restored`);
      if (!(await workspace.has(restore.commit))) {
        throw new Error(`commit ${short} is no longer in ${fabric.git.url} (was the branch rewritten?); nothing was restored`);
      }
      const [current, target] = await Promise.all([workspace.listTree(head), workspace.listTree(restore.commit)]);
      const { files, change } = managedRestore(current, target);
      const counts = {
        added: files.filter(f => f.change === 'added').length,
        changed: files.filter(f => f.change === 'changed').length,
        removed: files.filter(f => f.change === 'removed').length,
      };
      if (files.length === 0) {
        return { outcome: { counts, message: `managed/ already is what it was at ${short}: nothing to restore` }, output: { workspace, head } };
      }
      const commit = await workspace.commit(head, change, restoreCommitMessage(fabric.name, restore.commit, files, restore.requestedBy));
      ctx.recorder.throwIfLockLost("the restore's push");
      if ((await workspace.push(commit)) === 'pushed') {
        const message = `restored managed/ to ${short} in commit ${shortCommit(commit)}`;
        return { outcome: { counts: { ...counts, commits: 1 }, message }, output: { workspace, head: commit } };
      }
      if (attempt >= ctx.maxPushAttempts) {
        throw new Error(`the branch ${fabric.git.branch} kept moving while the restore pushed; nothing was restored, try again`);
      }
      head = await workspace.fetch();
    }
  },
};
