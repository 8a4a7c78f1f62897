import { CoalescedRequest, ResourceItem, Run, RunDetail, RunTrigger, withBlocksApply } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricState, RunRecord } from './HedgehogStore';

/* Mapping between database rows and the store's records. */

export function parse(text: string | null | undefined): any {
  if (text === null || text === undefined) return undefined;
  return JSON.parse(text);
}

export function num(v: unknown): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}

export function iso(v: unknown): string | undefined {
  const n = num(v);
  return n === undefined ? undefined : new Date(n).toISOString();
}

export function resourceKey(kind: string, name: string) {
  return JSON.stringify([kind, name]);
}

/** The kind and name of a resourceKey. */
export function parseKey(key: string): { kind: string; name: string } {
  const [kind, name] = JSON.parse(key) as [string, string];
  return { kind, name };
}

/** The prune confirmation of a run joined by requests that confirmed different counts. */
export const CONFLICTING_PRUNE_CONFIRMATIONS = -1;

export function mergeOptions(a: Record<string, unknown>, b: Record<string, unknown>) {
  // A coalesced request keeps the strongest ask: apply and force win, dry run
  // only if all asked for it. A prune confirmation stays only while the requests
  // that give one agree on the count: two different counts confirm nothing
  // (CONFLICTING_PRUNE_CONFIRMATIONS, which matches no prune).
  const merged: Record<string, unknown> = {
    ...a,
    ...b,
    apply: Boolean(a.apply || b.apply),
    dryRun: Boolean(a.dryRun && b.dryRun),
    force: Boolean(a.force || b.force),
  };
  const confirmations = [a.confirmPrune, b.confirmPrune].filter(n => n !== undefined);
  delete merged.confirmPrune;
  if (confirmations.length > 0) {
    merged.confirmPrune = confirmations.every(n => n === confirmations[0]) ? confirmations[0] : CONFLICTING_PRUNE_CONFIRMATIONS;
  }
  return merged;
}

/** A run keeps at most this many joined requests (a burst of clicks must not grow a row without end). */
export const MAX_COALESCED = 100;

/** The joined requests of a queued run after one more request joined it. */
export function joinRequest(
  joined: CoalescedRequest[],
  request: { trigger: RunTrigger; requestedBy?: string },
  now: number = Date.now(),
): CoalescedRequest[] {
  const entry: CoalescedRequest = { trigger: request.trigger, at: new Date(now).toISOString() };
  if (request.requestedBy) entry.requestedBy = request.requestedBy;
  return [...joined, entry].slice(-MAX_COALESCED);
}

export function toRun(row: any): RunRecord {
  return {
    id: row.id,
    fabric: row.fabric,
    type: row.type,
    trigger: row.trigger,
    requestedBy: row.requested_by ?? undefined,
    status: row.status,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    commitBefore: row.commit_before ?? undefined,
    commitAfter: row.commit_after ?? undefined,
    stages: parse(row.stages) ?? [],
    error: row.error ?? undefined,
    coalesced: parse(row.coalesced) ?? undefined,
    options: parse(row.options) ?? {},
    // records written before findings carried blocksApply get it on read
    findings: (parse(row.findings) ?? []).map(withBlocksApply),
    findingCount: Number(row.finding_count ?? 0),
    findingTotals: parse(row.finding_totals) ?? undefined,
    importGeneration: num(row.import_generation),
  };
}

/** The API shape of a run in lists (the full record minus internal fields). */
export function publicRun(run: RunRecord): Run & { findingCount: number } {
  const { options: _o, findings: _f, importGeneration: _g, ...rest } = run;
  return rest;
}

/** The API shape of one run (`GET /runs/:id`): the run with its findings. */
export function runDetail(run: RunRecord): RunDetail & { findingCount: number } {
  return { ...publicRun(run), findings: run.findings };
}

export function toFabricState(row: any): FabricState {
  return {
    name: row.name,
    lastSyncedCommit: row.last_synced_commit ?? undefined,
    lastSyncAt: num(row.last_sync_at),
    lastRunId: row.last_run_id ?? undefined,
    status: row.status,
    error: row.error ?? undefined,
    counts: parse(row.counts) ?? {},
    openFindings: parse(row.open_findings) ?? undefined,
    importGeneration: Number(row.import_generation ?? 0),
    ...(row.incomplete_kinds ? { incompleteKinds: parse(row.incomplete_kinds) } : {}),
    findingsGeneration: num(row.findings_generation),
    ...(row.kind_scope ? { kindScope: parse(row.kind_scope) } : {}),
    ...(row.resource_status ? { resourceStatus: parse(row.resource_status) } : {}),
  };
}

export function fabricRow(patch: Partial<Omit<FabricState, 'name'>>) {
  const row: Record<string, unknown> = { updated_at: Date.now() };
  if ('lastSyncedCommit' in patch) row.last_synced_commit = patch.lastSyncedCommit ?? null;
  if ('lastSyncAt' in patch) row.last_sync_at = patch.lastSyncAt ?? null;
  if ('lastRunId' in patch) row.last_run_id = patch.lastRunId ?? null;
  if (patch.status) row.status = patch.status;
  if ('error' in patch) row.error = patch.error ?? null;
  if (patch.counts) row.counts = JSON.stringify(patch.counts);
  if (patch.openFindings) row.open_findings = JSON.stringify(patch.openFindings);
  // {} for a complete desired state; NULL only where no import recorded it
  if (patch.incompleteKinds) row.incomplete_kinds = JSON.stringify(patch.incompleteKinds);
  if (patch.kindScope) row.kind_scope = JSON.stringify(patch.kindScope);
  return row;
}

export function toResourceItem(row: any): ResourceItem {
  return {
    kind: row.kind,
    name: row.name,
    namespace: row.namespace,
    gitPath: row.git_path,
    applyStatus: row.apply_status,
    drift: { status: row.drift_status, score: num(row.drift_score) ?? null },
    errors: Number(row.error_count ?? 0),
    warnings: Number(row.warning_count ?? 0),
  };
}
