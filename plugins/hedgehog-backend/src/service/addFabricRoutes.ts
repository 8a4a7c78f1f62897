import { HttpAuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { hedgehogFabricCreatePermission } from '@fabric-gitops/plugin-hedgehog-common';
import express from 'express';
import { z } from 'zod';
import { RouteAudit } from './audit';
import { checkProbeRequest } from './FabricProber';
import { HedgehogService } from './HedgehogService';
import { parse } from './requestInput';

export interface AddFabricRoutesOptions {
  service: HedgehogService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: RouteAudit;
}

const probeBody = z
  .object({
    url: z.string().min(1).max(2048),
    branch: z.string().max(255).optional(),
    path: z.string().max(1024).optional(),
    cluster: z.string().max(63).optional(),
  })
  .strict();

/**
 * Adding a fabric: no fabric exists yet, so the routes check a basic permission
 * (`hedgehog.fabric.create`); the probe is a bounded git look (see FabricProber).
 */
export function addAddFabricRoutes(router: express.Router, options: AddFabricRoutesOptions) {
  const { service, httpAuth, permissions, audit } = options;

  router.post('/fabrics/probe', audit('fabric-probe', 'medium'), async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission: hedgehogFabricCreatePermission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Permission ${hedgehogFabricCreatePermission.name} is required`);
    }
    const body = checkProbeRequest(parse(probeBody, req.body ?? {}, 'request body'), service.clusterNames());
    res.json(await service.prober.probe(body));
  });
}
