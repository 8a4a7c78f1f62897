import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { useFabricSignal } from '../hooks/useFabricSignal';
import { fabricEntityRefOf, fabricResourceOf } from '../../predicates';
import { ApiErrorPanel } from '../shared/errors';
import { ApplyStatusLabel, DriftStatusLabel } from '../shared/status';

/**
 * Overview card of a switch, server or VPC entity: its fabric, kind and name,
 * drift and apply status, and a link to the resource in the fabric's tab.
 *
 * @public
 */
export function EntityResourceCard() {
  const { entity } = useEntity();
  const api = useApi(hedgehogApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const resource = fabricResourceOf(entity);
  const { fabric, kind, name } = resource ?? {};
  // read again after each run of the fabric (its drift or apply status may have changed)
  const { key } = useFabricSignal(fabric ?? '', m => m.type === 'fabric.state');
  const state = useAsync(
    async () =>
      fabric && kind && name ? api.getResource(fabric, kind, name) : undefined,
    [api, fabric, kind, name, key],
  );

  if (!resource) {
    return (
      <InfoCard title="Fabric resource">
        <Typography variant="body2">
          This entity has no githedgehog.com/fabric, resource-kind and
          resource-name annotations.
        </Typography>
      </InfoCard>
    );
  }
  const fabricRef = fabricEntityRefOf(entity, resource.fabric);
  const query = new URLSearchParams({
    tab: 'resources',
    resource: `${resource.kind}/${resource.name}`,
  });
  const resourceView = `${entityRoute(
    entityRouteParams(fabricRef),
  )}/hedgehog?${query}`;

  let content;
  if (state.loading) {
    content = <Progress />;
  } else if (state.error) {
    content = (
      <ApiErrorPanel
        error={state.error}
        title={`Could not load ${resource.kind} ${resource.name}`}
      />
    );
  } else {
    const r = state.value!;
    content = (
      <StructuredMetadataTable
        dense
        options={{ titleFormat: k => k }}
        metadata={{
          Fabric: (
            <EntityRefLink entityRef={fabricRef}>
              {resource.fabric}
            </EntityRefLink>
          ),
          Kind: r.kind,
          Name: r.name,
          Drift: (
            <DriftStatusLabel status={r.drift.status}>
              {r.drift.score !== null && r.drift.status === 'drifted'
                ? ` (score ${Math.round(r.drift.score * 100)} %)`
                : ''}
            </DriftStatusLabel>
          ),
          Apply: <ApplyStatusLabel status={r.applyStatus} />,
          'Git path': r.gitPath ? <code>{r.gitPath}</code> : 'Not in Git',
        }}
      />
    );
  }
  return (
    <InfoCard
      title="Fabric resource"
      deepLink={{ title: 'Open in the fabric', link: resourceView }}
    >
      {content}
    </InfoCard>
  );
}
