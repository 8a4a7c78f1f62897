import { screen, within } from '@testing-library/react';
import {
  apiError,
  leaf01,
  mockHedgehogApi,
} from '../../__testUtils__/testUtils';
import {
  findApiErrorPanel,
  renderWithApis,
  switchEntity,
} from '../../__testUtils__/testRender';
import { EntityResourceCard } from './EntityResourceCard';

function row(label: string) {
  return screen.getByText(label).closest('tr')!;
}

describe('EntityResourceCard', () => {
  it("shows the resource's fabric, kind, name, drift and apply status", async () => {
    const api = mockHedgehogApi({ getResource: jest.fn(async () => leaf01) });
    await renderWithApis(<EntityResourceCard />, {
      api,
      entity: switchEntity(),
    });
    expect(await screen.findByText('Drifted (score 13 %)')).toBeInTheDocument();
    expect(api.getResource).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01');
    expect(
      within(row('Fabric')).getByRole('link', { name: 'demo' }),
    ).toHaveAttribute('href', '/catalog/default/resource/demo');
    expect(within(row('Kind')).getByText('Switch')).toBeInTheDocument();
    expect(within(row('Name')).getByText('leaf-01')).toBeInTheDocument();
    expect(within(row('Apply')).getByText('Applied')).toBeInTheDocument();
    expect(
      within(row('Git path')).getByText('managed/switches/leaf-01.yaml'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open in the fabric/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/demo/hedgehog?tab=resources&resource=Switch%2Fleaf-01',
    );
  });

  it('links to the fabric entity the resource depends on', async () => {
    const api = mockHedgehogApi({ getResource: jest.fn(async () => leaf01) });
    const entity = switchEntity();
    entity.spec = { ...entity.spec, dependsOn: undefined };
    entity.relations = [
      { type: 'dependsOn', targetRef: 'resource:network/demo' },
      { type: 'ownedBy', targetRef: 'group:default/guests' },
    ];
    await renderWithApis(<EntityResourceCard />, { api, entity });
    expect(await screen.findByText('Drifted (score 13 %)')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open in the fabric/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/network/resource/demo/hedgehog?tab=resources&resource=Switch%2Fleaf-01',
    );
  });

  it('shows the backend message when the resource is not known', async () => {
    const error = await apiError(
      404,
      'NotFoundError',
      'No Switch named leaf-01 in fabric demo',
    );
    const api = mockHedgehogApi({
      getResource: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithApis(<EntityResourceCard />, {
      api,
      entity: switchEntity(),
    });
    expect(
      await findApiErrorPanel(
        'No Switch named leaf-01 in fabric demo',
        'Could not load Switch leaf-01',
      ),
    ).toBeInTheDocument();
  });

  it('says what is missing on an entity without the annotations', async () => {
    const api = mockHedgehogApi();
    await renderWithApis(<EntityResourceCard />, {
      api,
      entity: switchEntity({ metadata: { name: 'other' } }),
    });
    expect(
      await screen.findByText(/has no githedgehog.com\/fabric/),
    ).toBeInTheDocument();
    expect(api.getResource).not.toHaveBeenCalled();
  });
});
