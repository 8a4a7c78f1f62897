import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import {
  APPLIED_BY_LABEL,
  Difference,
  documentLabel,
  FabricGitLocation,
  Finding,
  ResourceDetail,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { AdoptButton, AdoptOutcome, Adoption } from './AdoptResource';
import { ApiErrorPanel } from '../shared/errors';
import { formatValue } from '../shared/format';
import { ResourceHistory } from './ResourceHistory';
import { ResourceYaml } from './ResourceYaml';
import { ApplyStatusLabel, DriftStatusLabel } from '../shared/status';
import { withRowIds } from '../shared/tables';
import { blocksApplyColumn } from '../findings/BlocksApply';

const differenceColumns: TableColumn<Difference>[] = [
  { title: 'Path', field: 'path', render: d => <code>{d.path}</code> },
  {
    title: 'Desired (Git)',
    render: d => <code>{formatValue(d.desired)}</code>,
  },
  {
    title: 'Live (cluster)',
    render: d => <code>{formatValue(d.actual)}</code>,
  },
];

const findingColumns: TableColumn<Finding>[] = [
  {
    title: 'Severity',
    field: 'severity',
    render: f => (
      <Typography
        variant="body2"
        color={f.severity === 'error' ? 'error' : 'textPrimary'}
      >
        {f.severity}
      </Typography>
    ),
  },
  blocksApplyColumn<Finding>(),
  { title: 'Rule', field: 'rule' },
  { title: 'Path', field: 'path', render: f => <code>{f.path}</code> },
  { title: 'Message', field: 'message' },
];

function noDifferencesText(r: ResourceDetail): string {
  switch (r.drift.status) {
    case 'in_sync':
      return 'The live object matches the desired state.';
    case 'missing_in_cluster':
      return 'The resource is in Git but not in the cluster; applying creates it.';
    case 'orphaned_in_cluster':
      return 'The resource is in the cluster but not in Git.';
    case 'owned_elsewhere': {
      const owner = (r.live?.metadata as { labels?: Record<string, string> })
        ?.labels?.[APPLIED_BY_LABEL];
      return `The object in the cluster belongs to ${
        owner ? `fabric ${owner}` : 'another fabric'
      } (label ${APPLIED_BY_LABEL}); this fabric does not change, delete or adopt it.`;
    }
    case 'unknown':
      return 'Not compared yet: the cluster has not been read (no cluster, unreachable, or no drift check so far).';
    default:
      return 'No field-level differences.';
  }
}

/**
 * One resource: its status, the field-level differences, and the desired (Git)
 * and live (cluster) YAML as a side-by-side diff (the server's fields hidden
 * until asked for).
 * A drifted or cluster-only resource can be adopted into Git from here.
 */
export function ResourceDetails(props: {
  fabric: string;
  kind: string;
  name: string;
  onBack(): void;
  refreshKey?: number;
  /** The fabric's repository; its write mode says how an adoption is delivered. */
  git?: FabricGitLocation;
  /** Called with the sync an adoption queued (write mode push). */
  onRunStarted?(runId: string): void;
}) {
  const { fabric, kind, name, onBack, refreshKey, git, onRunStarted } = props;
  const api = useApi(hedgehogApiRef);
  const state = useAsync(
    () => api.getResource(fabric, kind, name),
    [api, fabric, kind, name, refreshKey],
  );
  const [adoption, setAdoption] = useState<Adoption>();
  const onAdopted = (a: Adoption) => {
    setAdoption(a);
    if (a.result?.runId) onRunStarted?.(a.result.runId);
  };

  const back = (
    <>
      <Box mb={2}>
        <Button startIcon={<ArrowBackIcon />} onClick={onBack} size="small">
          All resources
        </Button>
      </Box>
      {adoption && adoption.kind === kind && adoption.name === name && (
        <Box mb={2}>
          <AdoptOutcome
            adoption={adoption}
            onClose={() => setAdoption(undefined)}
          />
        </Box>
      )}
    </>
  );
  if (state.loading) {
    return (
      <>
        {back}
        <Progress />
      </>
    );
  }
  if (state.error) {
    return (
      <>
        {back}
        <ApiErrorPanel
          error={state.error}
          title={`Could not load ${kind} ${name}`}
        />
      </>
    );
  }
  const r = state.value!;
  return (
    <Box data-testid="resource-details">
      {back}
      <Grid container spacing={2}>
        <Grid item xs={12}>
          <InfoCard
            title={`${r.kind} ${r.name}`}
            subheader={r.gitPath}
            action={
              <AdoptButton
                fabric={fabric}
                kind={r.kind}
                name={r.name}
                status={r.drift.status}
                gitPath={r.gitPath}
                git={git}
                onAdopted={onAdopted}
              />
            }
          >
            <StructuredMetadataTable
              dense
              options={{ titleFormat: k => k }}
              metadata={{
                Drift: (
                  <DriftStatusLabel status={r.drift.status}>
                    {r.drift.score !== null
                      ? ` (score ${Math.round(r.drift.score * 100)} %)`
                      : ''}
                  </DriftStatusLabel>
                ),
                Apply: <ApplyStatusLabel status={r.applyStatus} />,
                Namespace: r.namespace,
                'Git path': r.gitPath ? <code>{r.gitPath}</code> : 'Not in Git',
                Origin: originText(r),
                Findings: `${r.errors} error${r.errors === 1 ? '' : 's'}, ${
                  r.warnings
                } warning${r.warnings === 1 ? '' : 's'}`,
              }}
            />
          </InfoCard>
        </Grid>
        {r.findings.length > 0 && (
          <Grid item xs={12}>
            <Table<Finding>
              title="Validation findings"
              columns={findingColumns}
              data={withRowIds(r.findings, (_f, i) => i)}
              options={{ paging: false, search: false, padding: 'dense' }}
            />
          </Grid>
        )}
        <Grid item xs={12}>
          <Table<Difference>
            title="Field-level differences"
            subtitle={`${r.differences.length} differing field${
              r.differences.length === 1 ? '' : 's'
            }`}
            columns={differenceColumns}
            data={withRowIds(r.differences, d => d.path)}
            options={{
              paging: r.differences.length > 20,
              pageSize: 20,
              search: false,
              padding: 'dense',
            }}
            emptyContent={
              <Box p={2}>
                <Typography variant="body2">{noDifferencesText(r)}</Typography>
              </Box>
            }
          />
        </Grid>
        <ResourceYaml r={r} />
        {r.gitPath && (
          <Grid item xs={12}>
            <ResourceHistory
              fabric={fabric}
              kind={r.kind}
              name={r.name}
              refreshKey={refreshKey}
            />
          </Grid>
        )}
      </Grid>
    </Box>
  );
}

/**
 * Where the resource came from (provenance, not a current location): the raw
 * file and document it was ingested from (that file is gone once ingested), a
 * file written in managed/ directly, or nowhere in Git.
 */
function originText(r: {
  gitPath?: string;
  source?: { file: string; document: number };
}): string {
  if (r.source) {
    return `Ingested from ${r.source.file} (${documentLabel(
      r.source.document,
    )})`;
  }
  return r.gitPath
    ? 'Written in managed/ (not ingested from raw/)'
    : 'Only in the cluster';
}
