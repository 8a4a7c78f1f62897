/*
 * The real hedgehog backend plugin in a Backstage test backend
 * (startTestBackend): real router, real service, real database (the test
 * backend's SQLite), real Git. Authentication is mocked the Backstage way
 * (mockCredentials). Permissions: with `options.permissions`, Backstage's real
 * permission backend with that policy (test/permissions); otherwise decisions
 * keyed on the user's name, never conditional:
 *   user:default/operator           every permission
 *   user:default/reader             hedgehog.fabric.read only
 *   user:default/reader-<anything>  the same, as another user
 *   user:default/blocked            nothing
 *   user:default/only-<permission>  exactly that permission
 *   user:default/but-<permission>   every permission except that one
 */
import { BackendFeature, SchedulerService, coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { hedgehogPlugin } from '@fabric-gitops/plugin-hedgehog-backend/src/plugin';
import { realPermissionFramework, RealPermissionsOptions } from '../../permissions';
import http from 'node:http';
import { Knex } from 'knex';
import request from 'supertest';
import { recordingLogger } from './service';

export const OPERATOR = 'user:default/operator';
export const READER = 'user:default/reader';
export const BLOCKED = 'user:default/blocked';

export function allowed(user: string | undefined, permission: string): boolean {
  if (!user) return false;
  const name = user.slice('user:default/'.length);
  if (name === 'operator') return true;
  if (name === 'reader' || name.startsWith('reader-')) return permission === 'hedgehog.fabric.read';
  if (name.startsWith('only-')) return permission === name.slice(5);
  if (name.startsWith('but-')) return permission !== name.slice(4);
  return false;
}

export const authHeader = (user: string) => mockCredentials.user.header(user);

export interface TestBackend {
  server: http.Server;
  get(url: string, user?: string): request.Test;
  post(url: string, body?: unknown, user?: string): request.Test;
  /** Polls GET /runs/:id until the run ends; throws after `timeoutMs`. */
  waitForRun(runId: string, timeoutMs?: number): Promise<any>;
  stop(): Promise<void>;
}

export interface BackendOptions {
  /** The database the plugin gets (default: the test backend's own SQLite). */
  knex?: Knex;
  /** Every log line of the backend is appended here. */
  logs?: string[];
  extraConfig?: JsonObject;
  /** More features (backend modules, service factories) for the test backend. */
  features?: BackendFeature[];
  /** The scheduler the backend gets (default: a mock that runs no task on startup). */
  scheduler?: SchedulerService;
  /** Backstage's permission backend with this policy instead of the name-keyed decisions. */
  permissions?: RealPermissionsOptions;
}

export async function startHedgehogBackend(hedgehog: JsonObject, options: BackendOptions = {}): Promise<TestBackend> {
  const decide = async (requests: Array<{ permission: { name: string } }>, authorizeOptions: { credentials: { principal: unknown } }) =>
    requests.map(r => {
      const user = (authorizeOptions.credentials.principal as { userEntityRef?: string }).userEntityRef;
      return { result: allowed(user, r.permission.name) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY } as const;
    });
  const real = options.permissions ? realPermissionFramework(options.permissions) : undefined;
  const permissions = real
    ? real.features
    : [
        mockServices.permissions.mock({ authorize: decide, authorizeConditional: decide }).factory,
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      ];
  const backend = await startTestBackend({
    features: [
      hedgehogPlugin,
      ...permissions,
      options.scheduler
        ? createServiceFactory({ service: coreServices.scheduler, deps: {}, factory: () => options.scheduler! })
        : mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.rootConfig.factory({ data: { hedgehog, ...real?.config, ...options.extraConfig } }),
      ...(options.knex ? [mockServices.database.factory({ knex: options.knex })] : []),
      ...(options.logs
        ? [
            createServiceFactory({
              service: coreServices.rootLogger,
              deps: {},
              factory: () => recordingLogger(options.logs!) as any,
            }),
          ]
        : []),
      ...(options.features ?? []),
    ],
  });
  const server = backend.server as unknown as http.Server;
  const get = (url: string, user = OPERATOR) =>
    request(server).get(`/api/hedgehog${url}`).set('Authorization', authHeader(user));
  const post = (url: string, body: unknown = {}, user = OPERATOR) =>
    request(server)
      .post(`/api/hedgehog${url}`)
      .set('Authorization', authHeader(user))
      .send(body as object);
  return {
    server,
    get,
    post,
    async waitForRun(runId, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await get(`/runs/${runId}`);
        if (res.status === 200 && ['succeeded', 'partial', 'failed'].includes(res.body.status)) return res.body;
        if (Date.now() > deadline) throw new Error(`run ${runId} did not end within ${timeoutMs} ms: ${JSON.stringify(res.body).slice(0, 500)}`);
        await new Promise(r => setTimeout(r, 100));
      }
    },
    stop: () => backend.stop(),
  };
}
