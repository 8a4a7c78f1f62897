import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  FabricProbe,
  GitWriteMode,
  hedgehogFabricCreatePermission,
  isValidLabel,
  NewFabricInput,
} from '@fabric-gitops/plugin-hedgehog-common';
import { ChangeEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { errorMessage } from '../shared/errors';
import { ProbeResult } from './ProbeResult';
import { Registration } from './Registration';

const WRITE_MODES: Array<{ value: GitWriteMode; label: string }> = [
  { value: 'push', label: 'push: one commit per sync on the branch' },
  {
    value: 'pull-request',
    label: 'pull-request: a review branch and pull request',
  },
  { value: 'none', label: 'none: read only' },
];

const EMPTY: NewFabricInput = {
  name: '',
  title: '',
  owner: '',
  url: '',
  branch: 'main',
  path: '',
  writeMode: 'push',
  cluster: '',
};

/** The clusters fabrics of the backend name (the names a new fabric may choose from, as far as the list shows). */
function useKnownClusters(): string[] {
  const api = useApi(hedgehogApiRef);
  const { value } = useAsync(async () => {
    const { items } = await api.listFabrics();
    return [
      ...new Set(
        items.map(f => f.cluster).filter((c): c is string => Boolean(c)),
      ),
    ].sort();
  }, [api]);
  return value ?? [];
}

/**
 * "Add fabric": where the fabric lives (Git URL, branch, directory), how it writes
 * and where it applies; Check asks the backend to look at the repository
 * (`POST /fabrics/probe`), then the page offers a catalog entity (inside the
 * catalog fabric policy) or the app-config entry.
 */
export function AddFabricPage() {
  const api = useApi(hedgehogApiRef);
  const allowed = usePermission({ permission: hedgehogFabricCreatePermission });
  const clusters = useKnownClusters();
  const [input, setInput] = useState<NewFabricInput>(EMPTY);
  const [probe, setProbe] = useState<FabricProbe>();
  const [state, setState] = useState<{ busy?: boolean; error?: string }>({});

  const set =
    (field: keyof NewFabricInput) => (e: ChangeEvent<{ value: unknown }>) => {
      setInput({ ...input, [field]: String(e.target.value) });
      // a probe answers for one location (and cluster): another one needs another check
      if (['url', 'branch', 'path', 'cluster'].includes(field))
        setProbe(undefined);
    };
  const nameProblem =
    input.name && !isValidLabel(input.name)
      ? 'lower-case letters, digits and -, at most 63 characters'
      : undefined;
  const check = async () => {
    setState({ busy: true });
    try {
      const answer = await api.probeFabric({
        url: input.url,
        branch: input.branch,
        path: input.path,
        cluster: input.cluster || undefined,
      });
      setProbe(answer);
      setState({});
    } catch (e) {
      setState({ error: errorMessage(e) });
    }
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Add fabric"
          subheader="A Git repository holding (or about to hold) a fabric's GitOps directory"
        >
          {!allowed.loading && !allowed.allowed && (
            <Alert severity="warning">
              You need the permission hedgehog.fabric.create to check a
              repository. Ask an operator, or add the fabric to app-config
              yourself.
            </Alert>
          )}
          <TextField
            label="Git URL"
            required
            fullWidth
            margin="dense"
            id="add-fabric-url"
            value={input.url}
            onChange={set('url')}
            helperText="https://github.com/acme/network.git, file:///srv/git/fabrics.git, … (no credentials: they come from integrations)"
          />
          <Box display="flex" style={{ gap: 16 }}>
            <TextField
              label="Branch"
              margin="dense"
              id="add-fabric-branch"
              value={input.branch}
              onChange={set('branch')}
            />
            <TextField
              label="Directory"
              margin="dense"
              fullWidth
              id="add-fabric-path"
              value={input.path}
              onChange={set('path')}
              helperText="Folder of the fabric in the repository; empty for its root"
            />
          </Box>
          <Box display="flex" style={{ gap: 16 }}>
            <TextField
              label="Fabric name"
              required
              margin="dense"
              id="add-fabric-name"
              value={input.name}
              onChange={set('name')}
              error={Boolean(nameProblem)}
              helperText={nameProblem ?? 'Its id in URLs'}
            />
            <TextField
              label="Title"
              margin="dense"
              fullWidth
              id="add-fabric-title"
              value={input.title}
              onChange={set('title')}
            />
          </Box>
          <TextField
            label="Owner"
            margin="dense"
            fullWidth
            id="add-fabric-owner"
            value={input.owner}
            onChange={set('owner')}
            helperText="A group or user, e.g. group:default/network"
          />
          <TextField
            select
            label="Write mode"
            margin="dense"
            fullWidth
            id="add-fabric-writeMode"
            value={input.writeMode}
            onChange={set('writeMode')}
          >
            {WRITE_MODES.map(m => (
              <MenuItem key={m.value} value={m.value}>
                {m.label}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Cluster"
            margin="dense"
            fullWidth
            id="add-fabric-cluster"
            value={input.cluster}
            onChange={set('cluster')}
            helperText={`A cluster of hedgehog.clusters, or empty for a fabric kept in Git only${
              clusters.length ? ` (in use: ${clusters.join(', ')})` : ''
            }`}
          />
          <Box mt={2}>
            <Button
              variant="contained"
              color="primary"
              onClick={check}
              disabled={!input.url.trim() || state.busy || !allowed.allowed}
            >
              {state.busy ? 'Checking…' : 'Check'}
            </Button>
          </Box>
          {state.error && (
            <Box mt={2}>
              <Alert severity="error">{state.error}</Alert>
            </Box>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        {probe ? (
          <>
            <ProbeResult probe={probe} />
            {probe.reachable && !isValidLabel(input.name) && (
              <Box mt={2}>
                <Alert severity="info">
                  Give the fabric a name to see how to add it.
                </Alert>
              </Box>
            )}
            {probe.reachable && isValidLabel(input.name) && (
              // the location as the backend read it (directory without slashes, default branch)
              <Registration
                input={{
                  ...input,
                  url: probe.url,
                  branch: probe.branch,
                  path: probe.path,
                }}
                probe={probe}
              />
            )}
          </>
        ) : (
          <Typography variant="body2" color="textSecondary">
            Check asks the backend to read the repository with its own
            credentials and says what the directory holds, whether a catalog
            entity may add it (hedgehog.catalogFabrics of app-config), and what
            to paste into app-config otherwise. Nothing is written.
          </Typography>
        )}
      </Grid>
    </Grid>
  );
}
