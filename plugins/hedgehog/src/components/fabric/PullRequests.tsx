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
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel } from '../shared/errors';
import { absoluteTime, relativeTime } from '../shared/format';
import { clientPaging, EmptyMessage } from '../shared/tables';
import { PlanSummary } from './PlanSummary';

const PURPOSE: Record<FabricPullRequest['purpose'], string> = {
  sync: 'Sync review',
  adopt: 'Adoption of a cluster value',
  restore: 'Restore of managed/ to a commit',
};

/** The plan of a pull request's head: what an apply would do once it is merged. */
function PullRequestPlan(props: { fabric: string; pull: FabricPullRequest }) {
  const { fabric, pull } = props;
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        onClick={() => setOpen(true)}
        aria-label={`Plan of pull request #${pull.number}`}
      >
        Plan
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        maxWidth="md"
        fullWidth
      >
        <DialogTitle>
          Pull request #{pull.number}: what an apply would do once it is merged
        </DialogTitle>
        <DialogContent>
          {open && (
            <PlanSummary
              fabric={fabric}
              target={{ pullRequest: pull.number }}
            />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

const baseColumns: TableColumn<FabricPullRequest>[] = [
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
 * branch `hedgehog/<fabric>`, its adoptions of cluster values and restores; with a
 * cluster, each with its plan (what an apply would do once it is merged). Renders
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
  // with a cluster, each pull request's plan (POST .../plan with pullRequest)
  const columns: TableColumn<FabricPullRequest>[] = fabric.cluster
    ? [
        ...baseColumns,
        {
          title: 'Plan',
          render: p => <PullRequestPlan fabric={fabric.name} pull={p} />,
        },
      ]
    : baseColumns;
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
