import { Link, Table, TableColumn } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  FindingsPage,
  ListedFinding,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useEffect, useMemo, useRef } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ApiErrorPanel } from '../shared/errors';
import { EmptyMessage, TruncatedPath, useServerPaging } from '../shared/tables';
import { blocksApplyColumn } from './BlocksApply';
import { pageText, placeInFile, totalsText } from './findingText';

const PAGE_SIZES = [20, 50, 100, 200];

type Row = ListedFinding & { id: string };

/** A finding's severity, and "new" when it was not there at the previous import. */
function SeverityCell(props: { finding: ListedFinding }) {
  const { finding: f } = props;
  return (
    <>
      <Typography
        variant="body2"
        component="span"
        color={f.severity === 'error' ? 'error' : 'textPrimary'}
      >
        {f.severity}
      </Typography>
      {f.new && (
        <Chip
          size="small"
          color="primary"
          label="new"
          style={{ marginLeft: 6 }}
          aria-label="new since the previous sync"
        />
      )}
    </>
  );
}

const noFindings = <EmptyMessage>No findings match.</EmptyMessage>;

/**
 * A server-paged list of findings: severity and whether each is new, whether it
 * blocks an apply, where it is
 * (file, document numbered from 1, JSON path), its rule and message, and the
 * resource it is on. The subtitle says which of how many it shows, and the
 * exact totals of all that match.
 */
export function FindingsTable(props: {
  title: string;
  /** Loads a page; a new function (new filters) starts again at the first page. */
  load(offset: number, limit: number): Promise<FindingsPage>;
  /** Values the list depends on besides the page (filters, refresh). */
  deps: unknown[];
  onOpenResource?(resource: { kind: string; name: string }): void;
}) {
  const { title, load, deps, onOpenResource } = props;
  const { page, pageSize, setPage, tableProps } = useServerPaging(
    PAGE_SIZES,
    50,
  );
  // back to the first page whenever the filters change
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setPage(0), [setPage, ...deps]);
  const state = useAsync(
    () => load(page * pageSize, pageSize),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [page, pageSize, ...deps],
  );

  const openRef = useRef(onOpenResource);
  openRef.current = onOpenResource;
  const columns = useMemo<TableColumn<Row>[]>(
    () => [
      {
        title: 'Severity',
        cellStyle: { whiteSpace: 'nowrap' },
        render: row => <SeverityCell finding={row} />,
      },
      blocksApplyColumn<Row>(),
      {
        title: 'Where',
        render: row => (
          <>
            <TruncatedPath path={row.file} />
            <Typography variant="body2" color="textSecondary">
              {placeInFile(row) || 'the whole file'}
            </Typography>
          </>
        ),
      },
      { title: 'Rule', cellStyle: { whiteSpace: 'nowrap' }, field: 'rule' },
      {
        title: 'Message',
        // the widest column: messages name several values (hydration names every missing field)
        cellStyle: { minWidth: '24em' },
        render: row => <Typography variant="body2">{row.message}</Typography>,
      },
      {
        title: 'Resource',
        cellStyle: { whiteSpace: 'nowrap' },
        render: row =>
          row.resource && openRef.current ? (
            <Link
              to={`?${new URLSearchParams({
                tab: 'resources',
                resource: `${row.resource.kind}/${row.resource.name}`,
              })}`}
              onClick={e => {
                e.preventDefault();
                openRef.current?.(row.resource!);
              }}
            >
              {row.resource.kind}/{row.resource.name}
            </Link>
          ) : (
            row.resource && `${row.resource.kind}/${row.resource.name}`
          ),
      },
    ],
    [],
  );

  if (state.error) {
    return (
      <ApiErrorPanel error={state.error} title="Could not load the findings" />
    );
  }
  const value = state.value;
  const rows: Row[] = (value?.items ?? []).map((f, i) => ({
    ...f,
    id: `${page}-${i}`,
  }));
  const subtitle = value
    ? [
        pageText(value.offset, value.items.length, value.totalItems),
        totalsText(value.totals),
        value.complete === false
          ? 'the list holds only the findings the run record kept'
          : '',
      ]
        .filter(Boolean)
        .join(' · ')
    : undefined;
  return (
    <Table<Row>
      title={title}
      subtitle={subtitle}
      columns={columns}
      data={rows}
      isLoading={state.loading}
      totalCount={value?.totalItems ?? 0}
      {...tableProps}
      emptyContent={noFindings}
    />
  );
}
