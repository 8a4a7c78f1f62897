import { checkResourceName, findKind, HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT, PlanTarget } from '@fabric-gitops/plugin-hedgehog-common';
import { InputError } from '@backstage/errors';
import express from 'express';
import { z } from 'zod';
import { RouteAudit } from './audit';
import { HedgehogService } from './HedgehogService';
import { parse } from './requestInput';

export interface PlanRoutesOptions {
  service: HedgehogService;
  audit: RouteAudit;
  /**
   * The fabric of the path, once the caller may read it (else the request fails), and
   * `admit`, which counts the call against the caller's limit of live reads (else 429).
   */
  readableFabric(req: express.Request, res: express.Response): Promise<{ fabric: string; admit(): void }>;
}

/** Git's rules for a branch name (check-ref-format), as far as a request can break them. */
const BRANCH = /^(?!-)(?!.*(\.\.|@\{|\/\/|\/\.|\.lock(\/|$)))[A-Za-z0-9._\/-]+(?<![./])$/;
const planBody = z
  .object({
    branch: z.string().max(255).regex(BRANCH, 'is not a valid branch name').optional(),
    pullRequest: z.number().int().positive().optional(),
  })
  .strict()
  .refine(b => !(b.branch !== undefined && b.pullRequest !== undefined), 'give a branch or a pull request, not both');
const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(HISTORY_MAX_LIMIT).default(HISTORY_DEFAULT_LIMIT),
});

/**
 * What an apply would do and what Git did to a resource: the plan of the fabric's
 * current desired state (or of a branch's or pull request's head) against its
 * cluster, and a resource's commits. Both only
 * read (permission: read on the fabric) and both are counted as live reads: the
 * plan lists the cluster, the history runs git.
 */
export function addPlanRoutes(router: express.Router, options: PlanRoutesOptions) {
  const { service, readableFabric, audit } = options;

  router.post('/fabrics/:fabric/plan', audit('fabric-plan', 'low'), async (req, res) => {
    const { fabric, admit } = await readableFabric(req, res);
    const body = parse(planBody, req.body ?? {}, 'request body');
    admit();
    res.json(await service.plan(fabric, planTarget(body)));
  });

  router.get('/fabrics/:fabric/resources/:kind/:name/history', audit('fabric-read', 'low', 'history'), async (req, res) => {
    const { fabric, admit } = await readableFabric(req, res);
    const { kind, name } = req.params;
    if (!findKind(kind)) throw new InputError(`"${kind}" is not one of the managed kinds`);
    if (checkResourceName(name)) throw new InputError(`"${name}" is not a valid resource name`);
    const { limit } = parse(historyQuery, req.query, 'query');
    admit();
    res.json(await service.resourceHistory(fabric, kind, name, limit));
  });
}

/** The branch or pull request a plan request names; none: the fabric's imported state. */
function planTarget(body: { branch?: string; pullRequest?: number }): PlanTarget | undefined {
  if (body.branch !== undefined) return { branch: body.branch };
  if (body.pullRequest !== undefined) return { pullRequest: body.pullRequest };
  return undefined;
}
