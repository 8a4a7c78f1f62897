import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  documentLabel,
  UnmanagedFile,
} from '@fabric-gitops/plugin-hedgehog-common';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel } from '../shared/errors';
import { capitalize } from '../shared/format';
import { clientPaging, EmptyMessage } from '../shared/tables';

const columns: TableColumn<UnmanagedFile>[] = [
  { title: 'File', field: 'path', render: f => <code>{f.path}</code> },
  {
    title: 'Originally',
    field: 'originalPath',
    render: f => <code>{f.originalPath}</code>,
  },
  {
    title: 'Why it is not managed',
    render: f => (
      <Box>
        {f.reasons.map((r, i) => (
          <Typography variant="body2" key={i}>
            {r.document !== undefined
              ? `${capitalize(documentLabel(r.document))}: `
              : ''}
            {r.message}
          </Typography>
        ))}
      </Box>
    ),
  },
];

/** Files kept verbatim under unmanaged/, with the reason per document. */
export function UnmanagedFiles(props: { fabric: string; refreshKey?: number }) {
  const { fabric, refreshKey } = props;
  const api = useApi(hedgehogApiRef);
  const state = useAsync(
    () => api.listUnmanaged(fabric),
    [api, fabric, refreshKey],
  );
  if (state.error) {
    return (
      <ApiErrorPanel
        error={state.error}
        title="Could not load the unmanaged files"
      />
    );
  }
  const items = state.value?.items ?? [];
  return (
    <Table<UnmanagedFile>
      title="Unmanaged files"
      subtitle="Everything in raw/ that is not one of the managed kinds is kept here, byte for byte, with the reason"
      columns={columns}
      data={items}
      isLoading={state.loading}
      options={{ ...clientPaging(items.length, 20), search: items.length > 20 }}
      emptyContent={
        <EmptyMessage>
          No unmanaged files: every document in raw/ became a managed
          resource.
        </EmptyMessage>
      }
    />
  );
}
