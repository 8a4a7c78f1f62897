import {
  Content,
  Header,
  Link,
  Page,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { Fabric } from '@fabric-gitops/plugin-hedgehog-common';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { DriftSummary } from '../fabric/DriftSummary';
import { ApiErrorPanel } from '../shared/errors';
import { absoluteTime, relativeTime, shortCommit } from '../shared/format';
import { FabricView } from '../fabric/FabricView';
import { FabricSearch } from '../search/FabricSearch';
import { AddFabricPage } from '../addFabric/AddFabricPage';
import { FabricStatusLabel, OpenFindings } from '../shared/status';
import { clientPaging, EmptyMessage } from '../shared/tables';

/** The kinds a fabric manages, short: its preset or how many kinds (all of them in the tooltip). */
function ManagedKinds(props: { kinds: Fabric['kinds'] }) {
  const { kinds } = props;
  if (!kinds) return <>–</>;
  const n = kinds.list.length;
  return (
    <span title={kinds.list.join(', ')}>
      {kinds.preset ? `${kinds.preset} (${n})` : `${n} kind${n === 1 ? '' : 's'}`}
    </span>
  );
}

/** The Add fabric page, below the list (`-` starts no fabric name, so no fabric hides it). */
const ADD_FABRIC_PATH = '-/add';

function SourceCell(props: { source: string }) {
  const { source } = props;
  if (source.startsWith('catalog:')) {
    return <EntityRefLink entityRef={source.slice('catalog:'.length)} />;
  }
  return <span>{source}</span>;
}

const columns: TableColumn<Fabric>[] = [
  {
    title: 'Fabric',
    field: 'name',
    highlight: true,
    render: f => (
      <Link to={encodeURIComponent(f.name)}>{f.title || f.name}</Link>
    ),
  },
  { title: 'Name', field: 'name' },
  {
    title: 'Status',
    cellStyle: { whiteSpace: 'nowrap' },
    render: f => <FabricStatusLabel status={f.status} />,
  },
  {
    title: 'Open in Git',
    cellStyle: { whiteSpace: 'nowrap' },
    render: f => <OpenFindings fabric={f} />,
  },
  {
    title: 'Last sync',
    render: f => (
      <span title={absoluteTime(f.lastSyncAt)}>
        {relativeTime(f.lastSyncAt)}
      </span>
    ),
  },
  {
    title: 'Commit',
    cellStyle: { whiteSpace: 'nowrap' },
    render: f => <code>{shortCommit(f.lastSyncedCommit)}</code>,
  },
  {
    title: 'Resources',
    render: f => String(Object.values(f.counts).reduce((a, b) => a + b, 0)),
  },
  {
    title: 'Drift',
    cellStyle: { whiteSpace: 'nowrap' },
    render: f =>
      f.cluster ? (
        <DriftSummary drift={f.drift} compact />
      ) : (
        <Typography variant="body2" color="textSecondary">
          no cluster
        </Typography>
      ),
  },
  { title: 'Cluster', render: f => f.cluster ?? '–' },
  { title: 'Manages', render: f => <ManagedKinds kinds={f.kinds} /> },
  { title: 'Defined by', render: f => <SourceCell source={f.source} /> },
];

/** The table of all fabrics the backend knows. */
export function FabricsList() {
  const api = useApi(hedgehogApiRef);
  const navigate = useNavigate();
  const state = useAsync(() => api.listFabrics(), [api]);
  if (state.error) {
    return (
      <ApiErrorPanel error={state.error} title="Could not load the fabrics" />
    );
  }
  const items = state.value?.items ?? [];
  return (
    <>
      <Box mb={2} display="flex" justifyContent="flex-end">
        <Button
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          onClick={() => navigate(ADD_FABRIC_PATH)}
        >
          Add fabric
        </Button>
      </Box>
      <Table<Fabric>
        title="Fabrics"
        subtitle="Hedgehog fabrics managed through GitOps"
        columns={columns}
        data={items}
        isLoading={state.loading}
        options={{ ...clientPaging(items.length, 20), search: true }}
        emptyContent={
          <EmptyMessage>
            No fabrics yet. Add fabric checks a repository of yours and shows
            how to add it (a catalog entity or hedgehog.fabrics in app-config);
            the New Hedgehog fabric template creates a new one.
          </EmptyMessage>
        }
      />
    </>
  );
}

function BackToList() {
  const navigate = useNavigate();
  return (
    <Box mb={2}>
      <Button
        startIcon={<ArrowBackIcon />}
        size="small"
        onClick={() => navigate('..')}
      >
        All fabrics
      </Button>
    </Box>
  );
}

function FabricRoute() {
  const { fabric } = useParams();
  const navigate = useNavigate();
  return (
    <Box>
      <Box mb={2}>
        <Button
          startIcon={<ArrowBackIcon />}
          size="small"
          onClick={() => navigate('..')}
        >
          All fabrics
        </Button>
      </Box>
      <FabricView fabric={fabric!} />
    </Box>
  );
}

/**
 * The fabrics page content: the list at its root, one fabric at `<root>/<name>`.
 *
 * @public
 */
export function FabricsPageContent() {
  return (
    <Routes>
      <Route
        path="/"
        element={
          <>
            <FabricSearch />
            <FabricsList />
          </>
        }
      />
      <Route
        path={`/${ADD_FABRIC_PATH}`}
        element={
          <>
            <BackToList />
            <AddFabricPage />
          </>
        }
      />
      <Route path="/:fabric" element={<FabricRoute />} />
    </Routes>
  );
}

/**
 * The fabrics page of the legacy frontend system, with its own header.
 *
 * @public
 */
export function HedgehogFabricsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Hedgehog fabrics"
        subtitle="GitOps for Hedgehog Open Network Fabric"
      />
      <Content>
        <FabricsPageContent />
      </Content>
    </Page>
  );
}
