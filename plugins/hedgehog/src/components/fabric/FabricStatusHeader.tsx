import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { Fabric, Run, RunType } from '@fabric-gitops/plugin-hedgehog-common';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { RunTracker } from '../hooks/useRunTracker';
import { errorMessage } from '../shared/errors';
import { absoluteTime, relativeTime, shortCommit } from '../shared/format';
import {
  FabricStatusLabel,
  OpenFindings,
  RunStatusLabel,
} from '../shared/status';
import { DriftSummary } from './DriftSummary';
import { FabricActions } from './FabricActions';

/** Connection status of the fabric's cluster, or why there is none. */
export function ClusterStatusValue(props: { fabric: Fabric }) {
  const { fabric } = props;
  const api = useApi(hedgehogApiRef);
  const state = useAsync(
    async () => (fabric.cluster ? api.clusterStatus(fabric.name) : undefined),
    [api, fabric.name, fabric.cluster],
  );
  if (!fabric.cluster) {
    return (
      <StatusPending>
        No cluster configured (apply and drift are off)
      </StatusPending>
    );
  }
  if (state.loading)
    return <StatusPending>{fabric.cluster}: checking…</StatusPending>;
  if (state.error) {
    return (
      <StatusError>
        {fabric.cluster}: status unknown ({errorMessage(state.error)})
      </StatusError>
    );
  }
  const status = state.value!;
  if (!status.reachable) {
    return (
      <StatusError>
        {fabric.cluster} unreachable{status.error ? `: ${status.error}` : ''}
      </StatusError>
    );
  }
  const missing = status.crds.filter(c => !c.installed);
  if (missing.length > 0) {
    return (
      <StatusWarning>
        {fabric.cluster} reachable, but {missing.length} CRD
        {missing.length === 1 ? ' is' : 's are'} missing (
        {missing.map(c => c.kind).join(', ')})
      </StatusWarning>
    );
  }
  return (
    <StatusOK>
      {fabric.cluster} reachable{status.version ? ` (${status.version})` : ''}
    </StatusOK>
  );
}

/** Where a fabric's kinds were given, in words. */
const KINDS_SOURCE: Record<NonNullable<Fabric['kinds']>['source'], string> = {
  'app-config': 'app-config',
  manifest: 'the fabric directory’s manifest',
  entity: 'the catalog entity',
  default: 'the default',
};

/** The kinds a fabric manages: the preset or the kinds, how many, and where they were given. */
export function FabricKindsValue(props: { kinds: NonNullable<Fabric['kinds']> }) {
  const { kinds } = props;
  const n = `${kinds.list.length} kind${kinds.list.length === 1 ? '' : 's'}`;
  const what = kinds.preset
    ? `${kinds.preset} (${n})`
    : `${n}: ${kinds.list.join(', ')}`;
  return (
    <span
      title={`${kinds.list.join(', ')} · given by ${KINDS_SOURCE[kinds.source]}`}
      data-testid="fabric-kinds"
    >
      {what} · from {KINDS_SOURCE[kinds.source]}
    </span>
  );
}

function LastRun(props: { run?: Run }) {
  const { run } = props;
  if (!run) return <span>none recently</span>;
  return (
    <span title={absoluteTime(run.finishedAt ?? run.startedAt)}>
      <RunStatusLabel status={run.status} />{' '}
      {relativeTime(run.finishedAt ?? run.startedAt)}
      {run.error ? ` – ${run.error}` : ''}
    </span>
  );
}

/**
 * The status header of a fabric: last sync, commit, sync/drift/apply status,
 * whether the cluster is reachable, and the actions.
 */
export function FabricStatusHeader(props: {
  fabric: Fabric;
  tracker: RunTracker;
  /** The latest finished run of each type, when known. */
  latest?: Partial<Record<RunType, Run>>;
  /** How often the apply dialog's dry run is polled. */
  pollIntervalMs?: number;
}) {
  const { fabric, tracker, latest = {}, pollIntervalMs } = props;
  const total = Object.values(fabric.counts).reduce((a, b) => a + b, 0);
  const git = fabric.git;
  return (
    <InfoCard
      title={fabric.title || fabric.name}
      subheader={`Fabric ${fabric.name} · defined by ${fabric.source}`}
      action={
        <FabricActions
          fabric={fabric}
          tracker={tracker}
          pollIntervalMs={pollIntervalMs}
        />
      }
    >
      {fabric.error && (
        <Box mb={2}>
          <WarningPanel
            severity={fabric.status === 'partial' ? 'warning' : 'error'}
            title={
              fabric.status === 'partial'
                ? fabric.error
                : `Last sync: ${fabric.error}`
            }
            message={
              fabric.status === 'partial'
                ? 'They stay open until they are fixed in Git; the resources show their findings, the run history each sync.'
                : 'See the run history for the failed stage.'
            }
          />
        </Box>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <StructuredMetadataTable
            dense
            options={{ titleFormat: k => k }}
            metadata={{
              'Sync status': <FabricStatusLabel status={fabric.status} />,
              'Open in Git': <OpenFindings fabric={fabric} />,
              'Last sync': (
                <span title={absoluteTime(fabric.lastSyncAt)}>
                  {relativeTime(fabric.lastSyncAt)}
                </span>
              ),
              Commit: (
                <code title={fabric.lastSyncedCommit}>
                  {shortCommit(fabric.lastSyncedCommit)}
                </code>
              ),
              Repository: `${git.url} (${git.branch})`,
              Directory: git.path || '/',
              'Write mode': git.writeMode,
              ...(fabric.kinds
                ? { Manages: <FabricKindsValue kinds={fabric.kinds} /> }
                : {}),
            }}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <StructuredMetadataTable
            dense
            options={{ titleFormat: k => k }}
            metadata={{
              Cluster: <ClusterStatusValue fabric={fabric} />,
              'Last apply': <LastRun run={latest.apply} />,
              'Last drift check': <LastRun run={latest.drift} />,
              Resources: `${total} managed resource${total === 1 ? '' : 's'}`,
              Drift: <DriftSummary drift={fabric.drift} compact />,
            }}
          />
        </Grid>
      </Grid>
    </InfoCard>
  );
}
