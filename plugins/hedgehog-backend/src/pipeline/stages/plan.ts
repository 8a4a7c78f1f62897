import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { declaredKinds, fabricScope } from '../fabricScope';
import { planIngestionSliced } from '../../gitops/plan';
import { TreeEntry } from '../../gitops/tree';
import { readParsed } from '../readParsed';
import { Fetched } from './fetch';
import { Stage } from './stage';
import { Planned, SyncContext } from './syncContext';

/**
 * A plan with the fabric's import generation it was made after (the import checks
 * that no other import came since), or why there is nothing to plan (the rest of
 * the sync is skipped).
 */
export type PlanOutput = { planned: Planned; importGeneration: number } | { unchanged: string };

/**
 * Plans the ingestion of the fabric directory at the fetched head. Stops early
 * when the head is the last synced commit, or the fabric directory is the same
 * tree (unless that import did not record which kinds it left out or its
 * findings, or the kinds the fabric manages changed since, or the sync is forced); otherwise lists the directory (from the
 * last listing and the trees that changed, when remembered) and parses only
 * files not in the parse cache.
 */
export const planStage: Stage<SyncContext, Fetched, PlanOutput> = {
  name: 'plan',
  async run(ctx, { workspace, head }) {
    const state = await ctx.store.getFabricState(ctx.fabric.name);
    // An import that did not record which kinds it left out (an earlier version) is
    // done again, so that prune knows whether the desired state is complete.
    const last = state?.incompleteKinds ? state.lastSyncedCommit : undefined;
    const importGeneration = state?.importGeneration ?? 0;
    // A fabric imported before its findings were kept (an upgrade) is planned in full once, to record them.
    const findingsKnown = !state || importGeneration === 0 || state.findingsGeneration === importGeneration;
    // Kinds the fabric manages now that the last import did not (app-config or the entity changed): planned in full.
    const imported = state?.kindScope?.imported ?? HEDGEHOG_KINDS.map(k => k.kind);
    const scopeMoved = fabricScope(ctx.fabric, state).kinds.join() !== imported.join();
    const full = ctx.options.force || !findingsKnown || scopeMoved;
    if (head && head === last && !full) {
      return unchanged(`nothing changed since commit ${head.slice(0, 12)}`);
    }
    let entries: TreeEntry[] | undefined;
    if (head && last && !full) {
      // What changed since the last sync (from the trees that differ), when its listing is remembered.
      const since = await workspace.listTreeSince(last, head);
      // The branch moved (e.g. commits of other fabrics of the repository) but not this fabric's directory.
      if (since === 'same' || (!since && (await workspace.sameFabricTree(last, head)))) {
        return unchanged(`nothing changed in the fabric directory since commit ${last.slice(0, 12)}`);
      }
      entries = since || undefined;
    }
    entries ??= await workspace.listTree(head);
    const { parsed, read } = await readParsed(workspace, ctx.cache, entries);
    const plan = await planIngestionSliced({ fabricName: ctx.fabric.name, entries, parsed, declaredKinds: declaredKinds(ctx.fabric) });
    return {
      outcome: { counts: { files: entries.length, filesRead: read } },
      output: { planned: { head, entries, plan }, importGeneration },
    };
  },
};

function unchanged(reason: string) {
  return { outcome: { message: reason }, output: { unchanged: reason } };
}
