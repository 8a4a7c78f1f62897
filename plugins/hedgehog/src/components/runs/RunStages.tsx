import { Link, Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  documentLabel,
  Run,
  RunError,
  RunStage,
  RunStageName,
  STAGES_OF_RUN,
  SYNC_STAGES,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useMemo } from 'react';
import { duration, formatCounts } from '../shared/format';
import { isRunActive, StageStatusLabel } from '../shared/status';
import { stageErrorTotal } from './runErrors';

type StageRow = Omit<RunStage, 'status'> & {
  status: RunStage['status'] | 'pending';
  /** The stage name: material-table's row id. */
  id: string;
};

/** The cluster's stages: those a sync (or restore) records only on a fabric with a cluster. */
const isClusterStage = (name: RunStageName) =>
  !(SYNC_STAGES as readonly RunStageName[]).includes(name) &&
  name !== 'restore';

/**
 * The stages an active run has still to record, in order: those a run of its
 * type may record (STAGES_OF_RUN) after the last one it recorded. A sync (or a
 * restore, a sync after its restore commit) reaches the cluster's stages (apply,
 * drift) only when its fabric has a cluster, so they are awaited once it has
 * recorded one of them.
 */
export function pendingStages(run: Run): RunStageName[] {
  if (!isRunActive(run.status)) return [];
  const order = STAGES_OF_RUN[run.type];
  const recorded = new Set(run.stages.map(s => s.name));
  const last = order.reduce((at, name, i) => (recorded.has(name) ? i : at), -1);
  const syncs = run.type === 'sync' || run.type === 'restore';
  const reachesCluster =
    !syncs || order.some(n => isClusterStage(n) && recorded.has(n));
  return order.filter(
    (name, i) => i > last && (reachesCluster || !isClusterStage(name)),
  );
}

/** The run's stages, plus those it has still to record while it is active. */
export function stageRows(run: Run): StageRow[] {
  const rows: StageRow[] = run.stages.map(s => ({ ...s, id: s.name }));
  for (const name of pendingStages(run)) {
    rows.push({
      id: name,
      name,
      status: 'pending',
      startedAt: '',
      counts: {},
      errors: [],
    });
  }
  return rows;
}

function errorText(e: RunError): string {
  const where = [
    e.file,
    e.document !== undefined ? documentLabel(e.document) : undefined,
    e.path,
  ]
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${e.message}` : e.message;
}

/**
 * The errors of a stage: how many it lists of how many (a stage lists at most
 * 200), with a link to all of the run's findings; then the errors in a box of
 * bounded height that scrolls.
 */
function StageErrors(props: { row: StageRow; onShowFindings?: () => void }) {
  const { row, onShowFindings } = props;
  const total = stageErrorTotal(row);
  if (total === 0) return null;
  const cut = total > row.errors.length;
  return (
    <Box data-testid={`stage-errors-${row.name}`}>
      <Typography variant="body2" color="error">
        {cut
          ? `Showing ${row.errors.length.toLocaleString(
              'en-US',
            )} of ${total.toLocaleString('en-US')} errors.`
          : `${total.toLocaleString('en-US')} error${
              total === 1 ? '' : 's'
            }:`}{' '}
        {onShowFindings && (
          <Link
            to="#"
            onClick={e => {
              e.preventDefault();
              onShowFindings();
            }}
          >
            {cut ? 'See all of them' : 'See the findings'}
          </Link>
        )}
      </Typography>
      <Box
        component="ul"
        m={0}
        pl={2}
        style={{ maxHeight: '16em', overflowY: 'auto' }}
      >
        {row.errors.map((e, i) => (
          <li key={i}>
            <Typography variant="body2" color="error">
              {errorText(e)}
            </Typography>
          </li>
        ))}
      </Box>
    </Box>
  );
}

const columns = (onShowFindings?: () => void): TableColumn<StageRow>[] => [
  {
    title: 'Stage',
    field: 'name',
    width: '10%',
    render: row => <Typography variant="body2">{row.name}</Typography>,
  },
  {
    title: 'Status',
    field: 'status',
    width: '12%',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row => <StageStatusLabel status={row.status} />,
  },
  {
    title: 'Duration',
    width: '8%',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row =>
      row.status === 'pending' ? '–' : duration(row.startedAt, row.finishedAt),
  },
  {
    title: 'Counts',
    width: '30%',
    render: row => formatCounts(row.counts) || '–',
  },
  {
    title: 'Errors and notes',
    width: '40%',
    render: row => (
      <Box>
        {row.message && (
          <Typography variant="body2" color="textSecondary">
            {row.message}
          </Typography>
        )}
        <StageErrors
          row={row}
          onShowFindings={row.name === 'validate' ? onShowFindings : undefined}
        />
      </Box>
    ),
  },
];

const withoutLink = columns();

/**
 * Stage-by-stage table of a run: status, timing, counts and errors. With
 * `onShowFindings`, the validate stage links to all of the run's findings.
 */
export function RunStages(props: { run: Run; onShowFindings?: () => void }) {
  const { onShowFindings } = props;
  const rows = stageRows(props.run);
  // material-table keeps its state while the columns stay the same array
  const tableColumns = useMemo(
    () => (onShowFindings ? columns(onShowFindings) : withoutLink),
    [onShowFindings],
  );
  return (
    <Table<StageRow>
      columns={tableColumns}
      data={rows}
      options={{
        toolbar: false,
        paging: false,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2">No stage has started yet.</Typography>
        </Box>
      }
    />
  );
}
