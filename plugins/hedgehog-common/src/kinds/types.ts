/**
 * How a column shows the value at its path (`kindColumnText`):
 * - `value` (the default): a scalar as it is, a list's items joined with ", ";
 * - `count`: how many entries a list or mapping has;
 * - `keys`: the keys of a mapping, joined with ", " (a Connection's type, a
 *   GatewayPeering's two peers);
 * - `range`: `{from, to}` items as `from–to`.
 *
 * @public
 */
export type KindColumnFormat = 'value' | 'count' | 'keys' | 'range';

/**
 * A column of the resources list of a kind: a title, the dotted path of the
 * value in the object (e.g. `spec.role`; a `*` segment stands for every item of
 * a list or every value of a mapping, e.g. `spec.groups.*.name`) and how it is
 * shown. Pure data: the frontend renders it with `kindColumnText`.
 *
 * @public
 */
export interface KindColumn {
  title: string;
  path: string;
  format?: KindColumnFormat;
}

/**
 * One Hedgehog kind managed through GitOps: everything the suite knows about it
 * that is not backend-only (schema and checks live in the backend's module of the
 * kind, keyed by the same `kind`).
 *
 * @public
 */
export interface HedgehogKind {
  kind: string;
  group: string;
  version: string;
  /** The plural of the API, also the folder under `managed/`. */
  plural: string;
  /**
   * Maximum length of `metadata.name`: 11 for VPC, IPv4Namespace and External,
   * else 253 (docs/hedgehog.md#names).
   */
  maxNameLength: number;
  /** Position in the create/update order (lower first). */
  applyOrder: number;
  /** The scope preset the kind belongs to besides `all` (`wiring` or `day2`). */
  preset: 'wiring' | 'day2';
  /**
   * The managed kinds its objects refer to, including the implicit references to
   * the `default` namespaces (docs/hedgehog.md#references-between-kinds). A kind
   * whose references depend on the object (Connection, Gateway, GatewayPeering) reads them in its backend module.
   */
  references: readonly string[];
  /**
   * Fields the cluster owns when Git leaves them out: values Hedgehog's webhooks
   * default and hhfab hydrates (docs/hedgehog.md#what-drift-ignores). Dotted paths;
   * `*` matches one segment and a pattern covers everything below it.
   */
  clusterOwned: readonly string[];
  /** Lists the webhooks keep sorted: compared sorted for drift. */
  unorderedLists: readonly string[];
  /** The kind's own columns in the resources list. */
  columns: readonly KindColumn[];
  /** The catalog `spec.type` of the entity the catalog makes of each object, if it makes one. */
  catalogEntityType?: string;
}

/** A kind module: a kind without the version, which its group gives. @public */
export type KindModule = Omit<HedgehogKind, 'version'> & { version?: string };

/** @public */
export const HEDGEHOG_API_VERSION = 'v1beta1';
/** @public */
export const WIRING_GROUP = 'wiring.githedgehog.com';
/** @public */
export const VPC_GROUP = 'vpc.githedgehog.com';
/** @public */
export const MAX_NAME = 253;
/** @public */
export const GATEWAY_GROUP = 'gateway.githedgehog.com';
/** @public */
export const GATEWAY_API_VERSION = 'v1alpha1';
