import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /** The hedgehog entity provider (switches, servers and VPCs of every fabric). */
      hedgehog?: {
        /** Full refresh schedule (default: every 30 minutes); syncs that import changes also refresh. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Owner of fabric entities and their resources when nothing else names one
         * (`hedgehog.fabrics[].owner`, a fabric source's owner, the fabric entity's
         * `spec.owner`); name a group or user the catalog holds. Default
         * group:default/unknown (the provider warns when the catalog lacks the owner).
         * @visibility backend
         */
        defaultOwner?: string;
      };
    };
  };
}
