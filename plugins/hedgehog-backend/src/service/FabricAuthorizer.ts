import { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer, PermissionRuleset } from '@backstage/plugin-permission-node';
import { RESOURCE_TYPE_HEDGEHOG_FABRIC } from '@fabric-gitops/plugin-hedgehog-common';
import {
  FabricDefinition,
  hedgehogFabricPermissionRules,
  HedgehogFabricFilter,
} from '@fabric-gitops/plugin-hedgehog-node';

/** A permission of the plugin: every one is checked against a fabric. */
export type FabricPermission = ResourcePermission<typeof RESOURCE_TYPE_HEDGEHOG_FABRIC>;

export type FabricRuleset = PermissionRuleset<FabricDefinition, HedgehogFabricFilter, typeof RESOURCE_TYPE_HEDGEHOG_FABRIC>;

/** The plugin's own rules, for a router created without the permissions registry's ruleset. */
const builtInRules: FabricRuleset = {
  getRuleByName(name) {
    const rule = Object.values(hedgehogFabricPermissionRules).find(r => r.name === name);
    if (!rule) throw new Error(`no hedgehog-fabric permission rule named ${name}`);
    return rule as ReturnType<FabricRuleset['getRuleByName']>;
  },
};

/** A request's decisions, to check against one or more fabrics. */
export class FabricDecisions {
  constructor(
    private readonly permissions: FabricPermission[],
    private readonly decisions: PolicyDecision[],
    private readonly lookup: (name: string) => FabricDefinition | undefined,
    private readonly matches: (decision: PolicyDecision, fabric: FabricDefinition | undefined) => boolean,
  ) {}

  /** The first permission not granted on the fabric, if any. */
  private missing(fabric: string): FabricPermission | undefined {
    let definition: FabricDefinition | undefined | null = null;
    return this.permissions.find((_, i) => {
      const d = this.decisions[i];
      if (d.result === AuthorizeResult.ALLOW) return false;
      if (d.result !== AuthorizeResult.CONDITIONAL) return true;
      if (definition === null) definition = this.lookup(fabric);
      return !this.matches(d, definition);
    });
  }

  allows(fabric: string): boolean {
    return this.missing(fabric) === undefined;
  }

  require(fabric: string): void {
    const missing = this.missing(fabric);
    if (missing) throw new NotAllowedError(`Permission ${missing.name} is required for fabric ${fabric}`);
  }
}

/**
 * Per-fabric authorization of the HTTP API. The policy is asked once per request
 * (`authorizeConditional`); a conditional decision is evaluated here on the fabric's
 * definition with the rules registered for the `hedgehog-fabric` resource type (the
 * same rules, on the same definitions, that the permission backend applies through
 * the plugin's `getResources` when the frontend asks about a fabric by its name).
 */
export class FabricAuthorizer {
  private readonly matches: (decision: PolicyDecision, fabric: FabricDefinition | undefined) => boolean;

  constructor(
    private readonly permissions: PermissionsService,
    /** The fabric's definition by name; undefined for an unknown fabric (no condition holds for it). */
    private readonly lookup: (name: string) => FabricDefinition | undefined,
    ruleset: FabricRuleset = builtInRules,
  ) {
    this.matches = createConditionAuthorizer(ruleset);
  }

  /**
   * The policy's decisions for these permissions. A permission denied outright
   * fails here, before anything is looked up.
   */
  async decide(credentials: BackstageCredentials, permissions: FabricPermission[]): Promise<FabricDecisions> {
    const decisions = await this.permissions.authorizeConditional(
      permissions.map(permission => ({ permission })),
      { credentials },
    );
    decisions.forEach((d, i) => {
      if (d.result === AuthorizeResult.DENY) throw new NotAllowedError(`Permission ${permissions[i].name} is required`);
    });
    return new FabricDecisions(permissions, decisions, this.lookup, this.matches);
  }

  /** Fails unless every permission is granted on the named fabric. */
  async require(credentials: BackstageCredentials, permissions: FabricPermission[], fabric: string): Promise<void> {
    (await this.decide(credentials, permissions)).require(fabric);
  }

  /** The fabrics on which the permission is granted (fails when it is denied outright). */
  async filter(
    credentials: BackstageCredentials,
    permission: FabricPermission,
    fabrics: FabricDefinition[],
  ): Promise<FabricDefinition[]> {
    const decisions = await this.decide(credentials, [permission]);
    return fabrics.filter(f => decisions.allows(f.name));
  }
}
