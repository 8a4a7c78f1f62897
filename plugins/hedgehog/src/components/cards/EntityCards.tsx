import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { Fabric } from '@fabric-gitops/plugin-hedgehog-common';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { useFabricSignal } from '../hooks/useFabricSignal';
import { fabricNameOf, isHedgehogFabricAvailable } from '../../predicates';
import { DriftSummary } from '../fabric/DriftSummary';
import { FabricKindsValue } from '../fabric/FabricStatusHeader';
import { ApiErrorPanel } from '../shared/errors';
import { absoluteTime, relativeTime, shortCommit } from '../shared/format';
import { FabricStatusLabel } from '../shared/status';

/** Path of the entity's Fabric tab. */
function useFabricTabLink(query?: string): string {
  const { entity } = useEntity();
  const entityRoute = useRouteRef(entityRouteRef);
  return `${entityRoute(entityRouteParams(entity))}/hedgehog${
    query ? `?${query}` : ''
  }`;
}

function useEntityFabric() {
  const { entity } = useEntity();
  const api = useApi(hedgehogApiRef);
  const available = isHedgehogFabricAvailable(entity);
  const name = fabricNameOf(entity);
  // read again when a run changed the fabric's state (Backstage signals)
  const { key } = useFabricSignal(name, m => m.type === 'fabric.state');
  const state = useAsync(
    async () => (available ? api.getFabric(name) : undefined),
    [api, name, available, key],
  );
  return { available, state };
}

function FabricCard(props: {
  title: string;
  query?: string;
  children(fabric: Fabric): ReactNode;
}) {
  const { available, state } = useEntityFabric();
  const link = useFabricTabLink(props.query);
  const deepLink = link ? { title: 'Open the fabric', link } : undefined;
  let content: ReactNode;
  if (!available) {
    content = (
      <Typography variant="body2">
        This entity has no githedgehog.com/gitops-location annotation.
      </Typography>
    );
  } else if (state.loading) {
    content = <Progress />;
  } else if (state.error) {
    content = <ApiErrorPanel error={state.error} />;
  } else {
    content = props.children(state.value!);
  }
  return (
    <InfoCard title={props.title} deepLink={state.value ? deepLink : undefined}>
      {content}
    </InfoCard>
  );
}

/**
 * Overview card: sync status, last sync, commit, resources, cluster and the kinds
 * it manages of the entity's fabric.
 *
 * @public
 */
export function EntityFabricStatusCard() {
  return (
    <FabricCard title="Fabric status">
      {fabric => {
        const total = Object.values(fabric.counts).reduce((a, b) => a + b, 0);
        return (
          <StructuredMetadataTable
            dense
            options={{ titleFormat: k => k }}
            metadata={{
              Status: <FabricStatusLabel status={fabric.status} />,
              'Last sync': (
                <span title={absoluteTime(fabric.lastSyncAt)}>
                  {relativeTime(fabric.lastSyncAt)}
                </span>
              ),
              Commit: <code>{shortCommit(fabric.lastSyncedCommit)}</code>,
              Resources: String(total),
              Cluster: fabric.cluster ?? 'none',
              ...(fabric.kinds
                ? { Manages: <FabricKindsValue kinds={fabric.kinds} /> }
                : {}),
              ...(fabric.error ? { Error: fabric.error } : {}),
            }}
          />
        );
      }}
    </FabricCard>
  );
}

/**
 * Overview card: counts per drift status of the entity's fabric.
 *
 * @public
 */
export function EntityFabricDriftCard() {
  return (
    <FabricCard title="Fabric drift" query="tab=resources">
      {fabric => (
        <>
          {!fabric.cluster && (
            <Typography variant="body2" color="textSecondary" paragraph>
              The fabric has no cluster, so drift is unknown.
            </Typography>
          )}
          <DriftSummary drift={fabric.drift} />
        </>
      )}
    </FabricCard>
  );
}
