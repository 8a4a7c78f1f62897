import { AuditorService, BackstageCredentials } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { AuditEventId } from '../service/audit';
import { who } from '../service/requestInput';

/**
 * A mutation of an action, audited as its route audits it: the event is created
 * first (the route's event id and severity, with the fabric, `via: 'action'` and the
 * caller as `actor`, since an action has no HTTP request), then the mutation runs
 * (its permission check included, so that a refusal is audited too). The event
 * succeeds with the run id, or fails with the error, which is passed on.
 */
export async function auditedMutation<T extends { runId: string }>(
  auditor: AuditorService,
  event: {
    eventId: AuditEventId;
    fabric: string;
    credentials: BackstageCredentials;
    /** More of the request (its options), as the route records its body. */
    meta?: JsonObject;
  },
  mutate: (actor: string | undefined) => Promise<T>,
): Promise<T> {
  const actor = who(event.credentials);
  const audit = await auditor.createEvent({
    eventId: event.eventId,
    severityLevel: 'medium',
    meta: { fabric: event.fabric, via: 'action', ...(actor ? { actor } : {}), ...event.meta },
  });
  try {
    const result = await mutate(actor);
    await audit.success({ meta: { runId: result.runId } });
    return result;
  } catch (e) {
    await audit.fail({ error: e instanceof Error ? e : new Error(String(e)) });
    throw e;
  }
}
