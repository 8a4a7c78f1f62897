import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /** The hedgehog entity provider (switches, servers and VPCs of every fabric). */
      hedgehog?: {
        /** Full refresh schedule (default: every 30 minutes); syncs that import changes also refresh. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Owner of fabric entities and their resources when nothing else names one (default group:default/unknown). */
        defaultOwner?: string;
      };
    };
  };
}
