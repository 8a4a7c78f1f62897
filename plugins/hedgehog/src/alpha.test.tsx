import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import hedgehogPlugin, {
  hedgehogApi,
  hedgehogEntityContent,
  hedgehogFabricDriftCard,
  hedgehogFabricStatusCard,
  hedgehogFabricsPage,
  hedgehogResourceCard,
} from './alpha';
import { hedgehogApiRef } from './api';
import { fabric, leaf01, mockHedgehogApi } from './__testUtils__/testUtils';
import { fabricEntity, switchEntity } from './__testUtils__/testRender';

const component = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web' },
  spec: { type: 'website' },
};

describe('new frontend system plugin', () => {
  it('has the api, page, entity content and cards', () => {
    expect(hedgehogPlugin.pluginId).toBe('hedgehog');
    expect(hedgehogPlugin.getExtension('api:hedgehog')).toBeDefined();
    expect(hedgehogPlugin.getExtension('page:hedgehog')).toBeDefined();
    expect(
      hedgehogPlugin.getExtension('entity-content:hedgehog/fabric'),
    ).toBeDefined();
    expect(
      hedgehogPlugin.getExtension('entity-card:hedgehog/fabric-status'),
    ).toBeDefined();
    expect(
      hedgehogPlugin.getExtension('entity-card:hedgehog/fabric-drift'),
    ).toBeDefined();
    expect(
      hedgehogPlugin.getExtension('entity-card:hedgehog/resource'),
    ).toBeDefined();
  });

  it('shows the resource card on switch, server and VPC entities only', () => {
    const filter = createExtensionTester(hedgehogResourceCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(switchEntity())).toBe(true);
    expect(filter(fabricEntity)).toBe(false);
    expect(filter(component)).toBe(false);
  });

  it('renders the resource card', async () => {
    const api = mockHedgehogApi({ getResource: jest.fn(async () => leaf01) });
    const tester = createExtensionTester(hedgehogResourceCard, {
      apis: [[hedgehogApiRef, api]],
    });
    renderInTestApp(
      <EntityProvider entity={switchEntity()}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[hedgehogApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText('Drifted (score 13 %)')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open in the fabric/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/demo/hedgehog?tab=resources&resource=Switch%2Fleaf-01',
    );
  });

  it('provides the HedgehogClient for hedgehogApiRef', () => {
    const factory = createExtensionTester(hedgehogApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(hedgehogApiRef);
    expect(Object.keys(factory.deps).sort()).toEqual([
      'discoveryApi',
      'fetchApi',
    ]);
  });

  it('mounts the Fabric tab at hedgehog on fabric entities only', () => {
    const tester = createExtensionTester(hedgehogEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('hedgehog');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Fabric');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(fabricEntity)).toBe(true);
    expect(filter(component)).toBe(false);
  });

  it('shows the cards on fabric entities only', () => {
    const filters = [
      createExtensionTester(hedgehogFabricStatusCard).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      )!,
      createExtensionTester(hedgehogFabricDriftCard).get(
        EntityCardBlueprint.dataRefs.filterFunction,
      )!,
    ];
    for (const filter of filters) {
      expect(filter(fabricEntity)).toBe(true);
      expect(filter(component)).toBe(false);
    }
  });

  it('renders the fabrics page with a nav title', async () => {
    const api = mockHedgehogApi({
      listFabrics: jest.fn(async () => ({ items: [fabric], totalItems: 1 })),
    });
    const tester = createExtensionTester(hedgehogFabricsPage, {
      apis: [[hedgehogApiRef, api]],
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('/hedgehog');
    expect(tester.get(coreExtensionData.title)).toBe('Fabrics');
    renderInTestApp(tester.reactElement(), { apis: [[hedgehogApiRef, api]] });
    expect(await screen.findByText('Demo fabric')).toBeInTheDocument();
  });

  it('renders the status card', async () => {
    const api = mockHedgehogApi({ getFabric: jest.fn(async () => fabric) });
    const tester = createExtensionTester(hedgehogFabricStatusCard, {
      apis: [[hedgehogApiRef, api]],
    });
    renderInTestApp(
      <EntityProvider entity={fabricEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[hedgehogApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText('Fabric status')).toBeInTheDocument();
    expect(await screen.findByText('Synced')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open the fabric/ }),
    ).toHaveAttribute('href', '/catalog/default/resource/demo/hedgehog');
  });
});
