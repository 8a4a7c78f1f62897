import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { Entity } from '@backstage/catalog-model';
import { HedgehogClient } from '@fabric-gitops/plugin-hedgehog-common';
import {
  EntityHedgehogFabricContent,
  EntityHedgehogFabricDriftCard,
  EntityHedgehogFabricStatusCard,
  EntityHedgehogResourceCard,
  HedgehogFabricsPage,
  hedgehogApiRef,
  hedgehogPlugin,
  isHedgehogFabricAvailable,
  isHedgehogFabricEntity,
  isHedgehogResourceEntity,
  fabricNameOf,
  fabricResourceOf,
} from './index';
import { entityContentRouteRef, rootRouteRef } from './routes';

import { fabric, leaf01, mockHedgehogApi } from './__testUtils__/testUtils';
import {
  fabricEntity,
  renderWithApis,
  switchEntity,
} from './__testUtils__/testRender';

jest.mock('@backstage/plugin-permission-react', () =>
  require('./__testUtils__/testPermissions').uncachedPermissionReact(),
);

function hedgehogApi() {
  return mockHedgehogApi({
    listFabrics: jest.fn(async () => ({ items: [fabric], totalItems: 1 })),
    getFabric: jest.fn(async () => fabric),
    clusterStatus: jest.fn(async () => ({
      cluster: 'lab',
      reachable: true,
      crds: [],
    })),
  });
}

describe('legacy plugin', () => {
  it('is the hedgehog plugin with its API and routes', () => {
    expect(hedgehogPlugin.getId()).toBe('hedgehog');
    expect(hedgehogPlugin.routes).toEqual({
      root: rootRouteRef,
      entityContent: entityContentRouteRef,
    });
    const factories = [...hedgehogPlugin.getApis()];
    expect(factories).toHaveLength(1);
    const [factory] = factories;
    expect(factory.api).toBe(hedgehogApiRef);
    expect(Object.keys(factory.deps).sort()).toEqual([
      'discoveryApi',
      'fetchApi',
    ]);
    const client = factory.factory({
      discoveryApi: {
        getBaseUrl: async () => 'http://localhost:7007/api/hedgehog',
      },
      fetchApi: { fetch: jest.fn() },
    });
    expect(client).toBeInstanceOf(HedgehogClient);
  });

  it('renders the Fabric entity tab', async () => {
    const api = hedgehogApi();
    await renderWithApis(
      <Routes>
        <Route path="/hedgehog/*" element={<EntityHedgehogFabricContent />} />
      </Routes>,
      { api, entity: fabricEntity, route: '/hedgehog' },
    );
    expect(
      await screen.findByText('Fabric demo · defined by app-config'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sync' })).toBeInTheDocument();
    expect(api.getFabric).toHaveBeenCalledWith('demo');
  });

  it('shows the missing annotation on an entity that is not a fabric', async () => {
    const api = hedgehogApi();
    await renderWithApis(
      <Routes>
        <Route path="/hedgehog/*" element={<EntityHedgehogFabricContent />} />
      </Routes>,
      {
        api,
        entity: { ...fabricEntity, metadata: { name: 'other' } },
        route: '/hedgehog',
      },
    );
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText('githedgehog.com/gitops-location').length,
    ).toBeGreaterThan(0);
    expect(api.getFabric).not.toHaveBeenCalled();
  });

  it('renders the overview cards', async () => {
    const api = hedgehogApi();
    await renderWithApis(
      <>
        <EntityHedgehogFabricStatusCard />
        <EntityHedgehogFabricDriftCard />
      </>,
      { api, entity: fabricEntity },
    );
    expect(await screen.findByText('Fabric status')).toBeInTheDocument();
    expect(await screen.findByText('Fabric drift')).toBeInTheDocument();
    expect(await screen.findByText('Synced')).toBeInTheDocument();
  });

  it('renders the resource card of a switch, server or VPC entity', async () => {
    const api = mockHedgehogApi({ getResource: jest.fn(async () => leaf01) });
    await renderWithApis(<EntityHedgehogResourceCard />, {
      api,
      entity: switchEntity(),
    });
    expect(await screen.findByText('Fabric resource')).toBeInTheDocument();
    expect(await screen.findByText('Drifted (score 13 %)')).toBeInTheDocument();
  });

  it('renders the fabrics page', async () => {
    const api = hedgehogApi();
    await renderWithApis(
      <Routes>
        <Route path="/hedgehog/*" element={<HedgehogFabricsPage />} />
      </Routes>,
      { api, route: '/hedgehog' },
    );
    expect(await screen.findByText('Hedgehog fabrics')).toBeInTheDocument();
    expect(await screen.findByText('Demo fabric')).toBeInTheDocument();
  });
});

describe('predicates', () => {
  it('recognises fabric entities by the gitops-location annotation', () => {
    expect(isHedgehogFabricAvailable(fabricEntity)).toBe(true);
    expect(isHedgehogFabricEntity(fabricEntity)).toBe(true);
    expect(fabricNameOf(fabricEntity)).toBe('demo');

    const plain: Entity = { ...fabricEntity, metadata: { name: 'demo' } };
    expect(isHedgehogFabricAvailable(plain)).toBe(false);
    expect(isHedgehogFabricEntity(plain)).toBe(true);

    const blank: Entity = {
      ...fabricEntity,
      metadata: {
        name: 'x',
        annotations: { 'githedgehog.com/gitops-location': ' ' },
      },
    };
    expect(isHedgehogFabricAvailable(blank)).toBe(false);

    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'web' },
      spec: { type: 'website' },
    };
    expect(isHedgehogFabricAvailable(component)).toBe(false);
    expect(isHedgehogFabricEntity(component)).toBe(false);
  });

  it('recognises switch, server and VPC entities by their annotations', () => {
    expect(isHedgehogResourceEntity(switchEntity())).toBe(true);
    expect(fabricResourceOf(switchEntity())).toEqual({
      fabric: 'demo',
      kind: 'Switch',
      name: 'leaf-01',
    });
    expect(isHedgehogResourceEntity(fabricEntity)).toBe(false);
    const partial = switchEntity({
      metadata: {
        name: 'x',
        annotations: { 'githedgehog.com/fabric': 'demo' },
      },
    });
    expect(isHedgehogResourceEntity(partial)).toBe(false);
    expect(fabricResourceOf(partial)).toBeUndefined();
  });
});
