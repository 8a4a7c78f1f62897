import { screen, waitFor } from '@testing-library/react';
import { fabricSignalChannel } from '@fabric-gitops/plugin-hedgehog-common';
import { fakeSignalApi } from '../../__testUtils__/fakeSignals';
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

  it("reads the fabric again when its state's message comes", async () => {
    const signals = fakeSignalApi();
    const getFabric = jest.fn(async () => fabric);
    await renderWithApis(<EntityFabricStatusCard />, {
      api: mockHedgehogApi({ getFabric }),
      entity: fabricEntity,
      apis: [signals.entry],
    });
    expect(await screen.findByText('Synced')).toBeInTheDocument();
    expect(getFabric).toHaveBeenCalledTimes(1);
    getFabric.mockResolvedValue({ ...fabric, status: 'error', error: 'boom' });
    // a run's progress is not the card's business
    await signals.emit(fabricSignalChannel('demo'), {
      type: 'stage.started',
      fabric: 'demo',
      runId: 'r1',
      stage: 'fetch',
    });
    expect(getFabric).toHaveBeenCalledTimes(1);
    await signals.emit(fabricSignalChannel('demo'), {
      type: 'fabric.state',
      fabric: 'demo',
      status: 'error',
      drift: fabric.drift,
    });
    expect(await screen.findByText('Sync failed')).toBeInTheDocument();
    await waitFor(() => expect(getFabric).toHaveBeenCalledTimes(2));
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
