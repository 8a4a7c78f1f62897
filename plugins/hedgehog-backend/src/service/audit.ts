import {
  AuditorService,
  AuditorServiceEvent,
  AuditorServiceEventSeverityLevel,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { AdoptResult } from '@fabric-gitops/plugin-hedgehog-common';
import express from 'express';
import { PruneAudit, RunAudit } from '../pipeline/RunAudit';

/**
 * The plugin's audit events (README "Audit events"), written with Backstage's
 * auditor. A route's event is created before the route authenticates, authorizes
 * or reads its input, with the request (the auditor records the caller as the
 * actor) and the route's parameters; it ends `succeeded` when the route answers
 * below 400 and `failed`, with the error, when the route throws (401, 403, 400,
 * 404, 409, 429, ...). Meta never holds credentials, tokens or request bodies.
 */
export type AuditEventId =
  | 'fabric-sync'
  | 'fabric-apply'
  | 'fabric-drift'
  | 'fabric-restore'
  | 'resource-adopt'
  | 'fabric-probe'
  | 'fabric-plan'
  | 'fabric-read'
  | 'validate'
  | 'webhook-delivery';

interface PendingEvent {
  event: AuditorServiceEvent;
  meta: JsonObject;
  ended: boolean;
}

/** The route parameters recorded in an event's meta (`id` is a run id). */
const PARAMS: Record<string, string> = {
  fabric: 'fabric',
  kind: 'kind',
  name: 'name',
  id: 'runId',
};
/** The longest parameter value recorded (paths are user input). */
const MAX_PARAM = 253;

/**
 * Starts a route's audit event: middleware, first in the route's handlers (every
 * route has one: it also refuses a body the router could not read).
 */
export type RouteAudit = (
  eventId: AuditEventId,
  severityLevel: AuditorServiceEventSeverityLevel,
  queryType?: string,
) => (req: express.Request, res: express.Response) => Promise<'next'>;

/** The route auditing of a router: `audit(...)` starts a route's event, `failures` ends it on an error. */
export function routeAuditor(auditor: AuditorService, logger: LoggerService) {
  const lost = (e: unknown) =>
    logger.error(
      `hedgehog: an audit event could not be written: ${
        e instanceof Error ? e.message : e
      }`,
    );

  /** Ends the event once (a route that threw ends before its error answer is sent). */
  const end = async (
    pending: PendingEvent,
    how: (p: PendingEvent) => Promise<void> | void,
  ) => {
    if (pending.ended) return;
    pending.ended = true;
    try {
      await how(pending);
    } catch (e) {
      lost(e);
    }
  };

  /** Middleware that starts the route's event; put it first in the route's handlers. */
  const audit: RouteAudit = (eventId, severityLevel, queryType) =>
    async function auditEvent(req, res) {
      const meta: JsonObject = queryType ? { queryType } : {};
      for (const [param, key] of Object.entries(PARAMS)) {
        const value = req.params[param];
        if (typeof value === 'string') meta[key] = value.slice(0, MAX_PARAM);
      }
      const event = await auditor.createEvent({
        eventId,
        severityLevel,
        request: req,
        meta,
      });
      const pending: PendingEvent = { event, meta: {}, ended: false };
      res.locals.audit = pending;
      res.on('finish', () => {
        if (res.statusCode < 400)
          void end(pending, p => p.event.success({ meta: p.meta }));
        else
          void end(pending, p =>
            p.event.fail({
              error: new Error(`answered ${res.statusCode}`),
              meta: p.meta,
            }),
          );
      });
      res.on('close', () => {
        if (!res.writableFinished)
          void end(pending, p =>
            p.event.fail({
              error: new Error(
                'the client closed the connection before the answer',
              ),
              meta: p.meta,
            }),
          );
      });
      // the body the router could not read (not JSON, too large): refused now, audited
      if (res.locals.bodyError) throw res.locals.bodyError;
      return 'next' as const;
    };

  /** Error middleware (after the routes): ends the route's event as failed with the error, then passes it on. */
  const failures = async (
    err: Error,
    _req: express.Request,
    res: express.Response,
    _next: express.NextFunction,
  ) => {
    const pending = res.locals.audit as PendingEvent | undefined;
    if (pending)
      await end(pending, p => p.event.fail({ error: err, meta: p.meta }));
    throw err;
  };

  return { audit, failures };
}

/** Adds to the meta the route's event ends with (what the route did: a run id, a result). */
export function auditMeta(res: express.Response, meta: JsonObject) {
  const pending = res.locals.audit as PendingEvent | undefined;
  if (pending) Object.assign(pending.meta, meta);
}

/** The most deleted objects a prune event lists by name (its `count` counts them all). */
export const PRUNE_AUDIT_LISTED = 100;

/**
 * The pipeline's audit port written with Backstage's auditor. A run is not a
 * request: the auditor records the plugin as the actor, and `requestedBy` says who
 * asked for the run.
 */
export function auditorRunAudit(
  auditor: AuditorService,
  logger: LoggerService,
): RunAudit {
  return {
    async pruned(p: PruneAudit) {
      try {
        const meta: JsonObject = {
          fabric: p.fabric,
          cluster: p.cluster,
          runId: p.runId,
          ...(p.requestedBy ? { requestedBy: p.requestedBy } : {}),
          count: p.deleted.length,
          deleted: p.deleted
            .slice(0, PRUNE_AUDIT_LISTED)
            .map(o => `${o.kind}/${o.name}`),
          ...(p.confirmed !== undefined ? { confirmed: p.confirmed } : {}),
          ...(p.notDeleted.length > 0
            ? {
                notDeletedCount: p.notDeleted.length,
                notDeleted: p.notDeleted
                  .slice(0, PRUNE_AUDIT_LISTED)
                  .map(o => `${o.kind}/${o.name}`),
              }
            : {}),
        };
        const event = await auditor.createEvent({
          eventId: 'fabric-prune',
          severityLevel: 'high',
          meta,
        });
        if (p.error) await event.fail({ error: new Error(p.error) });
        else await event.success();
      } catch (e) {
        logger.error(
          `hedgehog: the audit event of the prune of run ${
            p.runId
          } could not be written: ${e instanceof Error ? e.message : e}`,
        );
      }
    },
  };
}

/** What an adoption's event records of its result. */
export function adoptOutcome(result: AdoptResult): JsonObject {
  return {
    changed: result.changed,
    writeMode: result.writeMode,
    gitPath: result.gitPath,
    ...(result.commit ? { commit: result.commit } : {}),
    ...(result.runId ? { runId: result.runId } : {}),
    ...(result.pullRequest ? { pullRequest: result.pullRequest.number } : {}),
  };
}

/** What a webhook delivery's event records of its answer: the runs queued, the fabrics validated, why it was ignored. */
export function webhookOutcome(body: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const key of ['queued', 'validating', 'ignored'] as const) {
    if (body[key] !== undefined)
      out[key] = body[key] as JsonObject[keyof JsonObject];
  }
  return out;
}
