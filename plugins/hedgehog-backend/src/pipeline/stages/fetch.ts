import { GitWorkspace } from '../../git/GitWorkspace';
import { Stage, StageResult } from './stage';
import { SyncContext } from './syncContext';

/** The fabric's clone, fetched. */
export interface Fetched {
  workspace: GitWorkspace;
  /** The branch's head; undefined when the branch does not exist yet. */
  head: string | undefined;
}

/**
 * Fetches the fabric's branch into its cached clone. A branch whose history was
 * replaced (a force-push) is followed, and the stage says so.
 */
export const fetchStage: Stage<SyncContext, void, Fetched> = {
  name: 'fetch',
  async run(ctx): Promise<StageResult<Fetched>> {
    const workspace = await ctx.openWorkspace();
    const { head, rewritten } = await workspace.fetchBranch();
    const output = { workspace, head };
    if (!rewritten) return { outcome: { counts: { branchExists: head ? 1 : 0 } }, output };
    const message = `the history of branch ${ctx.fabric.git.branch} was rewritten (a force-push): commits seen before are no longer in it; this sync follows the new history${head ? ` at ${head.slice(0, 12)}` : ''}`;
    ctx.logger.warn(`hedgehog: fabric ${ctx.fabric.name}: ${message}`);
    return { outcome: { counts: { branchExists: head ? 1 : 0, rewritten: 1 }, message }, output };
  },
};
