import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, ResponseError } from '@backstage/errors';
import { formatGitopsLocation } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricEntityInfo, FabricEntityReader } from './fabricEntity';

/**
 * Reads a fabric as the hedgehog backend syncs it (`GET /fabrics/:name`, on
 * behalf of the initiator: read permission on the fabric), so the actions use the
 * repository the plugin actually syncs — also for fabrics of app-config and of
 * backend modules, whose catalog entity only describes them. A fabric the
 * backend does not have is read from its catalog entity.
 */
export class BackendFabricReader implements FabricEntityReader {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      catalog: FabricEntityReader;
      fetch?: typeof fetch;
    },
  ) {}

  async read(ref: string, credentials: BackstageCredentials): Promise<FabricEntityInfo> {
    const match = /^(?:resource:)?(?:default\/)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/i.exec(ref.trim());
    if (match) {
      const name = match[1];
      const baseUrl = await this.deps.discovery.getBaseUrl('hedgehog');
      const { token } = await this.deps.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'hedgehog',
      });
      const response = await (this.deps.fetch ?? fetch)(
        `${baseUrl}/fabrics/${encodeURIComponent(name)}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (response.ok) {
        const fabric = await response.json();
        if (fabric.git?.url) {
          return {
            entityRef: `resource:default/${name}`,
            name,
            gitopsLocation: formatGitopsLocation(fabric.git),
            ...(fabric.cluster ? { cluster: String(fabric.cluster) } : {}),
          };
        }
      } else if (response.status !== 404) {
        const error = await ResponseError.fromResponse(response);
        if (response.status === 403) {
          throw new NotAllowedError(
            `the hedgehog backend refused to show you fabric ${name}: ${error.body?.error?.message ?? error.message}`,
          );
        }
        throw error;
      }
    }
    return this.deps.catalog.read(ref, credentials);
  }
}
