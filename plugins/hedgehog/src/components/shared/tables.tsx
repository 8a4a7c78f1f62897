import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useState } from 'react';

/** What a table shows when it has no rows. */
export function EmptyMessage(props: { children: ReactNode }) {
  return (
    <Box p={3}>
      <Typography variant="body2">{props.children}</Typography>
    </Box>
  );
}

/** Cell style of short values that must not wrap mid-word (statuses, kinds). */
export const nowrap = { whiteSpace: 'nowrap' as const };

/**
 * A long path (a Git path) on one line, cut with an ellipsis past `maxWidth`;
 * the whole path is its tooltip.
 */
export function TruncatedPath(props: { path: string; maxWidth?: string }) {
  const { path, maxWidth = '28em' } = props;
  return (
    <code
      title={path}
      style={{
        display: 'inline-block',
        maxWidth,
        overflow: 'hidden',
        textOverflow: 'ellipsis',
        whiteSpace: 'nowrap',
        verticalAlign: 'bottom',
      }}
    >
      {path}
    </code>
  );
}

/**
 * The rows with the unique `id` material-table keeps each row's state by (an
 * open detail panel survives new data); without it, it warns in development.
 */
export function withRowIds<T extends object>(
  rows: T[],
  idOf: (row: T, index: number) => string | number,
): Array<T & { id: string | number }> {
  return rows.map((row, i) => ({ ...row, id: idOf(row, i) }));
}

/** Client-side table options: paging only once the rows pass one page. */
export function clientPaging(rows: number, pageSize: number) {
  return { paging: rows > pageSize, pageSize, padding: 'dense' as const };
}

/**
 * Page state of a server-paged table: `page`/`pageSize` for the request, and the
 * Table props that keep them in step (a new page size goes back to page 0).
 */
export function useServerPaging(pageSizeOptions: number[], initialPageSize = 20) {
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(initialPageSize);
  return {
    page,
    pageSize,
    setPage,
    tableProps: {
      page,
      onPageChange: (p: number, size: number) => {
        setPage(p);
        setPageSize(size);
      },
      onRowsPerPageChange: (size: number) => {
        setPage(0);
        setPageSize(size);
      },
      options: {
        paging: true,
        pageSize,
        pageSizeOptions,
        search: false,
        sorting: false,
        padding: 'dense' as const,
        emptyRowsWhenPaging: false,
      },
    },
  };
}
