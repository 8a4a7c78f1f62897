import { screen } from '@testing-library/react';
import {
  apiError,
  fabric,
  mockHedgehogApi,
} from '../../__testUtils__/testUtils';
import {
  findApiErrorPanel,
  fabricEntity,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { EntityFabricDriftCard, EntityFabricStatusCard } from './EntityCards';

describe('EntityFabricStatusCard', () => {
  it('shows the fabric status with a link to the Fabric tab', async () => {
    const api = mockHedgehogApi({ getFabric: jest.fn(async () => fabric) });
    await renderWithApis(<EntityFabricStatusCard />, {
      api,
      entity: fabricEntity,
    });
    expect(await screen.findByText('Synced')).toBeInTheDocument();
    expect(screen.getByText('43387a09070b')).toBeInTheDocument();
    expect(screen.getByText('30')).toBeInTheDocument();
    expect(screen.getByText('lab')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open the fabric/ }),
    ).toHaveAttribute('href', '/catalog/default/resource/demo/hedgehog');
    expect(api.getFabric).toHaveBeenCalledWith('demo');
  });

  it('says which kinds the fabric manages', async () => {
    const api = mockHedgehogApi({
      getFabric: jest.fn(async () => ({
        ...fabric,
        kinds: {
          preset: 'day2' as const,
          list: ['VPC', 'VPCAttachment', 'VPCPeering'],
          source: 'manifest' as const,
        },
      })),
    });
    await renderWithApis(<EntityFabricStatusCard />, {
      api,
      entity: fabricEntity,
    });
    expect(await screen.findByTestId('fabric-kinds')).toHaveTextContent(
      'day2 (3 kinds) · from',
    );
  });

  it('shows the last sync error', async () => {
    const api = mockHedgehogApi({
      getFabric: jest.fn(async () => ({
        ...fabric,
        status: 'error' as const,
        error: 'git fetch failed: repository not found',
      })),
    });
    await renderWithApis(<EntityFabricStatusCard />, {
      api,
      entity: fabricEntity,
    });
    expect(await screen.findByText('Sync failed')).toBeInTheDocument();
    expect(
      screen.getByText('git fetch failed: repository not found'),
    ).toBeInTheDocument();
  });

  it('shows loading', async () => {
    const api = mockHedgehogApi({
      getFabric: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderWithApis(<EntityFabricStatusCard />, {
      api,
      entity: fabricEntity,
    });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend message of an error', async () => {
    const error = await apiError(
      404,
      'NotFoundError',
      'No fabric named "demo"',
    );
    const api = mockHedgehogApi({
      getFabric: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithApis(<EntityFabricStatusCard />, {
      api,
      entity: fabricEntity,
    });
    expect(
      await findApiErrorPanel('No fabric named "demo"'),
    ).toBeInTheDocument();
  });

  it('says so for an entity without the annotation', async () => {
    const api = mockHedgehogApi();
    await renderWithApis(<EntityFabricStatusCard />, {
      api,
      entity: { ...fabricEntity, metadata: { name: 'demo' } },
    });
    expect(
      await screen.findByText(/has no githedgehog.com\/gitops-location/),
    ).toBeInTheDocument();
    expect(api.getFabric).not.toHaveBeenCalled();
  });
});

describe('EntityFabricDriftCard', () => {
  it('shows counts per drift status', async () => {
    const api = mockHedgehogApi({ getFabric: jest.fn(async () => fabric) });
    await renderWithApis(<EntityFabricDriftCard />, {
      api,
      entity: fabricEntity,
    });
    expect(await screen.findByText('Drifted')).toBeInTheDocument();
    expect(screen.getByTestId('drift-in_sync')).toHaveTextContent('In sync20');
    expect(screen.getByTestId('drift-drifted')).toHaveTextContent('Drifted2');
    expect(screen.getByTestId('drift-missing_in_cluster')).toHaveTextContent(
      '1',
    );
    expect(
      screen.getByRole('link', { name: /Open the fabric/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/demo/hedgehog?tab=resources',
    );
  });

  it('explains unknown drift without a cluster', async () => {
    const api = mockHedgehogApi({
      getFabric: jest.fn(async () => ({ ...fabric, cluster: undefined })),
    });
    await renderWithApis(<EntityFabricDriftCard />, {
      api,
      entity: fabricEntity,
    });
    expect(
      await screen.findByText(
        'The fabric has no cluster, so drift is unknown.',
      ),
    ).toBeInTheDocument();
  });

  it('shows the backend message of an error', async () => {
    const error = await apiError(
      403,
      'NotAllowedError',
      'Permission hedgehog.fabric.read is required',
    );
    const api = mockHedgehogApi({
      getFabric: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithApis(<EntityFabricDriftCard />, {
      api,
      entity: fabricEntity,
    });
    expect(
      await findApiErrorPanel('Permission hedgehog.fabric.read is required'),
    ).toBeInTheDocument();
  });
});
