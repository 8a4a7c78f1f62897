import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  backend?: {
    /**
     * Backstage's working directory (the scaffolder's too). When set, and
     * `hedgehog.workingDirectory` is not, the plugin keeps its caches in `hedgehog/` inside it.
     */
    workingDirectory?: string;
  };
  /** Configuration of the Hedgehog fabric GitOps plugin. */
  hedgehog?: {
    /**
     * Default sync schedule of every fabric (default: every 5 minutes, 10 minute timeout).
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /**
     * Folder for the cached Git repositories of the fabrics (default: `hedgehog/` in
     * `backend.workingDirectory` when that is set, else `backstage-hedgehog-<uid>` in the
     * operating system's temporary directory). It is a cache: it can be deleted. It is
     * created with mode 0700; the backend refuses to start when it, or its `repos/` or
     * `branches/` folder, is owned by another user or writable by the group or others.
     * Each backend replica needs a folder of its own (its git writes take turns within the
     * process only).
     */
    workingDirectory?: string;
    /**
     * Bounds of the read routes that ask GitHub or a cluster (`GET /fabrics/:fabric/pulls`,
     * `GET /fabrics/:fabric/cluster`), per backend process.
     */
    liveReads?: {
      /** How long an answer is reused for the same fabric, in seconds (default 30; 0: not reused). */
      cacheSeconds?: number;
      /** Calls of these routes one user may make at once (default 20); beyond it: 429 with Retry-After. */
      burst?: number;
      /** Calls one user may make per minute after the burst (default 30). */
      perMinute?: number;
    };
    /**
     * Runs one backend replica executes at once, one per fabric (default 4, at least 1).
     * Fabrics due beyond it keep their runs queued in the database and start when a slot
     * of this replica frees, or on another replica with a free slot (it looks for queued
     * runs every 15 s). Bounds the memory and event-loop time runs take in one process,
     * however many fabrics are due at once.
     */
    maxConcurrentRuns?: number;
    /** Git settings. */
    git?: {
      /** Author and committer of the plugin's commits. */
      author?: { name?: string; email?: string };
      /** Timeout of one git network operation, in seconds (default 120). */
      timeoutSeconds?: number;
      /**
       * How often a sync pushes to a branch that keeps moving before it gives up (default
       * 3); one more per other fabric of the same repository and branch.
       */
      maxPushAttempts?: number;
    };
    /** Webhooks from Git hosts. */
    webhooks?: {
      /** GitHub webhooks (push, pull_request) to POST /api/hedgehog/webhooks/github. */
      github?: {
        /**
         * The webhook's secret: deliveries whose X-Hub-Signature-256 does not match
         * are refused. Without it the route refuses every delivery.
         * @visibility secret
         */
        secret?: string;
      };
    };
    /** How often the drift of every fabric with a cluster is checked (default: every 2 minutes). */
    driftSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /**
     * POST /validate: each request is read, parsed and validated in a worker thread,
     * never on the backend's event loop.
     */
    validation?: {
      /** Requests validated at once, one worker thread each (default 2). */
      workers?: number;
      /** Requests that may wait for a worker; further ones are answered 429 with Retry-After (default 4). */
      queue?: number;
      /** A request that takes longer is stopped and answered 503 (default 60). */
      timeoutSeconds?: number;
      /** Heap of one worker in MB: a request that needs more is answered 400, the backend is not affected (default 512). */
      maxHeapMb?: number;
    };
    /** Apply settings. */
    apply?: {
      /** How many objects of one dependency level are applied at once (default 8). */
      concurrency?: number;
      /**
       * The share of a fabric's objects in the cluster (labelled for it) that one apply
       * may prune without a confirmation, from 0 to 1 (default 0.1 = 10%). A larger prune
       * deletes nothing until an apply confirms it with `{"confirmPrune": <count>}`.
       * Fabrics may set their own (`hedgehog.fabrics[].pruneLimit`).
       */
      pruneLimit?: number;
    };
    /**
     * Kubernetes clusters the fabrics run on. Catalog entities can refer to a cluster
     * only by its name.
     */
    clusters?: Array<{
      /** The name fabrics use to refer to the cluster. */
      name: string;
      /** API server URL, e.g. https://127.0.0.1:6443. */
      url: string;
      /**
       * Bearer token of a service account allowed to read and apply the Hedgehog kinds.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /** CA certificate of the API server: PEM, or base64 of a PEM. */
      caData?: string;
      /** Skip TLS verification (test clusters only; default false). */
      skipTLSVerify?: boolean;
      /**
       * Whether fabrics defined by catalog entities may name this cluster (default false):
       * they are then read, applied on request and checked for drift with this cluster's
       * service account. A catalog fabric naming a cluster without it is blocked.
       */
      allowCatalogFabrics?: boolean;
    }>;
    /**
     * What fabrics defined by catalog entities may use. Anyone who may register a catalog
     * location can define one, so such a fabric is synced only inside this policy; one
     * outside it is listed with status `blocked` and the reason, and never synced, applied,
     * checked or written to. Fabrics of `hedgehog.fabrics` and of backend modules are not
     * subject to it. Clusters opt in with `hedgehog.clusters[].allowCatalogFabrics`.
     */
    catalogFabrics?: {
      /**
       * URL patterns of the repositories catalog fabrics may use: `*` stands for any
       * characters but `/`, `**` for any characters, e.g. `https://github.com/acme/*`,
       * `file:///srv/git/fabrics/*.git`. Default: https:// repositories on the hosts of
       * `integrations`; file://, ssh://, git:// and http:// repositories only when listed.
       * An empty list allows none.
       * @visibility backend
       */
      repositories?: string[];
      /**
       * The highest write mode catalog fabrics get: none (default; the repository is only
       * read), pull-request or push. A fabric asking for more gets this one.
       * @visibility backend
       */
      writeMode?: 'none' | 'pull-request' | 'push';
    };
    /** Fabrics defined in config (catalog entities can define more). */
    fabrics?: Array<{
      /** RFC 1123 label; the fabric's id in URLs. */
      name: string;
      /** Display name. */
      title?: string;
      description?: string;
      /**
       * Entity ref of the owner, e.g. group:default/network (`network` alone means
       * a group in the default namespace). Permission policies may grant by it with
       * the IS_FABRIC_OWNER rule. The catalog module owns the fabric's entities by
       * it (else by `catalog.providers.hedgehog.defaultOwner`).
       * @visibility backend
       */
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
      /**
       * The share of this fabric's objects in the cluster that one apply may prune
       * without a confirmation carrying the count, from 0 to 1 (default:
       * hedgehog.apply.pruneLimit, 0.1).
       */
      pruneLimit?: number;
      /**
       * The kinds this fabric manages: a preset — `all` (default: every managed kind),
       * `day2` (VPC, VPCAttachment, VPCPeering, External, ExternalAttachment,
       * ExternalPeering: Hedgehog's GitOps pattern, wiring from the installer) or
       * `wiring` (the wiring group and the namespaces) — or a list of kind names.
       * Drift, prune, apply and adopt consider only these kinds; a raw document of
       * another kind is kept in unmanaged/. Wins over the `scope` of the fabric
       * directory's .gitops/manifest.yaml, which wins over the catalog entity's
       * annotation githedgehog.com/kinds.
       * @visibility backend
       */
      kinds?: 'all' | 'day2' | 'wiring' | string[];
      /**
       * What the fabric's owner is notified of in Backstage's notifications (needs
       * @backstage/plugin-notifications-backend): off, failures (default: a sync that
       * failed or ended partial, a pull request whose validation failed, a prune held
       * back) or all (also drift that appeared, and a sync that succeeds again after a
       * failure). A fabric without an owner notifies nobody.
       * @visibility backend
       */
      notifications?: 'off' | 'failures' | 'all';
      /** Sync schedule of this fabric (default: hedgehog.schedule). */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * The fabric's Hedgehog FabricConfig values that validation checks against, with
       * Hedgehog's field names (`fab.yaml` / ConfigMap fab/fabric-ctrl-config). When the
       * fabric's cluster has that ConfigMap, its values take precedence; fields given
       * nowhere use hhfab's defaults, and findings depending on them are warnings.
       */
      fabricConfig?: {
        /** Control node VIP, e.g. 172.30.0.1/21. */
        controlVIP?: string;
        managementSubnet?: string;
        managementDHCPStart?: string;
        protocolSubnet?: string;
        vtepSubnet?: string;
        fabricSubnet?: string;
        vpcLoopbackSubnet?: string;
        mclagSessionSubnet?: string;
        l2ProxyExternalSubnet?: string;
        /** When given, exactly these subnets are reserved. */
        reservedSubnets?: string[];
        spineASN?: number;
        leafASNStart?: number;
        leafASNEnd?: number;
        vpcIRBVLANRange?: Array<{ from: number; to?: number }>;
        th5WorkaroundVLANRange?: Array<{ from: number; to?: number }>;
        fabricMTU?: number;
        serverFacingMTUOffset?: number;
        /** spine-leaf (default). */
        fabricMode?: string;
        vpcPeeringDisabled?: boolean;
        /** The SwitchProfiles Hedgehog builds in: also the Celestica SONiC+ ones (default false). */
        includeSONiCCLSPlus?: boolean;
        /** The SwitchProfiles Hedgehog builds in: also cumulus-vx (default false). */
        includeCumulus?: boolean;
        /** The cluster may hold SwitchProfiles besides the built-in ones (default false). */
        allowExtraSwitchProfiles?: boolean;
        /** The gateway is enabled; when false, the gateway.githedgehog.com kinds are refused (not given: assumed on). */
        enableGateway?: boolean;
        /** The ASN of every Gateway (default 65534). */
        gatewayASN?: number;
        /** BGP community (ASN:value) per gateway priority, e.g. { "0": "50001:0" }; a GatewayGroup has at most this many members (default 10). */
        gatewayCommunities?: Record<string, string>;
      };
    }>;
  };
}
