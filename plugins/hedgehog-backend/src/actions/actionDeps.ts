import { AuditorService, BackstageCredentials } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { HedgehogStore } from '../database/HedgehogStore';
import { FabricAuthorizer, FabricPermission } from '../service/FabricAuthorizer';
import { HedgehogService } from '../service/HedgehogService';
import { who } from '../service/requestInput';

/** What the actions use: the router's service, store, per-fabric authorization and the auditor. */
export interface ActionDeps {
  service: HedgehogService;
  store: HedgehogStore;
  authorizer: FabricAuthorizer;
  auditor: AuditorService;
}

/**
 * The fabric, once the caller holds every one of the permissions on it, as the
 * router's `authorizedFabric`: refused first (NotAllowedError), then an unknown
 * fabric is NotFoundError and a blocked one ConflictError.
 */
export async function authorizedFabric(
  deps: Pick<ActionDeps, 'service' | 'authorizer'>,
  credentials: BackstageCredentials,
  name: string,
  ...needed: FabricPermission[]
): Promise<string> {
  await deps.authorizer.require(credentials, needed, name);
  return deps.service.fabric(name).name;
}

/**
 * Counts a call that asks a cluster (or GitHub) against the caller's limit of live
 * reads, as the routes do; over it, the call fails with when to try again (the
 * routes answer 429, which the MCP actions backend does not pass on to the agent).
 */
export function admitLiveRead(service: HedgehogService, credentials: BackstageCredentials): void {
  const retryAfter = service.liveReads.admit(who(credentials) ?? 'unknown');
  if (retryAfter !== undefined) {
    throw new ServiceUnavailableError(`Too many requests that ask GitHub or a cluster; try again in ${retryAfter} s`);
  }
}
