import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  BasicPermission,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import {
  findKind,
  checkResourceName,
  hedgehogFabricApplyPermission,
  hedgehogFabricReadPermission,
  hedgehogFabricSyncPermission,
  isValidLabel,
} from '@fabric-gitops/plugin-hedgehog-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { HedgehogStore } from '../database/HedgehogStore';
import { publicRun } from '../database/DatabaseHedgehogStore';
import { HedgehogService } from './HedgehogService';

export interface RouterOptions {
  service: HedgehogService;
  store: HedgehogStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

const pageQuery = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const resourceQuery = pageQuery.extend({
  kind: z.string().max(63).optional(),
  status: z
    .enum(['in_sync', 'drifted', 'missing_in_cluster', 'orphaned_in_cluster', 'unknown'])
    .optional(),
  q: z.string().max(253).optional(),
});

const clusterRunBody = z.object({ dryRun: z.boolean().optional() }).strict();

const syncBody = z
  .object({ apply: z.boolean().optional(), dryRun: z.boolean().optional() })
  .strict();

/** The HTTP API of DESIGN.md section 8. Thin: parse, authorize, delegate. */
export function createRouter(options: RouterOptions): express.Router {
  const { service, store, httpAuth, permissions } = options;
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  const authorize = async (req: express.Request, permission: BasicPermission) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Permission ${permission.name} is required`);
    }
    return credentials;
  };

  const fabricParam = (req: express.Request) => {
    const name = req.params.fabric;
    if (!isValidLabel(name)) throw new InputError(`"${name}" is not a valid fabric name`);
    return service.fabric(name).name;
  };

  router.get('/fabrics', async (req, res) => {
    await authorize(req, hedgehogFabricReadPermission);
    const items = await service.listFabrics();
    res.json({ items, totalItems: items.length });
  });

  router.get('/fabrics/:fabric', async (req, res) => {
    await authorize(req, hedgehogFabricReadPermission);
    res.json(await service.getFabric(fabricParam(req)));
  });

  router.post('/fabrics/:fabric/sync', async (req, res) => {
    const credentials = await authorize(req, hedgehogFabricSyncPermission);
    const fabric = fabricParam(req);
    const body = parse(syncBody, req.body ?? {}, 'request body');
    if (body.apply) await authorize(req, hedgehogFabricApplyPermission);
    const { runId } = await service.requestSync(fabric, 'api', who(credentials), body);
    res.status(202).json({ runId });
  });

  router.post('/fabrics/:fabric/apply', async (req, res) => {
    const credentials = await authorize(req, hedgehogFabricApplyPermission);
    const fabric = fabricParam(req);
    const body = parse(clusterRunBody, req.body ?? {}, 'request body');
    const { runId } = await service.requestClusterRun(fabric, 'apply', 'api', who(credentials), body);
    res.status(202).json({ runId });
  });

  router.post('/fabrics/:fabric/drift', async (req, res) => {
    const credentials = await authorize(req, hedgehogFabricSyncPermission);
    const fabric = fabricParam(req);
    parse(clusterRunBody.omit({ dryRun: true }), req.body ?? {}, 'request body');
    const { runId } = await service.requestClusterRun(fabric, 'drift', 'api', who(credentials));
    res.status(202).json({ runId });
  });

  router.get('/fabrics/:fabric/cluster', async (req, res) => {
    await authorize(req, hedgehogFabricReadPermission);
    res.json(await service.clusterStatus(fabricParam(req)));
  });

  router.get('/fabrics/:fabric/runs', async (req, res) => {
    await authorize(req, hedgehogFabricReadPermission);
    const fabric = fabricParam(req);
    const { offset, limit } = parse(pageQuery, req.query, 'query');
    res.json(await store.listRuns(fabric, offset, limit));
  });

  router.get('/runs/:id', async (req, res) => {
    await authorize(req, hedgehogFabricReadPermission);
    const id = req.params.id;
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new InputError(`"${id}" is not a valid run id`);
    const run = await store.getRun(id);
    if (!run) throw new NotFoundError(`No run with id ${id}`);
    res.json({ ...publicRun(run), findings: run.findings });
  });

  router.get('/fabrics/:fabric/resources', async (req, res) => {
    await authorize(req, hedgehogFabricReadPermission);
    const fabric = fabricParam(req);
    const query = parse(resourceQuery, req.query, 'query');
    if (query.kind && !findKind(query.kind)) {
      throw new InputError(`"${query.kind}" is not one of the managed kinds`);
    }
    res.json(await store.listResources(fabric, query));
  });

  router.get('/fabrics/:fabric/resources/:kind/:name', async (req, res) => {
    await authorize(req, hedgehogFabricReadPermission);
    const fabric = fabricParam(req);
    const { kind, name } = req.params;
    if (!findKind(kind)) throw new InputError(`"${kind}" is not one of the managed kinds`);
    if (checkResourceName(name)) throw new InputError(`"${name}" is not a valid resource name`);
    const resource = await store.getResource(fabric, kind, name);
    if (!resource) throw new NotFoundError(`No ${kind} named ${name} in fabric ${fabric}`);
    res.json(resource);
  });

  router.get('/fabrics/:fabric/unmanaged', async (req, res) => {
    await authorize(req, hedgehogFabricReadPermission);
    res.json(await store.listUnmanaged(fabricParam(req)));
  });

  return router;
}

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(`Invalid ${what}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

function who(credentials: BackstageCredentials): string | undefined {
  const p = credentials.principal as { type?: string; userEntityRef?: string; subject?: string };
  return p.userEntityRef ?? p.subject ?? p.type;
}
