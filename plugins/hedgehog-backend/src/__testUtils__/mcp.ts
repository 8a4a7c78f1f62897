import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createHedgehogFabricConditionalDecision, hedgehogFabricConditions } from '@fabric-gitops/plugin-hedgehog-node';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * MCP clients of a test backend's MCP actions backend (`/api/mcp-actions/v1`), signed
 * in as a user; `close()` ends them all.
 */
export function mcpClients(port: () => number) {
  const clients: Client[] = [];
  return {
    async connect(user: string) {
      const client = new Client({ name: 'hedgehog-test', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(`http://localhost:${port()}/api/mcp-actions/v1`), {
        requestInit: { headers: { Authorization: mockCredentials.user.header(user) } },
      });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    close: () => Promise.all(clients.map(c => c.close())),
  };
}

/** A tool call's answer: its output (structured, else the JSON of its text). */
export const toolOutput = (result: any) => result.structuredContent ?? JSON.parse(result.content[0].text);

/**
 * A permissions service per user: `all` users are allowed everything, a user of
 * `fabrics` is given a conditional decision (the fabric's name is one of them) on
 * the permissions listed (every one when `permissions` is absent); the rest is denied.
 */
export function permissionsPerFabric(
  all: string[],
  fabrics: Record<string, { names: string[]; permissions?: string[] }>,
) {
  return mockServices.permissions.mock({
    authorizeConditional: async (requests, options) =>
      requests.map(({ permission }) => {
        const user = (options.credentials.principal as { userEntityRef?: string }).userEntityRef ?? '';
        if (all.includes(user)) return { result: AuthorizeResult.ALLOW };
        const grant = fabrics[user];
        if (grant && (!grant.permissions || grant.permissions.includes(permission.name))) {
          return createHedgehogFabricConditionalDecision(
            permission as Parameters<typeof createHedgehogFabricConditionalDecision>[0],
            hedgehogFabricConditions.hasFabricName({ names: grant.names }),
          );
        }
        return { result: AuthorizeResult.DENY };
      }),
  });
}
