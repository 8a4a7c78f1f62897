import { Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  DRIFT_STATUSES,
  DriftStatus,
  findKind,
  HEDGEHOG_KINDS,
  kindColumnText,
  ResourceItem,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useEffect, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel } from '../shared/errors';
import { FilterSelect } from '../shared/FilterSelect';
import { FindingFilters } from './FindingFilters';
import {
  ApplyStatusLabel,
  DriftStatusLabel,
  driftLabel,
} from '../shared/status';
import {
  EmptyMessage,
  nowrap,
  TruncatedPath,
  useServerPaging,
} from '../shared/tables';

/** The drift statuses as filter options, in words. */
const DRIFT_OPTIONS = DRIFT_STATUSES.map(s => ({
  value: s,
  label: driftLabel(s),
}));
export interface ResourceFilters {
  kind?: string;
  status?: DriftStatus;
  q?: string;
  /** Only resources with error findings, or with warning findings. */
  findings?: 'errors' | 'warnings';
  /** Only resources with a finding of this rule. */
  rule?: string;
}

const PAGE_SIZES = [10, 20, 50, 100];

function KindChips(props: {
  counts: Record<string, number>;
  kind?: string;
  onChange(kind?: string): void;
}) {
  const { counts, kind, onChange } = props;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const kinds = HEDGEHOG_KINDS.map(k => k.kind).filter(
    k => (counts[k] ?? 0) > 0 || k === kind,
  );
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 8 }}
      mb={2}
      role="group"
      aria-label="Kind"
    >
      <Chip
        label={`All kinds (${total})`}
        color={kind ? 'default' : 'primary'}
        onClick={() => onChange(undefined)}
      />
      {kinds.map(k => (
        <Chip
          key={k}
          label={`${k} (${counts[k] ?? 0})`}
          color={kind === k ? 'primary' : 'default'}
          onClick={() => onChange(k)}
        />
      ))}
    </Box>
  );
}

// Static: Backstage's Table builds its body anew when emptyContent changes.
const noMatches = <EmptyMessage>No resources match the filters.</EmptyMessage>;
const noResources = (
  <EmptyMessage>
    The fabric has no managed resources yet. Sync it to ingest raw/.
  </EmptyMessage>
);

/** The drift and apply columns, of a fabric with a cluster (none without one). */
function clusterColumns(hasCluster: boolean): TableColumn<ResourceItem>[] {
  if (!hasCluster) return [];
  return [
    {
      title: 'Drift',
      cellStyle: nowrap,
      render: row => (
        <DriftStatusLabel status={row.drift.status}>
          {row.drift.score !== null && row.drift.status === 'drifted'
            ? ` (${Math.round(row.drift.score * 100)} %)`
            : ''}
        </DriftStatusLabel>
      ),
    },
    {
      title: 'Apply',
      cellStyle: nowrap,
      render: row => <ApplyStatusLabel status={row.applyStatus} />,
    },
  ];
}

/**
 * The columns of one kind's list, as its module in -common describes them
 * (`HedgehogKind.columns`), read from each resource's object in Git; none for
 * all kinds or a kind the table does not know.
 */
function kindColumns(kind: string | undefined): TableColumn<ResourceItem>[] {
  const described = kind ? findKind(kind)?.columns ?? [] : [];
  return described.map(column => ({
    title: column.title,
    render: row =>
      (row.desired ? kindColumnText(row.desired, column) : '') || '–',
  }));
}

/**
 * The fabric's resources, one kind at a time or all: server-side paging, a
 * text filter on the name and a drift-status filter. Filtered to one kind, the
 * list shows that kind's own columns (from its module) instead of the kind.
 */
