import { countFindings, FabricStatus, Finding, OpenFindings } from '@fabric-gitops/plugin-hedgehog-common';

/**
 * What is open in a state's findings and conflicts (the totals of a fabric's state,
 * never truncated: a summary finding counts the findings it says were left out),
 * and how many of the findings are on no resource (a finding with `resource` is on
 * the resource of its file): the resources list does not count those.
 */
export function openFindings(findings: (Finding & { resource?: unknown })[], conflicts: number): OpenFindings {
  const outside = countFindings(findings.filter(f => !f.resource));
  return { ...countFindings(findings), conflicts, outsideResources: { errors: outside.errors, warnings: outside.warnings } };
}

/** What a fabric's health is computed from. */
export interface HealthInputs {
  /** Whether the fabric was ever synced. */
  synced: boolean;
  /** The error of the last sync, when it failed. */
  lastSyncError?: string;
  open: OpenFindings;
  /** Resources whose last apply failed. */
  applyFailed: number;
}

/**
 * A fabric's status from what is true now: the last sync's outcome, the open
 * findings and conflicts of its Git, and failed applies. A sync that finds
 * nothing new changes none of them, so it never turns a fabric green.
 */
export function fabricHealth(h: HealthInputs): { status: FabricStatus; error?: string } {
  if (!h.synced) return { status: 'never_synced' };
  if (h.lastSyncError) return { status: 'error', error: h.lastSyncError };
  const open = [
    count(h.open.errors, 'error finding'),
    count(h.open.conflicts, 'conflict'),
    count(h.applyFailed, 'failed apply', 'failed applies'),
  ].filter((s): s is string => s !== undefined);
  if (open.length === 0) return { status: 'in_sync' };
  return { status: 'partial', error: `${open.join(', ')} open in the fabric` };
}

function count(n: number, one: string, many = `${one}s`): string | undefined {
  if (n === 0) return undefined;
  return `${n} ${n === 1 ? one : many}`;
}
