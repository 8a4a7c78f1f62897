import {
  Link,
  StatusPending,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import {
  Fabric,
  FabricPullRequest,
} from '@fabric-gitops/plugin-hedgehog-common';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel } from '../shared/errors';
import { absoluteTime, relativeTime } from '../shared/format';
import { clientPaging, EmptyMessage } from '../shared/tables';

const PURPOSE: Record<FabricPullRequest['purpose'], string> = {
  sync: 'Sync review',
  adopt: 'Adoption of a cluster value',
  restore: 'Restore of managed/ to a commit',
};

const columns: TableColumn<FabricPullRequest>[] = [
  {
    title: 'Pull request',
    field: 'number',
    width: '8em',
    render: p => (
      <Link to={p.url} aria-label={`Pull request #${p.number}`}>
        #{p.number}
      </Link>
    ),
  },
  {
    title: 'Title',
    field: 'title',
    render: p => <Link to={p.url}>{p.title}</Link>,
  },
  { title: 'Branch', field: 'branch', render: p => <code>{p.branch}</code> },
  { title: 'Purpose', field: 'purpose', render: p => PURPOSE[p.purpose] },
  {
    title: 'State',
    render: () => <StatusPending>Open, awaiting review</StatusPending>,
  },
  {
    title: 'Updated',
    field: 'updatedAt',
    render: p => (
      <span title={absoluteTime(p.updatedAt)}>{relativeTime(p.updatedAt)}</span>
    ),
  },
];

/**
 * The open pull requests of a fabric in write mode `pull-request`: its review
 * branch `hedgehog/<fabric>` and its adoptions of cluster values. Renders
 * nothing for fabrics in other write modes, which never open one.
 */
export function PullRequests(props: { fabric: Fabric; refreshKey?: number }) {
  const { fabric, refreshKey } = props;
  const api = useApi(hedgehogApiRef);
  const reviewed = fabric.git.writeMode === 'pull-request';
  const state = useAsync(
    async () => (reviewed ? api.listPulls(fabric.name) : undefined),
    [api, fabric.name, reviewed, refreshKey],
  );
  if (!reviewed) return null;
  if (state.error) {
    return (
      <ApiErrorPanel
        error={state.error}
        title="Could not load the pull requests"
      />
    );
  }
  const items = state.value?.items ?? [];
  return (
    <Box data-testid="pull-requests">
      <Table<FabricPullRequest>
        title="Pull requests"
        subtitle={`Open pull requests into ${fabric.git.branch}: changes wait there for review before they reach the fabric`}
        columns={columns}
        data={items}
        isLoading={state.loading}
        options={{ ...clientPaging(items.length, 10), search: false }}
        emptyContent={
          <EmptyMessage>
            No open pull requests: nothing of fabric {fabric.name} is waiting
            for review.
          </EmptyMessage>
        }
      />
    </Box>
  );
}
