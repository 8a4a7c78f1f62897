import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import {
  ApplyStatus,
  DriftStatus,
  Fabric,
  FabricStatus,
  RunStatus,
  RunType,
  StageStatus,
} from '@fabric-gitops/plugin-hedgehog-common';
import { ReactNode } from 'react';
import { outsideResourcesText } from '../findings/findingText';

type Tone = 'ok' | 'error' | 'warning' | 'pending' | 'running' | 'aborted';

function Status(props: { tone: Tone; children: ReactNode }) {
  const { tone, children } = props;
  switch (tone) {
    case 'ok':
      return <StatusOK>{children}</StatusOK>;
    case 'error':
      return <StatusError>{children}</StatusError>;
    case 'warning':
      return <StatusWarning>{children}</StatusWarning>;
    case 'running':
      return <StatusRunning>{children}</StatusRunning>;
    case 'aborted':
      return <StatusAborted>{children}</StatusAborted>;
    default:
      return <StatusPending>{children}</StatusPending>;
  }
}

const FABRIC: Record<FabricStatus, [Tone, string]> = {
  never_synced: ['pending', 'Never synced'],
  syncing: ['running', 'Syncing'],
  in_sync: ['ok', 'Synced'],
  partial: ['warning', 'Needs attention'],
  error: ['error', 'Sync failed'],
  blocked: ['error', 'Blocked, not synced'],
};

export const DRIFT: Record<DriftStatus, [Tone, string]> = {
  in_sync: ['ok', 'In sync'],
  drifted: ['warning', 'Drifted'],
  missing_in_cluster: ['error', 'Missing in cluster'],
  orphaned_in_cluster: ['warning', 'Orphaned in cluster'],
  owned_elsewhere: ['aborted', 'Owned by another fabric'],
  unknown: ['pending', 'Unknown'],
};

const APPLY: Record<ApplyStatus, [Tone, string]> = {
  not_applied: ['pending', 'Not applied'],
  applied: ['ok', 'Applied'],
  unchanged: ['ok', 'Unchanged'],
  blocked: ['warning', 'Blocked'],
  failed: ['error', 'Failed'],
};

const RUN: Record<RunStatus, [Tone, string]> = {
  queued: ['pending', 'Queued'],
  running: ['running', 'Running'],
  succeeded: ['ok', 'Succeeded'],
  partial: ['warning', 'Partial'],
  failed: ['error', 'Failed'],
};

const STAGE: Record<StageStatus | 'pending', [Tone, string]> = {
  pending: ['pending', 'Pending'],
  running: ['running', 'Running'],
  succeeded: ['ok', 'Succeeded'],
  partial: ['warning', 'Partial'],
  failed: ['error', 'Failed'],
  skipped: ['aborted', 'Skipped'],
};

function pick<K extends string>(
  table: Record<K, [Tone, string]>,
  key: string,
): [Tone, string] {
  return (table as Record<string, [Tone, string]>)[key] ?? ['pending', key];
}

/** What a fabric's Git holds open: error and warning findings, conflicts (exact totals). */
export function OpenFindings(props: { fabric: Fabric }) {
  const { findings, conflicts } = props.fabric;
  const parts = [
    plural(findings?.errors ?? 0, 'error'),
    plural(findings?.warnings ?? 0, 'warning'),
  ];
  const outside = outsideResourcesText(findings?.outsideResources);
  if (conflicts) parts.push(plural(conflicts, 'conflict'));
  return (
    <span>
      {parts.join(' · ')}
      {outside ? `, ${outside}` : ''}
    </span>
  );
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function FabricStatusLabel(props: { status: FabricStatus }) {
  const [tone, label] = pick(FABRIC, props.status);
  return <Status tone={tone}>{label}</Status>;
}

export function DriftStatusLabel(props: {
  status: DriftStatus;
  children?: ReactNode;
}) {
  const [tone, label] = pick(DRIFT, props.status);
  return (
    <Status tone={tone}>
      {label}
      {props.children}
    </Status>
  );
}

export function driftLabel(status: DriftStatus): string {
  return pick(DRIFT, status)[1];
}

export function ApplyStatusLabel(props: { status: ApplyStatus }) {
  const [tone, label] = pick(APPLY, props.status);
  return <Status tone={tone}>{label}</Status>;
}

export function RunStatusLabel(props: { status: RunStatus }) {
  const [tone, label] = pick(RUN, props.status);
  return <Status tone={tone}>{label}</Status>;
}

export function StageStatusLabel(props: { status: StageStatus | 'pending' }) {
  const [tone, label] = pick(STAGE, props.status);
  return <Status tone={tone}>{label}</Status>;
}

export function isRunActive(status?: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

const RUN_TYPE: Record<RunType, string> = {
  sync: 'Sync',
  apply: 'Apply',
  drift: 'Drift check',
  restore: 'Restore',
};

/** Past-tense headline of a finished or active run. */
export function runHeadline(type: string, status: RunStatus): string {
  const what = (RUN_TYPE as Record<string, string>)[type] ?? type;
  switch (status) {
    case 'queued':
      return `${what} queued`;
    case 'running':
      return `${what} running`;
    case 'succeeded':
      return `${what} succeeded`;
    case 'partial':
      return `${what} partially succeeded`;
    default:
      return `${what} failed`;
  }
}
