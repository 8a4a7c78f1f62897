import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  EntityProvider,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  catalogModuleHedgehogEntityProvider,
  pluginTokenFetch,
} from './module';

describe('catalogModuleHedgehogEntityProvider', () => {
  it('adds the provider, which schedules its refresh from config when connected', async () => {
    const providers: EntityProvider[] = [];
    const scheduler = mockServices.scheduler();
    await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          { addEntityProvider: (p: EntityProvider) => void providers.push(p) },
        ],
      ],
      features: [
        catalogModuleHedgehogEntityProvider,
        catalogServiceMock.factory(),
        // the mock scheduler as is: tasks run only when a test triggers them
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              providers: {
                hedgehog: {
                  schedule: {
                    frequency: { minutes: 7 },
                    timeout: { minutes: 2 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    expect(providers.map(p => p.getProviderName())).toEqual(['hedgehog']);
    await providers[0].connect({
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    });
    expect((await scheduler.getScheduledTasks()).map(t => t.id)).toEqual([
      'hedgehog:refresh',
    ]);
  });

  it('calls the hedgehog backend with a plugin-to-plugin token of its own identity', async () => {
    const auth = mockServices.auth.mock({
      getOwnServiceCredentials: jest.fn(async () =>
        mockCredentials.service('plugin:catalog'),
      ),
      getPluginRequestToken: jest.fn(async () => ({
        token: 'token-for-hedgehog',
      })),
    });
    const fetchFn = jest.fn(
      async (_input: any, _init?: RequestInit) => new Response('{}'),
    );
    await pluginTokenFetch(auth, fetchFn as unknown as typeof fetch)(
      'http://localhost/api/hedgehog/fabrics',
      {
        method: 'GET',
        headers: { Accept: 'application/json' },
      },
    );
    expect(auth.getPluginRequestToken).toHaveBeenCalledWith({
      onBehalfOf: mockCredentials.service('plugin:catalog'),
      targetPluginId: 'hedgehog',
    });
    const headers = fetchFn.mock.calls[0][1]!.headers as Headers;
    expect(headers.get('Authorization')).toBe('Bearer token-for-hedgehog');
    expect(headers.get('Accept')).toBe('application/json');
    expect(fetchFn.mock.calls[0][1]!.method).toBe('GET');
  });
});
