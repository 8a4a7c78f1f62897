import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the Hedgehog fabric GitOps plugin. */
  hedgehog?: {
    /**
     * Default sync schedule of every fabric (default: every 5 minutes, 10 minute timeout).
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /**
     * Folder for the cached Git repositories of the fabrics (default: a folder in the
     * operating system's temporary directory). It is a cache: it can be deleted.
     */
    workingDirectory?: string;
    /** Git settings. */
    git?: {
      /** Author and committer of the plugin's commits. */
      author?: { name?: string; email?: string };
      /** Timeout of one git network operation, in seconds (default 120). */
      timeoutSeconds?: number;
      /** How often a rejected push is re-planned and retried (default 3). */
      maxPushAttempts?: number;
    };
    /** Fabrics defined in config (catalog entities can define more). */
    fabrics?: Array<{
      /** RFC 1123 label; the fabric's id in URLs. */
      name: string;
      /** Display name. */
      title?: string;
      description?: string;
      /** Entity ref of the owner, e.g. group:default/network. */
      owner?: string;
      git: {
        /**
         * Repository URL: https://, http://, git:// or file://. Never put credentials
         * here: they come from the `integrations` config.
         */
        url: string;
        /** Branch (default main). */
        branch?: string;
        /** The fabric's GitOps directory inside the repository (default: the root). */
        path?: string;
        /** push (default), pull-request or none (read only). */
        writeMode?: 'push' | 'pull-request' | 'none';
      };
      /** Name of a cluster from hedgehog.clusters. */
      cluster?: string;
      /** manual (default) or auto: apply after every sync. */
      apply?: 'manual' | 'auto';
      /** Delete objects we applied that are no longer in Git (default false). */
      prune?: boolean;
      /** Sync schedule of this fabric (default: hedgehog.schedule). */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    }>;
  };
}