export function ResourcesTable(props: {
  fabric: string;
  counts: Record<string, number>;
  filters: ResourceFilters;
  onFiltersChange(filters: ResourceFilters): void;
  onOpen(resource: ResourceItem): void;
  refreshKey?: number;
  /** Debounce of the text filter in ms (default 100: a request at a pause in typing; tests set 0). */
  debounceMs?: number;
  /** Whether the fabric has a cluster: without one there is no drift or apply to show. Default true. */
  hasCluster?: boolean;
}) {
  const {
    fabric,
    counts,
    filters,
    onFiltersChange,
    onOpen,
    refreshKey,
    debounceMs = 100,
    hasCluster = true,
  } = props;
  const api = useApi(hedgehogApiRef);
  const { page, pageSize, setPage, tableProps } = useServerPaging(PAGE_SIZES);
  const [text, setText] = useState(filters.q ?? '');

  useDebounce(
    () => {
      if ((filters.q ?? '') !== text.trim()) {
        onFiltersChange({ ...filters, q: text.trim() || undefined });
      }
    },
    debounceMs,
    [text],
  );
  // the URL's q also changes without typing (browser Back, a link): follow it
  useEffect(() => {
    const q = filters.q ?? '';
    setText(current => (current.trim() === q ? current : q));
  }, [filters.q]);
  // back to the first page whenever the filters change
  useEffect(
    () => setPage(0),
    [
      setPage,
      filters.kind,
      filters.status,
      filters.q,
      filters.findings,
      filters.rule,
    ],
  );

  const state = useAsync(
    () =>
      api.listResources(fabric, {
        kind: filters.kind,
        status: filters.status,
        q: filters.q,
        findings: filters.findings,
        rule: filters.rule,
        // one kind: its columns read the objects
        include: filters.kind ? 'desired' : undefined,
        offset: page * pageSize,
        limit: pageSize,
      }),
    [
      api,
      fabric,
      filters.kind,
      filters.status,
      filters.q,
      filters.findings,
      filters.rule,
      page,
      pageSize,
      refreshKey,
    ],
  );

  // Built once: new column functions on each render reset material-table's
  // state (and make it warn); the name link opens through the latest onOpen.
  const openRef = useRef(onOpen);
  openRef.current = onOpen;
  const columns = useMemo<TableColumn<ResourceItem>[]>(
    () => [
      {
        title: 'Name',
        field: 'name',
        highlight: true,
        render: row => (
          <Link
            to={`?${new URLSearchParams({
              resource: `${row.kind}/${row.name}`,
            })}`}
            onClick={e => {
              e.preventDefault();
              e.stopPropagation();
              openRef.current(row);
            }}
          >
            {row.name}
          </Link>
        ),
      },
      ...(filters.kind
        ? kindColumns(filters.kind)
        : [{ title: 'Kind', field: 'kind', cellStyle: nowrap }]),
      ...clusterColumns(hasCluster),
      {
        title: 'Findings',
        render: row =>
          row.errors || row.warnings ? (
            <Typography
              variant="body2"
              color={row.errors ? 'error' : 'textPrimary'}
            >
              {[
                row.errors
                  ? `${row.errors} error${row.errors === 1 ? '' : 's'}`
                  : '',
                row.warnings
                  ? `${row.warnings} warning${row.warnings === 1 ? '' : 's'}`
                  : '',
              ]
                .filter(Boolean)
                .join(', ')}
            </Typography>
          ) : (
            '–'
          ),
      },
      {
        title: 'Git path',
        field: 'gitPath',
        render: row => <TruncatedPath path={row.gitPath} />,
      },
    ],
    [hasCluster, filters.kind],
  );

  const filtered = !!(
    filters.kind ||
    filters.status ||
    filters.q ||
    filters.findings ||
    filters.rule
  );
  return (
    <Box>
      <KindChips
        counts={counts}
        kind={filters.kind}
        onChange={kind => onFiltersChange({ ...filters, kind })}
      />
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
        <TextField
          label="Filter by name"
          placeholder="e.g. leaf"
          variant="outlined"
          size="small"
          value={text}
          onChange={e => setText(e.target.value)}
          inputProps={{ 'aria-label': 'Filter by name', maxLength: 253 }}
        />
        {hasCluster && (
          <FilterSelect
            id="drift-filter"
            label="Drift status"
            anyLabel="Any status"
            value={filters.status}
            options={DRIFT_OPTIONS}
            onChange={status => onFiltersChange({ ...filters, status })}
            minWidth={220}
          />
        )}
        <FindingFilters filters={filters} onChange={onFiltersChange} />
      </Box>
      {state.error ? (
        <ApiErrorPanel
          error={state.error}
          title="Could not load the resources"
        />
      ) : (
        <Table<ResourceItem>
          title={filters.kind ? `${filters.kind} resources` : 'Resources'}
          subtitle={
            state.value
              ? `${state.value.totalItems} match${
                  state.value.totalItems === 1 ? '' : 'es'
                }`
              : undefined
          }
          columns={columns}
          data={state.value?.items ?? []}
          isLoading={state.loading}
          totalCount={state.value?.totalItems ?? 0}
          {...tableProps}
          onRowClick={(_e, row) => row && onOpen(row)}
          emptyContent={filtered ? noMatches : noResources}
        />
      )}
    </Box>
  );
}
