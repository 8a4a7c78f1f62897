import {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/** One audit event as the recording auditor kept it. */
export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: string;
  meta: JsonObject;
  status: 'initiated' | 'succeeded' | 'failed';
  error?: Error;
  /** The request the event was created with, if any. */
  request?: AuditorServiceCreateEventOptions['request'];
}

/** Test-only: an AuditorService that writes nothing (for long-running test backends and benches). */
export const discardingAuditor: AuditorService = {
  async createEvent() {
    return { success: async () => {}, fail: async () => {} };
  },
};

/**
 * Test-only: an AuditorService that keeps its events in memory (the initiated
 * event is updated when it succeeds or fails), for test backends and benches that
 * run outside jest.
 */
export function recordingAuditor(): AuditorService & {
  events: RecordedAuditEvent[];
} {
  const events: RecordedAuditEvent[] = [];
  return {
    events,
    async createEvent(options) {
      const event: RecordedAuditEvent = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: { ...options.meta },
        status: 'initiated',
        request: options.request,
      };
      events.push(event);
      return {
        async success(params) {
          Object.assign(event, {
            status: 'succeeded',
            meta: { ...event.meta, ...params?.meta },
          });
        },
        async fail(params) {
          Object.assign(event, {
            status: 'failed',
            error: params.error,
            meta: { ...event.meta, ...params.meta },
          });
        },
      };
    },
  };
}
