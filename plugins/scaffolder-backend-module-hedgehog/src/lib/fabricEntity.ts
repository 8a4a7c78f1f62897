import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError, ResponseError } from '@backstage/errors';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_GITOPS_LOCATION,
  FABRIC_ENTITY_TYPE,
  parseGitopsLocation,
} from '@fabric-gitops/plugin-hedgehog-common';

/** What the actions need to know about a fabric entity (JSON, for checkpoints). @public */
export interface FabricEntityInfo {
  [key: string]: string | undefined;
  entityRef: string;
  name: string;
  gitopsLocation: string;
  cluster?: string;
}

/** Reading fabric entities from the catalog, on behalf of the task's initiator. @public */
export interface FabricEntityReader {
  read(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<FabricEntityInfo>;
}

/**
 * Parses an entity ref of a fabric: `[resource:][<namespace>/]<name>`.
 */
function parseFabricRef(ref: string): {
  namespace: string;
  name: string;
} {
  const match =
    /^(?:([A-Za-z]+):)?(?:([a-z0-9][-a-z0-9_.]*)\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)$/.exec(
      ref.trim(),
    );
  if (!match) {
    throw new InputError(
      `fabric "${ref}" is not an entity ref (e.g. resource:default/lab)`,
    );
  }
  const [, kind, namespace, name] = match;
  if (kind && kind.toLowerCase() !== 'resource') {
    throw new InputError(
      `fabric "${ref}" must refer to a Resource entity, not a ${kind}`,
    );
  }
  return { namespace: namespace ?? 'default', name };
}

/**
 * Reads fabric entities through the catalog's HTTP API with a plugin-to-plugin
 * token issued on behalf of the task's initiator.
 *
 * @public
 */
export class CatalogFabricEntityReader implements FabricEntityReader {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetch?: typeof fetch;
    },
  ) {}

  async read(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<FabricEntityInfo> {
    const { namespace, name } = parseFabricRef(ref);
    const entityRef = `resource:${namespace}/${name}`;
    const baseUrl = await this.deps.discovery.getBaseUrl('catalog');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'catalog',
    });
    const fetchFn = this.deps.fetch ?? fetch;
    const response = await fetchFn(
      `${baseUrl}/entities/by-name/resource/${encodeURIComponent(
        namespace,
      )}/${encodeURIComponent(name)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (response.status === 404) {
      throw new NotFoundError(
        `the fabric entity ${entityRef} is not in the catalog`,
      );
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return fabricInfoOf(await response.json(), entityRef);
  }
}

/** Checks that an entity is a fabric entity and extracts what the actions need. */
export function fabricInfoOf(entity: any, entityRef: string): FabricEntityInfo {
  if (
    entity?.kind !== 'Resource' ||
    entity?.spec?.type !== FABRIC_ENTITY_TYPE
  ) {
    throw new InputError(
      `${entityRef} is not a Hedgehog fabric (a Resource entity of spec.type ${FABRIC_ENTITY_TYPE})`,
    );
  }
  const annotations = entity.metadata?.annotations ?? {};
  const gitopsLocation = annotations[ANNOTATION_GITOPS_LOCATION];
  if (typeof gitopsLocation !== 'string' || !gitopsLocation) {
    throw new InputError(
      `${entityRef} has no ${ANNOTATION_GITOPS_LOCATION} annotation`,
    );
  }
  parseGitopsLocation(gitopsLocation);
  const cluster = annotations[ANNOTATION_CLUSTER];
  return {
    entityRef,
    name: String(entity.metadata.name),
    gitopsLocation,
    ...(typeof cluster === 'string' && cluster ? { cluster } : {}),
  };
}
