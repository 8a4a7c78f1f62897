import { CopyTextButton, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  fabricAppConfigSnippet,
  fabricEntityYaml,
  FabricProbe,
  GitWriteMode,
  NewFabricInput,
  repositoryFileUrl,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useState } from 'react';
import { errorMessage } from '../shared/errors';

const ORDER: GitWriteMode[] = ['none', 'pull-request', 'push'];

/** The write mode a catalog fabric gets: the one asked for, at most the policy's. */
function limited(asked: GitWriteMode, highest: GitWriteMode): GitWriteMode {
  return ORDER[Math.min(ORDER.indexOf(asked), ORDER.indexOf(highest))];
}

/** A YAML text to copy. */
function Snippet(props: { text: string; label: string }) {
  return (
    <Box position="relative" bgcolor="action.hover" p={1} mb={1}>
      <Box position="absolute" top={0} right={0}>
        <CopyTextButton
          text={props.text}
          tooltipText={`${props.label} copied`}
          aria-label={`Copy ${props.label}`}
        />
      </Box>
      <pre aria-label={props.label} style={{ margin: 0, overflowX: 'auto' }}>
        {props.text}
      </pre>
    </Box>
  );
}

function CatalogPath(props: { input: NewFabricInput; probe: FabricProbe }) {
  const { input, probe } = props;
  const catalogApi = useApi(catalogApiRef);
  const [state, setState] = useState<{
    busy?: boolean;
    error?: string;
    done?: string;
  }>({});
  const fileUrl = repositoryFileUrl(input, 'catalog-info.yaml');
  const where = input.path
    ? `${input.path}/catalog-info.yaml`
    : 'catalog-info.yaml';
  const writeMode = limited(input.writeMode, probe.catalog.writeMode);
  const register = async () => {
    setState({ busy: true });
    try {
      await catalogApi.addLocation({ type: 'url', target: fileUrl! });
      setState({ done: `resource:default/${input.name}` });
    } catch (e) {
      setState({ error: errorMessage(e) });
    }
  };
  return (
    <Box mb={3}>
      <Typography variant="h6">Register in the catalog</Typography>
      <Typography variant="body2" paragraph>
        The catalog fabric policy allows this repository
        {input.cluster ? ` and cluster ${input.cluster}` : ''}. A catalog fabric
        writes at most with <b>{probe.catalog.writeMode}</b>
        {writeMode !== input.writeMode
          ? ` (you asked for ${input.writeMode}; it gets ${writeMode})`
          : ''}
        . Commit this entity as <code>{where}</code> on branch {input.branch}:
      </Typography>
      <Snippet text={fabricEntityYaml(input)} label="catalog-info.yaml" />
      {fileUrl ? (
        <Box mt={1}>
          <Button
            variant="contained"
            color="primary"
            disabled={
              !probe.directory?.catalogInfo || state.busy || Boolean(state.done)
            }
            onClick={register}
          >
            Register in the catalog
          </Button>
          {!probe.directory?.catalogInfo && (
            <Typography variant="body2" color="textSecondary">
              {where} is not in the branch yet: commit it, then Check again.
            </Typography>
          )}
        </Box>
      ) : (
        <Typography variant="body2" color="textSecondary">
          The catalog reads entities from GitHub and GitLab repositories; it
          cannot read one from this repository. Register the file where your
          catalog reads locations (catalog.locations of app-config), or add the
          fabric to app-config below.
        </Typography>
      )}
      {state.error && <Alert severity="error">{state.error}</Alert>}
      {state.done && (
        <Alert severity="success">
          Registered {fileUrl}. The catalog reads it within a minute; the fabric
          then appears in the <Link to="..">fabrics list</Link>.
        </Alert>
      )}
    </Box>
  );
}

/**
 * How the fabric is added once the repository checked out: a catalog entity when
 * the catalog fabric policy allows it, and always the app-config entry (the
 * operator's path, not subject to that policy).
 */
export function Registration(props: {
  input: NewFabricInput;
  probe: FabricProbe;
}) {
  const { input, probe } = props;
  return (
    <Box mt={2} data-testid="registration">
      {probe.catalog.allowed ? (
        <CatalogPath input={input} probe={probe} />
      ) : (
        <Alert severity="info" style={{ marginBottom: 16 }}>
          A catalog entity cannot add this fabric: {probe.catalog.reason}. Add
          it to app-config instead (an operator's fabric is not subject to the
          catalog fabric policy).
        </Alert>
      )}
      <Typography variant="h6">Add it to app-config</Typography>
      <Typography variant="body2" paragraph>
        Paste this into app-config.yaml (or app-config.local.yaml) and restart
        the backend; Git credentials come from the integrations section, never
        from the URL.
      </Typography>
      <Snippet text={fabricAppConfigSnippet(input)} label="app-config entry" />
    </Box>
  );
}
