import { Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import {
  SEARCH_QUERY_MAX_LENGTH,
  SearchHit,
  SearchResponse,
} from '@fabric-gitops/plugin-hedgehog-common';
import { FormEvent, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel } from '../shared/errors';
import {
  clientPaging,
  EmptyMessage,
  TruncatedPath,
  withRowIds,
} from '../shared/tables';

/** The fabric view of a hit's resource, relative to the fabrics page. */
export function resourceLink(hit: SearchHit): string {
  const query = new URLSearchParams({
    tab: 'resources',
    resource: `${hit.kind}/${hit.name}`,
  });
  return `${encodeURIComponent(hit.fabric)}?${query}`;
}

const columns: TableColumn<SearchHit & { id: string | number }>[] = [
  { title: 'Fabric', field: 'fabric' },
  { title: 'Kind', field: 'kind' },
  {
    title: 'Resource',
    field: 'name',
    highlight: true,
    render: h => <Link to={resourceLink(h)}>{h.name}</Link>,
  },
  { title: 'Field', render: h => <code>{h.path}</code> },
  { title: 'Value', render: h => <code>{h.value}</code> },
  {
    title: 'File',
    render: h => (h.file ? <TruncatedPath path={h.file} /> : '–'),
  },
];

function resultTitle(result: SearchResponse, q: string): string {
  const n = result.totalItems.toLocaleString('en-US');
  const matches = `${n}${result.truncated ? '+' : ''} match${
    result.totalItems === 1 ? '' : 'es'
  } for "${q}"`;
  return result.truncated
    ? `${matches} (showing ${result.items.length.toLocaleString(
        'en-US',
      )}; narrow the search to see the others)`
    : matches;
}

/**
 * Search of every fabric the user may read by name, port, IP, subnet, VLAN or
 * ASN; each match links to its resource in the fabric view.
 *
 * @public
 */
export function FabricSearch() {
  const api = useApi(hedgehogApiRef);
  const [q, setQ] = useState('');
  const [searched, setSearched] = useState('');
  const [state, run] = useAsyncFn(
    (query: string) => api.search(query, { limit: 200 }),
    [api],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const query = q.trim();
    if (!query) return;
    setSearched(query);
    run(query);
  };

  return (
    <Box mb={3}>
      <form onSubmit={submit} role="search" aria-label="Search fabrics">
        <Box display="flex" alignItems="center" gridGap={8}>
          <TextField
            id="hedgehog-fabric-search"
            label="Search fabrics"
            placeholder="name, port (E1/34), IP, subnet, VLAN or ASN"
            variant="outlined"
            size="small"
            value={q}
            onChange={e => setQ(e.target.value)}
            inputProps={{ maxLength: SEARCH_QUERY_MAX_LENGTH }}
            style={{ minWidth: 360 }}
          />
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={!q.trim() || state.loading}
          >
            Search
          </Button>
        </Box>
      </form>
      {state.error && (
        <Box mt={2}>
          <ApiErrorPanel error={state.error} title="Could not search" />
        </Box>
      )}
      {(state.loading || state.value) && (
        <Box mt={2}>
          <Table<SearchHit & { id: string | number }>
            title={
              state.value
                ? resultTitle(state.value, searched)
                : `Searching for "${searched}"`
            }
            columns={columns}
            data={withRowIds(
              state.value?.items ?? [],
              h => `${h.fabric}/${h.kind}/${h.name}/${h.path}`,
            )}
            isLoading={state.loading}
            options={clientPaging(state.value?.items.length ?? 0, 10)}
            emptyContent={
              <EmptyMessage>
                Nothing matches "{searched}" in the fabrics you may read. A port
                is found by its switch-side name (E1/34) or in full
                (leaf-01/E1/34); numbers match whole values.
              </EmptyMessage>
            }
          />
        </Box>
      )}
    </Box>
  );
}
