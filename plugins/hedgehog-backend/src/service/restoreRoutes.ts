import express from 'express';
import { z } from 'zod';
import { auditMeta, RouteAudit } from './audit';
import { HedgehogService } from './HedgehogService';
import { parse } from './requestInput';

export interface RestoreRoutesOptions {
  service: HedgehogService;
  audit: RouteAudit;
  /**
   * The fabric of the path once the caller holds the restore permission on it (else
   * the request fails), who the caller is, and `admit`, which counts a dry run against
   * the caller's limit of live reads (it lists the cluster; else 429).
   */
  restorableFabric(req: express.Request, res: express.Response): Promise<{ fabric: string; requestedBy?: string; admit(): void }>;
}

const restoreBody = z
  .object({
    commit: z.string().min(1).max(64),
    dryRun: z.boolean().optional(),
  })
  .strict();

/**
 * `POST /fabrics/:fabric/restore`: makes the fabric's managed/ what it was at one of
 * its synced commits (permission `hedgehog.fabric.restore`). A dry run answers the
 * file changes and the apply's plan (200); otherwise the restore run (write mode
 * `push`) or the pull request, with the file changes (202; 200 when there was nothing
 * to restore).
 */
export function addRestoreRoutes(router: express.Router, options: RestoreRoutesOptions) {
  const { service, restorableFabric, audit } = options;

  router.post('/fabrics/:fabric/restore', audit('fabric-restore', 'medium'), async (req, res) => {
    const { fabric, requestedBy, admit } = await restorableFabric(req, res);
    const body = parse(restoreBody, req.body ?? {}, 'request body');
    auditMeta(res, { ...body });
    if (body.dryRun) admit();
    const result = await service.restore(fabric, body.commit, { dryRun: body.dryRun, requestedBy });
    auditMeta(res, { changed: result.changed, ...(result.runId ? { runId: result.runId } : {}), ...(result.pullRequest ? { pullRequest: result.pullRequest.number } : {}) });
    res.status(result.dryRun || !result.changed ? 200 : 202).json(result);
  });
}
