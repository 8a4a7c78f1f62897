import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import {
  DRIFT_STATUSES,
  DriftStatus,
  Run,
  RunType,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { DriftSummary } from './DriftSummary';
import { ApiErrorPanel } from '../shared/errors';
import { BlockedFabric } from './BlockedFabric';
import { FabricStatusHeader } from './FabricStatusHeader';
import { KindCounts } from './KindCounts';
import { PullRequests } from './PullRequests';
import { ResourceDetails } from '../resources/ResourceDetails';
import { ResourceFilters, ResourcesTable } from '../resources/ResourcesTable';
import { FindingsView } from '../findings/FindingsView';
import { findingsFilterOf, resourceFindingsOf } from './urlFilters';
import { RunHistory } from '../runs/RunHistory';
import { RunProgress } from './RunProgress';
import { isRunActive } from '../shared/status';
import { UnmanagedFiles } from '../resources/UnmanagedFiles';
import { TopologyView } from '../topology/TopologyView';
import { useRunTracker } from '../hooks/useRunTracker';
import { useFabricSignal } from '../hooks/useFabricSignal';
import { useFollowRunsElsewhere } from '../hooks/useFollowRunsElsewhere';

const TABS = [
  'overview',
  'resources',
  'findings',
  'runs',
  'unmanaged',
  'topology',
] as const;
type TabId = (typeof TABS)[number];

/** Whether a value of the URL's `status` is a drift status (others are ignored). */
function isDriftStatus(value: string | null): value is DriftStatus {
  return (DRIFT_STATUSES as readonly (string | null)[]).includes(value);
}

/** Options for tests and embedding. @public */
export interface FabricViewProps {
  /** The fabric name (for a catalog entity: its name). */
  fabric: string;
  /** How often an active run is polled when the app has no signals. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Debounce of the resources text filter. Default 300 ms. */
  filterDebounceMs?: number;
}

/**
 * Everything about one fabric: the status header with the actions and the
 * active run's progress, then tabs for the overview (counts per kind, drift),
 * the resources (table per kind, resource view), the run history and the
 * unmanaged files. The selected tab, filters and resource live in the URL's
 * query, so the view works wherever it is mounted.
 *
 * @public
 */
export function FabricView(props: FabricViewProps) {
  const { fabric, pollIntervalMs = 1000, filterDebounceMs } = props;
  const api = useApi(hedgehogApiRef);
  const [params, setParams] = useSearchParams();
  const [refreshKey, setRefreshKey] = useState(0);
  // Live updates (Backstage signals): the fabric's state after a run.
  const stateSignal = useFabricSignal(fabric, m => m.type === 'fabric.state');

  const fabricState = useAsync(
    () => api.getFabric(fabric),
    [api, fabric, refreshKey, stateSignal.key],
  );
  const recentRuns = useAsync(
    () => api.listRuns(fabric, { limit: 50 }),
    [api, fabric, refreshKey],
  );
  const tracker = useRunTracker(fabric, {
    pollIntervalMs,
    onFinished: () => setRefreshKey(k => k + 1),
  });

  // a run started elsewhere (schedule, webhook, another user) is shown too
  useFollowRunsElsewhere(fabric, tracker, recentRuns.value?.items);

  const latest = useMemo(() => {
    const out: Partial<Record<RunType, Run>> = {};
    for (const r of recentRuns.value?.items ?? []) {
      if (!out[r.type] && !isRunActive(r.status)) out[r.type] = r;
    }
    return out;
  }, [recentRuns.value]);

  const update = useCallback(
    (patch: Record<string, string | undefined>) =>
      setParams(
        prev => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === undefined || v === '') next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: false },
      ),
    [setParams],
  );

  const tabParam = params.get('tab') as TabId | null;
  const tab: TabId =
    tabParam && TABS.includes(tabParam) ? tabParam : 'overview';
  const statusParam = params.get('status');
  const filters: ResourceFilters = {
    kind: params.get('kind') ?? undefined,
    status: isDriftStatus(statusParam) ? statusParam : undefined,
    q: params.get('q') ?? undefined,
    ...resourceFindingsOf(params),
  };
  const findingsFilter = findingsFilterOf(params);
  const resource = params.get('resource');
  const [resourceKind, ...rest] = resource ? resource.split('/') : [];
  const resourceName = rest.join('/');

  if (fabricState.loading && !fabricState.value) {
    return <Progress />;
  }
  if (fabricState.error && !fabricState.value) {
    const notFound =
      (fabricState.error as { statusCode?: number }).statusCode === 404;
    return (
      <Box>
        <ApiErrorPanel
          error={fabricState.error}
          title={`Could not load fabric ${fabric}`}
        />
        {notFound && (
          <Box mt={2}>
            <Typography variant="body2">
              The hedgehog backend does not know a fabric named {fabric}.
              Fabrics come from hedgehog.fabrics in app-config and from catalog
              entities of type hedgehog-fabric; a new entity is picked up on the
              next catalog refresh.
            </Typography>
          </Box>
        )}
      </Box>
    );
  }
  const f = fabricState.value!;
  if (f.status === 'blocked') return <BlockedFabric fabric={f} />;
  const totalResources = Object.values(f.counts).reduce((a, b) => a + b, 0);
  const totalFindings = (f.findings?.errors ?? 0) + (f.findings?.warnings ?? 0);

  return (
    <Grid container spacing={3} data-testid="hedgehog-fabric-view">
      <Grid item xs={12}>
        <FabricStatusHeader
          fabric={f}
          tracker={tracker}
          latest={latest}
          pollIntervalMs={pollIntervalMs}
        />
      </Grid>
      {(tracker.busy || tracker.run || tracker.error) && (
        <Grid item xs={12}>
          <RunProgress
            tracker={tracker}
            onShowFindings={() => update({ tab: 'findings' })}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <Paper square>
          <Tabs
            value={tab}
            onChange={(_e, value: TabId) =>
              update({
                tab: value === 'overview' ? undefined : value,
                resource: undefined,
              })
            }
            indicatorColor="primary"
            textColor="primary"
            variant="scrollable"
            aria-label="Fabric sections"
          >
            <Tab value="overview" label="Overview" />
            <Tab value="resources" label={`Resources (${totalResources})`} />
            <Tab
              value="findings"
              label={`Findings (${totalFindings.toLocaleString('en-US')})`}
            />
            <Tab value="runs" label="Runs" />
            <Tab value="unmanaged" label="Unmanaged files" />
            <Tab value="topology" label="Topology" />
          </Tabs>
        </Paper>
      </Grid>
      <Grid item xs={12}>
        {tab === 'overview' && (
          <Grid container spacing={3}>
            <Grid item xs={12} md={8}>
              <KindCounts
                counts={f.counts}
                git={f.git}
                onSelect={kind =>
                  update({
                    tab: 'resources',
                    kind,
                    status: undefined,
                    q: undefined,
                  })
                }
              />
            </Grid>
            <Grid item xs={12} md={4}>
              <InfoCard
                title="Drift"
                subheader={
                  f.cluster
                    ? `Desired state in Git compared with cluster ${f.cluster}`
                    : 'No cluster: drift is unknown'
                }
              >
                <DriftSummary
                  drift={f.drift}
                  onSelect={status =>
                    update({ tab: 'resources', status, kind: undefined })
                  }
                />
              </InfoCard>
            </Grid>
            {f.git.writeMode === 'pull-request' && (
              <Grid item xs={12}>
                <PullRequests fabric={f} refreshKey={refreshKey} />
              </Grid>
            )}
          </Grid>
        )}
        {tab === 'resources' &&
          (resource && resourceKind && resourceName ? (
            <ResourceDetails
              fabric={fabric}
              kind={resourceKind}
              name={resourceName}
              refreshKey={refreshKey}
              git={f.git}
              onRunStarted={tracker.follow}
              onBack={() => update({ resource: undefined })}
            />
          ) : (
            <ResourcesTable
              fabric={fabric}
              counts={f.counts}
              filters={filters}
              refreshKey={refreshKey}
              debounceMs={filterDebounceMs}
              hasCluster={Boolean(f.cluster)}
              onFiltersChange={next =>
                update({
                  kind: next.kind,
                  status: next.status,
                  q: next.q,
                  findings: next.findings,
                  rule: next.rule,
                })
              }
              onOpen={r => update({ resource: `${r.kind}/${r.name}` })}
            />
          ))}
        {tab === 'topology' && (
          <TopologyView
            fabric={fabric}
            refreshKey={refreshKey}
            onOpen={r =>
              update({ tab: 'resources', resource: `${r.kind}/${r.name}` })
            }
          />
        )}
        {tab === 'findings' && (
          <FindingsView
            fabric={fabric}
            filter={findingsFilter}
            refreshKey={refreshKey}
            onFilterChange={next =>
              update({
                severity: next.severity,
                rule: next.rule,
                file: next.file,
                new: next.new === undefined ? undefined : String(next.new),
                blocksApply:
                  next.blocksApply === undefined
                    ? undefined
                    : String(next.blocksApply),
              })
            }
            onOpenResource={r =>
              update({ tab: 'resources', resource: `${r.kind}/${r.name}` })
            }
            onShowResources={rule =>
              update({
                tab: 'resources',
                rule,
                kind: undefined,
                status: undefined,
                q: undefined,
                findings: undefined,
              })
            }
          />
        )}
        {tab === 'runs' && (
          <RunHistory
            fabric={fabric}
            refreshKey={refreshKey}
            pollIntervalMs={pollIntervalMs}
            git={f.git}
          />
        )}
        {tab === 'unmanaged' && (
          <UnmanagedFiles fabric={fabric} refreshKey={refreshKey} />
        )}
      </Grid>
    </Grid>
  );
}
