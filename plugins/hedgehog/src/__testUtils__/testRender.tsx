import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { HedgehogApi } from '@fabric-gitops/plugin-hedgehog-common';
import { ApiRef, RouteRef } from '@backstage/core-plugin-api';
import { ReactElement } from 'react';
import { hedgehogApiRef } from '../api';

export const fabricEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'demo',
    title: 'Demo fabric',
    annotations: {
      'githedgehog.com/gitops-location':
        'url:file://demo-fabric.git/tree/main/fabrics/demo',
    },
  },
  spec: { type: 'hedgehog-fabric', owner: 'guests' },
};

/** The switch entity leaf-01 of fabric demo, as the catalog module emits it. */
export function switchEntity(over: Partial<Entity> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'demo.switch.leaf-01',
      title: 'leaf-01',
      annotations: {
        'githedgehog.com/fabric': 'demo',
        'githedgehog.com/resource-kind': 'Switch',
        'githedgehog.com/resource-name': 'leaf-01',
      },
    },
    spec: {
      type: 'hedgehog-switch',
      owner: 'guests',
      dependsOn: ['resource:default/demo'],
    },
    ...over,
  };
}

/**
 * Renders an element in the legacy test app with the hedgehog API and a
 * permission API that allows everything, or denies the listed permissions:
 * `hedgehog.fabric.sync` on every fabric, `hedgehog.fabric.sync@demo` on fabric
 * `demo` only (the request's resourceRef).
 */
export function renderWithApis(
  element: ReactElement,
  options: {
    api: HedgehogApi;
    deny?: string[];
    entity?: Entity;
    route?: string;
    mountedRoutes?: Record<string, RouteRef>;
    /** More APIs, e.g. `[catalogApiRef, catalogApiMock()]`. */
    apis?: Array<readonly [ApiRef<any>, any]>;
  },
) {
  const { api, deny = [], entity, route, mountedRoutes = {}, apis = [] } = options;
  // AuthorizeResult.DENY / ALLOW of @backstage/plugin-permission-common
  const permissionApi = mockApis.permission({
    authorize: ((req: { permission: { name: string }; resourceRef?: string }) =>
      deny.includes(req.permission.name) ||
      deny.includes(`${req.permission.name}@${req.resourceRef}`)
        ? 'DENY'
        : 'ALLOW') as any,
  });
  const wrapped = (
    <TestApiProvider
      apis={[
        [hedgehogApiRef, api],
        [permissionApiRef, permissionApi],
        ...apis,
      ]}
    >
      {entity ? (
        <EntityProvider entity={entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </TestApiProvider>
  );
  return renderInTestApp(wrapped, {
    routeEntries: route ? [route] : undefined,
    mountedRoutes: {
      '/catalog/:namespace/:kind/:name': entityRouteRef,
      ...mountedRoutes,
    },
  });
}

/**
 * Finds the plain panel of an expected API error (4xx) that shows the title
 * (when given) and the backend's message; fails when it is missing or when the
 * stack or the JSON of the detailed panel are shown.
 */
export async function findApiErrorPanel(
  message: string,
  title?: string,
): Promise<HTMLElement> {
  const panel = await screen.findByTestId('api-error');
  if (title) expect(within(panel).getByText(title)).toBeInTheDocument();
  expect(within(panel).getByText(message)).toBeInTheDocument();
  expect(screen.queryByText('Stack Trace')).not.toBeInTheDocument();
  expect(screen.queryByText('Full Error as JSON')).not.toBeInTheDocument();
  return panel;
}
