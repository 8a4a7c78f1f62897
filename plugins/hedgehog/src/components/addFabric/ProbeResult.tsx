import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  FabricProbe,
  ProbeFolder,
} from '@fabric-gitops/plugin-hedgehog-common';
import Alert from '@material-ui/lab/Alert';
import { shortCommit } from '../shared/format';

const LAYOUTS: Record<NonNullable<FabricProbe['layout']>, string> = {
  fabric: 'A fabric directory',
  'raw-only': 'Raw files, layout missing',
  'needs-bootstrap': 'Needs bootstrap',
  'yaml-outside-raw': 'YAML outside raw/',
};

function files(f: ProbeFolder) {
  return `${f.files} file${f.files === 1 ? '' : 's'}${
    f.files !== f.yamlFiles ? ` (${f.yamlFiles} YAML)` : ''
  }`;
}

/** What a probe of the repository found, in words a newcomer can act on. */
export function ProbeResult(props: { probe: FabricProbe }) {
  const { probe } = props;
  const where = `${probe.url} · ${probe.branch}${
    probe.path ? ` · ${probe.path}/` : ' · repository root'
  }`;
  if (!probe.reachable) {
    return (
      <Alert severity="error" data-testid="probe-result">
        <Typography variant="subtitle2">
          The backend cannot read {probe.url}
        </Typography>
        <Typography variant="body2">{probe.advice}</Typography>
        {probe.error && (
          <Typography
            variant="body2"
            component="pre"
            style={{ whiteSpace: 'pre-wrap' }}
          >
            {probe.error}
          </Typography>
        )}
      </Alert>
    );
  }
  const d = probe.directory;
  const good = probe.layout === 'fabric' || probe.layout === 'raw-only';
  return (
    <Alert severity={good ? 'success' : 'warning'} data-testid="probe-result">
      <Typography variant="subtitle2">
        Reachable
        {probe.usedCredentials
          ? ' with the credentials of integrations'
          : ''}: {where}
      </Typography>
      {probe.commit && (
        <Typography variant="body2">
          Head commit {shortCommit(probe.commit)}
        </Typography>
      )}
      {probe.layout && (
        <Typography variant="body2">
          <b>{LAYOUTS[probe.layout]}</b>: {probe.advice}
        </Typography>
      )}
      {!probe.layout && <Typography variant="body2">{probe.advice}</Typography>}
      {d && d.exists && (
        <Box component="ul" mt={1} mb={0} pl={2}>
          <li>raw/: {files(d.raw)}</li>
          <li>managed/: {files(d.managed)}</li>
          <li>unmanaged/: {files(d.unmanaged)}</li>
          <li>.gitops/manifest.yaml: {d.manifest ? 'present' : 'missing'}</li>
          <li>catalog-info.yaml: {d.catalogInfo ? 'present' : 'missing'}</li>
          {d.otherYamlFiles > 0 && (
            <li>other YAML files: {d.otherYamlFiles}</li>
          )}
          {d.truncated && (
            <li>only the first {d.totalFiles} files were listed</li>
          )}
        </Box>
      )}
      {probe.existingFabric && (
        <Typography variant="body2">
          The backend already has this directory as fabric{' '}
          <b>{probe.existingFabric}</b>.
        </Typography>
      )}
    </Alert>
  );
}
