/*
 * Test-only: a real backend with the hedgehog plugin and a plugin standing in for
 * the scaffolder (its discovery and auth services), as the actions reach the
 * hedgehog backend in production: through discovery, with a token issued on
 * behalf of the task's initiator.
 */
import {
  AuthService,
  DiscoveryService,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import hedgehogPlugin from '@fabric-gitops/plugin-hedgehog-backend';
import request from 'supertest';
import { BackendFabricValidator } from '../lib/backendValidation';

export const READER = 'user:default/reader';
export const OPERATOR = 'user:default/operator';
export const BLOCKED = 'user:default/blocked';

/** Allows read to everyone but BLOCKED, everything to OPERATOR. */
const decide = async (
  requests: Array<{ permission: { name: string } }>,
  options: { credentials: { principal: unknown } },
) =>
  requests.map(r => {
    const user = (options.credentials.principal as { userEntityRef?: string }).userEntityRef;
    const allowed = user === OPERATOR || (user !== BLOCKED && r.permission.name === 'hedgehog.fabric.read');
    return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY } as const;
  });

/** The app-config the backend starts with (JSON). */
type ConfigData = NonNullable<NonNullable<Parameters<typeof mockServices.rootConfig.factory>[0]>['data']>;

/**
 * Starts the backend with the hedgehog plugin (a module builds on the backend
 * plugin only in tests) and `hedgehog` app-config (its fabrics and working directory).
 */
export async function startHedgehogBackend(hedgehog: ConfigData & { workingDirectory: string }) {
  const services: { discovery?: DiscoveryService; auth?: AuthService } = {};
  const probe = createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerInit({
        deps: { discovery: coreServices.discovery, auth: coreServices.auth },
        async init(deps) {
          Object.assign(services, deps);
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      hedgehogPlugin,
      probe,
      mockServices.permissions.mock({ authorize: decide, authorizeConditional: decide }).factory,
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.rootConfig.factory({ data: { hedgehog } }),
    ],
  });
  const server = backend.server;
  return {
    server,
    services: services as { discovery: DiscoveryService; auth: AuthService },
    stop: () => backend.stop(),
    validator: () => new BackendFabricValidator({ discovery: services.discovery!, auth: services.auth! }),
    /** Syncs a fabric as OPERATOR and waits for the run; its final record. */
    async sync(fabric: string) {
      const sync = await request(server)
        .post(`/api/hedgehog/fabrics/${fabric}/sync`)
        .set('Authorization', mockCredentials.user.header(OPERATOR))
        .send({});
      if (sync.status !== 202) throw new Error(`the sync was refused: ${sync.status}`);
      for (let i = 0; i < 300; i++) {
        await new Promise(r => setTimeout(r, 100));
        const run = await request(server).get(`/api/hedgehog/runs/${sync.body.runId}`).set('Authorization', mockCredentials.user.header(READER));
        if (['succeeded', 'partial', 'failed'].includes(run.body.status)) return run.body;
      }
      throw new Error('the sync did not finish');
    },
  };
}
