import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  checkResourceName,
  DRIFT_STATUSES,
  findKind,
  hedgehogFabricAdoptPermission,
  hedgehogFabricApplyPermission,
  hedgehogFabricReadPermission,
  hedgehogFabricRestorePermission,
  hedgehogFabricSyncPermission,
  isValidLabel,
  SEARCH_LIMIT_MAX,
  SEARCH_QUERY_MAX_LENGTH,
} from '@fabric-gitops/plugin-hedgehog-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { HedgehogStore } from '../database/HedgehogStore';
import { FabricAuthorizer, FabricPermission, FabricRuleset } from './FabricAuthorizer';
import { addAddFabricRoutes } from './addFabricRoutes';
import { adoptOutcome, auditMeta, routeAuditor, webhookOutcome } from './audit';
import { addFindingRoutes } from './findingsRoutes';
import { addPlanRoutes } from './planRoutes';
import { addRestoreRoutes } from './restoreRoutes';
import { HedgehogService } from './HedgehogService';
import { pageQuery, parse, TooManyRequestsError, who } from './requestInput';
import { addValidateRoute } from './validateRoute';

export interface RouterOptions {
  service: HedgehogService;
  store: HedgehogStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** Backstage's auditor: every route's request is an audit event (see ./audit). */
  auditor: AuditorService;
  logger: LoggerService;
  /**
   * The rules of the `hedgehog-fabric` resource type, as registered with the
   * permissions registry (also those added by modules); the plugin's own rules
   * when absent.
   */
  fabricRules?: FabricRuleset;
}

const resourceQuery = pageQuery.extend({
  kind: z.string().max(63).optional(),
  status: z.enum(DRIFT_STATUSES).optional(),
  q: z.string().max(253).optional(),
  include: z.enum(['desired']).optional(),
  findings: z.enum(['errors', 'warnings']).optional(),
  rule: z.string().min(1).max(64).optional(),
});

/** Groups of servers to expand: `?expand=servers:leaf-1,leaf-2&expand=…` (each a group's node id). */
const groupId = z.string().min(1).max(2048);
const topologyQuery = z.object({ expand: z.union([groupId, z.array(groupId).max(100)]).default([]) });

const searchQuery = z.object({
  q: z.string().trim().min(1).max(SEARCH_QUERY_MAX_LENGTH),
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).default(50),
});

/** A prune confirmation: the number of objects the apply deletes (as its dry run reported). */
const confirmPrune = z.number().int().min(0).max(1_000_000).optional();

const applyBody = z.object({ dryRun: z.boolean().optional(), confirmPrune }).strict();
const driftBody = z.object({}).strict();

const syncBody = z
  .object({ apply: z.boolean().optional(), dryRun: z.boolean().optional(), confirmPrune })
  .strict()
  .refine(b => b.confirmPrune === undefined || b.apply, { message: 'confirmPrune needs "apply": true', path: ['confirmPrune'] });

/** The largest webhook delivery read (GitHub sends at most 25 MB; pushes of many commits are the large ones). */
const MAX_WEBHOOK_BYTES = '5mb';

