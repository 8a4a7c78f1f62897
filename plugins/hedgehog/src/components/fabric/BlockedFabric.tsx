import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Box from '@material-ui/core/Box';
import { Fabric } from '@fabric-gitops/plugin-hedgehog-common';

/**
 * A fabric whose catalog entity is outside the catalog fabric policy of the
 * backend's app-config: why it is never synced, what it points at, and what
 * would let it be synced. It has no runs, resources or actions to show.
 */
export function BlockedFabric(props: { fabric: Fabric }) {
  const { fabric: f } = props;
  return (
    <Box data-testid="hedgehog-fabric-blocked">
      <Alert severity="warning">
        <AlertTitle>
          Fabric {f.name} is blocked: it is never synced, applied or checked
        </AlertTitle>
        {f.blockedReason}
      </Alert>
      <Box mt={2}>
        <InfoCard title={f.title}>
          <StructuredMetadataTable
            metadata={{
              'Defined by': f.source,
              Repository: `${f.git.url} (${f.git.branch})${
                f.git.path ? `, ${f.git.path}` : ''
              }`,
              Cluster: f.cluster ?? 'none',
              'What to do':
                'Point the entity at a repository (and a cluster) that fabrics of the catalog may use, ' +
                'or ask an operator to allow them: hedgehog.catalogFabrics.repositories and ' +
                'allowCatalogFabrics on the cluster in hedgehog.clusters of the backend app-config.',
            }}
          />
        </InfoCard>
      </Box>
    </Box>
  );
}
