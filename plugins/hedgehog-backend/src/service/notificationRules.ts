import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { DEFAULT_NOTIFICATION_LEVEL, RunStatus, RunType } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { DriftTransition } from '../drift/fabricDrift';
import { fabricPagePath } from '../pipeline/fabricPage';

/*
 * What a fabric's owner is told, and when: pure functions of what happened and what
 * happened before. `failures` (the default): a sync that failed or ended partial, a
 * pull request whose validation failed, a prune held back. `all` adds drift that
 * appeared and a sync that succeeded again after a failure. Each kind of notice has a
 * scope of its own per fabric (per pull request for pull requests): Backstage's
 * notifications update the owner's notification of that scope instead of adding one.
 */

/** How a run that was not a dry run ended, with how the one before it of its kind ended. */
export interface RunOccurrence {
  type: 'run';
  runType: RunType;
  status: 'succeeded' | 'partial' | 'failed';
  error?: string;
  /** The error findings open after it (a sync that imported nothing succeeds while they stay open). */
  openErrors?: number;
  /** How the previous run of its kind (sync and restore, or apply, or drift) ended, if there was one. */
  previous?: { status: RunStatus; error?: string; openErrors?: number };
  /** Why the run's apply held its prune back, when it did. */
  pruneHeldBack?: string;
  /** The fabric's drift before and after the run's drift check, when it checked. */
  drift?: DriftTransition;
}

/** The validation of a pull request's head into the fabric's branch that did not pass. */
export interface PullRequestOccurrence {
  type: 'pull-request';
  number: number;
  title?: string;
  /** `failure`: it found errors; `error`: it could not be done. */
  verdict: 'failure' | 'error';
  errors: number;
}

export type FabricOccurrence = RunOccurrence | PullRequestOccurrence;

/** The runs whose outcome is the fabric's sync state. */
const SYNC_RUNS: readonly RunType[] = ['sync', 'restore'];
const FAILED: readonly RunStatus[] = ['failed', 'partial'];

/** The longest description sent (a run's error can be long). */
const MAX_DESCRIPTION = 500;

/**
 * The notifications to send to the fabric's owner for what happened: none when the
 * fabric's level is `off`. A sync that fails or ends partial is told once until its
 * outcome changes (a failure after a partial one is told again, a second failure is
 * not); drift once per episode (only on the check that found the fabric drifted after
 * one that found it in sync); a held-back prune once until what it holds back changes.
 */
export function fabricNotifications(
  fabric: Pick<FabricDefinition, 'name' | 'title' | 'source' | 'notifications'>,
  occurrence: FabricOccurrence,
): NotificationPayload[] {
  const level = fabric.notifications ?? DEFAULT_NOTIFICATION_LEVEL;
  if (level === 'off') return [];
  const notice = noticeOf(fabric);
  if (occurrence.type === 'pull-request') {
    const { number, verdict, errors } = occurrence;
    const title = occurrence.title ? ` "${occurrence.title}"` : '';
    return [
      notice('high', `pr-${number}`, verdict === 'failure'
        ? { title: `Fabric ${fabric.title}: pull request #${number} fails validation`, description: `Pull request #${number}${title} has ${errors} validation error(s); merging it would make the sync partial.` }
        : { title: `Fabric ${fabric.title}: pull request #${number} could not be validated`, description: `Validating pull request #${number}${title} failed; the backend's log has the details.` }),
    ];
  }
  const out: NotificationPayload[] = [];
  const { runType, previous } = occurrence;
  if (SYNC_RUNS.includes(runType)) {
    const what = runType === 'restore' ? 'restore' : 'sync';
    const status = syncOutcome(occurrence);
    const before = previous ? syncOutcome(previous) : undefined;
    if (FAILED.includes(status) && before !== status) {
      out.push(notice('high', 'sync', {
        title: status === 'failed' ? `Fabric ${fabric.title}: ${what} failed` : `Fabric ${fabric.title}: ${what} ended partial`,
        description: occurrence.error ?? (status === 'partial' ? `${occurrence.openErrors} error(s) are open; see the fabric's findings.` : undefined),
      }));
    } else if (status === 'succeeded' && level === 'all' && before && FAILED.includes(before)) {
      out.push(notice('normal', 'sync', {
        title: `Fabric ${fabric.title} synced again`,
        description: `The ${what} succeeded after one that ${before === 'failed' ? 'failed' : 'ended partial'}.`,
      }));
    }
  }
  const held = occurrence.pruneHeldBack;
  if (held && !previous?.error?.includes(held)) {
    out.push(notice('high', 'prune', {
      title: `Fabric ${fabric.title}: prune held back`,
      description: `The ${runType === 'apply' ? 'apply' : runType} deleted nothing of what Git no longer holds: ${held}.`,
    }));
  }
  const drift = occurrence.drift;
  if (level === 'all' && drift?.before === 'in_sync' && drift.after === 'drifted') {
    out.push(notice('normal', 'drift', {
      title: `Fabric ${fabric.title}: drift appeared`,
      description: driftText(drift),
    }));
  }
  return out;
}

/**
 * How a sync left the fabric: its run's status, but partial while error findings stay
 * open (a sync of an unchanged commit succeeds without importing; the errors of the
 * last import are still there).
 */
export function syncOutcome(run: { status: RunStatus; openErrors?: number }): RunStatus {
  return run.status === 'succeeded' && (run.openErrors ?? 0) > 0 ? 'partial' : run.status;
}

/** A notice of the fabric: its page as the link, its topic, and a scope per kind of notice. */
function noticeOf(fabric: Pick<FabricDefinition, 'name' | 'source'>) {
  return (
    severity: 'high' | 'normal',
    kind: string,
    text: { title: string; description?: string },
  ): NotificationPayload => ({
    title: text.title,
    ...(text.description ? { description: clip(text.description) } : {}),
    link: fabricPagePath(fabric),
    severity,
    topic: `hedgehog:${fabric.name}`,
    scope: `hedgehog:${fabric.name}:${kind}`,
  });
}

/** The drift check's findings in words, e.g. `The cluster differs from Git: 2 drifted, 1 missing in the cluster.` */
function driftText(drift: DriftTransition): string {
  const words: Array<[keyof DriftTransition['counts'], string]> = [
    ['drifted', 'drifted'],
    ['missing_in_cluster', 'missing in the cluster'],
    ['orphaned_in_cluster', 'orphaned in the cluster'],
  ];
  const parts = words.filter(([s]) => (drift.counts[s] ?? 0) > 0).map(([s, w]) => `${drift.counts[s]} ${w}`);
  return `The cluster differs from Git: ${parts.join(', ')}.`;
}

function clip(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}