/** The HTTP API (docs/architecture.md#adding-a-route). Thin: parse, authorize, delegate. */
export function createRouter(options: RouterOptions): express.Router {
  const { service, store, httpAuth, permissions } = options;
  const authorizer = new FabricAuthorizer(permissions, name => service.findFabric(name), options.fabricRules);
  const { audit, failures } = routeAuditor(options.auditor, options.logger);
  const router = Router();
  // POST /validate takes larger bodies; it reads its body itself, after authorization.
  // POST /webhooks/github needs the raw bytes for the signature; it reads them itself.
  const json = express.json({ limit: '256kb' });
  // A body that is not JSON, or too large, is refused by its route's audit middleware
  // (see ./audit), so that the refusal is audited too.
  router.use((req, res, next) => {
    if (req.path === '/validate' || req.path === '/webhooks/github') return next();
    return json(req, res, err => {
      if (err) res.locals.bodyError = err;
      next();
    });
  });

  // Unauthenticated (see the plugin's auth policy): the HMAC signature authenticates GitHub.
  router.post(
    '/webhooks/github',
    audit('webhook-delivery', 'medium'),
    express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }),
    async (req, res) => {
      // the headers GitHub names a delivery by (never the signature or the body)
      auditMeta(res, { event: String(req.headers['x-github-event'] ?? '').slice(0, 64), delivery: String(req.headers['x-github-delivery'] ?? '').slice(0, 100) });
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const result = await service.webhooks.handle(req.headers, raw);
      auditMeta(res, webhookOutcome(result.body));
      res.status(result.status).json(result.body);
    },
  );

  /**
   * The fabric of the path, once the caller holds every one of the permissions on
   * it (Backstage resource permissions, resource ref = the fabric's name); an
   * unknown fabric is a 404 only for a caller whom the policy allows without
   * conditions.
   */
  const authorizedName = async (req: express.Request, ...needed: FabricPermission[]) => {
    const credentials = await httpAuth.credentials(req);
    const name = req.params.fabric;
    if (!isValidLabel(name)) throw new InputError(`"${name}" is not a valid fabric name`);
    await authorizer.require(credentials, needed, name);
    return { credentials, name };
  };
  /** The same, for a fabric that is synced (a blocked one answers 409, an unknown one 404). */
  const authorizedFabric = async (req: express.Request, ...needed: FabricPermission[]) => {
    const { credentials, name } = await authorizedName(req, ...needed);
    return { credentials, fabric: service.fabric(name).name };
  };

  router.get('/fabrics', audit('fabric-read', 'low', 'fabrics'), async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const readable = await authorizer.filter(credentials, hedgehogFabricReadPermission, service.fabricDefinitions());
    const names = new Set(readable.map(f => f.name));
    const items = await service.listFabrics(f => names.has(f.name));
    res.json({ items, totalItems: items.length });
  });

  // Resources of the fabrics the caller may read, by name, port, IP, subnet, VLAN or ASN.
  router.get('/search', audit('fabric-read', 'low', 'search'), async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { q, limit } = parse(searchQuery, req.query, 'query');
    const readable = await authorizer.filter(credentials, hedgehogFabricReadPermission, service.syncedFabrics());
    res.json(await store.searchResources(readable.map(f => f.name), q, limit));
  });

  addAddFabricRoutes(router, { service, httpAuth, permissions, audit });

  router.get('/fabrics/:fabric', audit('fabric-read', 'low', 'fabric'), async (req, res) => {
    // a blocked fabric is described (status blocked, with the reason); its other routes answer 409
    const { name } = await authorizedName(req, hedgehogFabricReadPermission);
    res.json(await service.getFabric(name));
  });

  router.post('/fabrics/:fabric/sync', audit('fabric-sync', 'medium'), async (req, res) => {
    const { credentials, fabric } = await authorizedFabric(req, hedgehogFabricSyncPermission);
    const body = parse(syncBody, req.body ?? {}, 'request body');
    auditMeta(res, { ...body });
    if (body.apply) await authorizer.require(credentials, [hedgehogFabricApplyPermission], fabric);
    const { runId } = await service.requestSync(fabric, 'api', who(credentials), body);
    auditMeta(res, { runId });
    res.status(202).json({ runId });
  });

  router.post('/fabrics/:fabric/apply', audit('fabric-apply', 'medium'), async (req, res) => {
    const { credentials, fabric } = await authorizedFabric(req, hedgehogFabricApplyPermission);
    const body = parse(applyBody, req.body ?? {}, 'request body');
    auditMeta(res, { ...body });
    const { runId } = await service.requestClusterRun(fabric, 'apply', 'api', who(credentials), body);
    auditMeta(res, { runId });
    res.status(202).json({ runId });
  });

  // A drift check lists the cluster and writes only drift records: it needs sync, not apply.
  router.post('/fabrics/:fabric/drift', audit('fabric-drift', 'medium'), async (req, res) => {
    const { credentials, fabric } = await authorizedFabric(req, hedgehogFabricSyncPermission);
    parse(driftBody, req.body ?? {}, 'request body');
    const { runId } = await service.requestClusterRun(fabric, 'drift', 'api', who(credentials));
    auditMeta(res, { runId });
    res.status(202).json({ runId });
  });

  /** A call of a route that asks GitHub or a cluster: counted against the caller's limit. */
  const admitLiveRead = (credentials: BackstageCredentials, res: express.Response) => {
    const retryAfter = service.liveReads.admit(who(credentials) ?? 'unknown');
    if (retryAfter === undefined) return;
    res.set('Retry-After', String(retryAfter));
    throw new TooManyRequestsError(
      `Too many requests that ask GitHub or a cluster; try again in ${retryAfter} s`,
    );
  };

  router.get('/fabrics/:fabric/cluster', audit('fabric-read', 'low', 'cluster'), async (req, res) => {
    const { credentials, fabric } = await authorizedFabric(req, hedgehogFabricReadPermission);
    admitLiveRead(credentials, res);
    res.json(await service.clusterStatus(fabric));
  });

  addPlanRoutes(router, {
    service,
    audit,
    readableFabric: async (req, res) => {
      const { credentials, fabric } = await authorizedFabric(req, hedgehogFabricReadPermission);
      return { fabric, admit: () => admitLiveRead(credentials, res) };
    },
  });

  // Restoring writes into Git (a commit on the fabric's branch, or a pull request): its own permission.
  addRestoreRoutes(router, {
    service,
    audit,
    restorableFabric: async (req, res) => {
      const { credentials, fabric } = await authorizedFabric(req, hedgehogFabricRestorePermission);
      return { fabric, requestedBy: who(credentials), admit: () => admitLiveRead(credentials, res) };
    },
  });

  router.get('/fabrics/:fabric/runs', audit('fabric-read', 'low', 'runs'), async (req, res) => {
    const { fabric } = await authorizedFabric(req, hedgehogFabricReadPermission);
    const { offset, limit } = parse(pageQuery, req.query, 'query');
    res.json(await store.listRuns(fabric, offset, limit));
  });

  /** The run of the path, once the caller may read its fabric. */
  const readableRunId = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req);
    // run ids are UUIDs; one copied in upper case names the same run
    const id = req.params.id.toLowerCase();
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new InputError(`"${req.params.id}" is not a valid run id`);
    const decisions = await authorizer.decide(credentials, [hedgehogFabricReadPermission]);
    return { id, decisions };
  };

  router.get('/runs/:id', audit('fabric-read', 'low', 'run'), async (req, res) => {
    const { id, decisions } = await readableRunId(req);
    const run = await service.getRun(id);
    auditMeta(res, { fabric: run.fabric });
    decisions.require(run.fabric);
    res.json(run);
  });

  addFindingRoutes(router, {
    store,
    audit,
    readableFabric: async req => (await authorizedFabric(req, hedgehogFabricReadPermission)).fabric,
    readableRun: async req => {
      const { id, decisions } = await readableRunId(req);
      const run = await store.getRun(id);
      if (!run) throw new NotFoundError(`No run with id ${id}`);
      decisions.require(run.fabric);
      return run;
    },
  });

  router.get('/fabrics/:fabric/resources', audit('fabric-read', 'low', 'resources'), async (req, res) => {
    const { fabric } = await authorizedFabric(req, hedgehogFabricReadPermission);
    const query = parse(resourceQuery, req.query, 'query');
    if (query.kind && !findKind(query.kind)) {
      throw new InputError(`"${query.kind}" is not one of the managed kinds`);
    }
    res.json(await store.listResources(fabric, query));
  });

  router.get('/fabrics/:fabric/resources/:kind/:name', audit('fabric-read', 'low', 'resource'), async (req, res) => {
    const { fabric } = await authorizedFabric(req, hedgehogFabricReadPermission);
    const { kind, name } = req.params;
    if (!findKind(kind)) throw new InputError(`"${kind}" is not one of the managed kinds`);
    if (checkResourceName(name)) throw new InputError(`"${name}" is not a valid resource name`);
    const resource = await store.getResource(fabric, kind, name);
    if (!resource) throw new NotFoundError(`No ${kind} named ${name} in fabric ${fabric}`);
    res.json(resource);
  });

  // Adopting writes into Git (in write mode push, straight to the branch): its own
  // permission, not implied by sync.
  router.post('/fabrics/:fabric/resources/:kind/:name/adopt', audit('resource-adopt', 'medium'), async (req, res) => {
    const { credentials, fabric } = await authorizedFabric(req, hedgehogFabricAdoptPermission);
    const { kind, name } = req.params;
    if (!findKind(kind)) throw new InputError(`"${kind}" is not one of the managed kinds`);
    if (checkResourceName(name)) throw new InputError(`"${name}" is not a valid resource name`);
    parse(z.object({}).strict(), req.body ?? {}, 'request body');
    const result = await service.adopt(fabric, kind, name, who(credentials));
    auditMeta(res, adoptOutcome(result));
    res.status(result.changed ? 201 : 200).json(result);
  });

  router.get('/fabrics/:fabric/pulls', audit('fabric-read', 'low', 'pulls'), async (req, res) => {
    const { credentials, fabric } = await authorizedFabric(req, hedgehogFabricReadPermission);
    admitLiveRead(credentials, res);
    res.json(await service.listPullRequests(fabric));
  });

  router.get('/fabrics/:fabric/topology', audit('fabric-read', 'low', 'topology'), async (req, res) => {
    const { fabric } = await authorizedFabric(req, hedgehogFabricReadPermission);
    const { expand } = parse(topologyQuery, req.query, 'query');
    res.json(await service.topology(fabric, typeof expand === 'string' ? [expand] : expand));
  });

  router.get('/fabrics/:fabric/unmanaged', audit('fabric-read', 'low', 'unmanaged'), async (req, res) => {
    const { fabric } = await authorizedFabric(req, hedgehogFabricReadPermission);
    res.json(await store.listUnmanaged(fabric));
  });

  addValidateRoute(router, { service, httpAuth, authorizer, audit });

  // An unknown route or method gets a message too, like every other error of the API.
  router.use((req: express.Request) => {
    throw new NotFoundError(`no route ${req.method} ${req.path} in the hedgehog API`);
  });
  // a route's refusal or failure ends its audit event, with the error
  router.use(failures);

  return router;
}

