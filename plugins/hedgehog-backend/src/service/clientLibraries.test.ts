import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { testFabric } from '../__testUtils__/harness';

const CLUSTER = { name: 'lab', url: 'https://127.0.0.1:6443', skipTLSVerify: false };

/** Which client libraries a new HedgehogService loads (the Kubernetes client or none), the Kubernetes client with these fabrics and clusters. */
function librariesLoaded(fabrics: FabricDefinition[], clusters: Array<typeof CLUSTER>) {
  const loaded: string[] = [];
  jest.isolateModules(() => {
    jest.doMock('@kubernetes/client-node', () => {
      loaded.push('kubernetes');
      return {};
    });
    const { HedgehogService } = require('./HedgehogService');
    const { FabricRegistry } = require('./FabricRegistry');
    const { GitCredentialsResolver } = require('../git/credentials');
    const logger = mockServices.logger.mock();
    const scm = ScmIntegrations.fromConfig(new ConfigReader({}));
    const registry = new FabricRegistry(fabrics, [], logger, new Set(clusters.map(c => c.name)));
    const options = { clusters, fabrics, workingDirectory: '.', git: { author: {}, timeoutMs: 1000, maxPushAttempts: 1 } };
    // eslint-disable-next-line no-new
    new HedgehogService({ store: {}, registry, credentials: new GitCredentialsResolver(scm), options, logger, integrations: scm });
  });
  return loaded;
}

describe('client libraries', () => {
  it('does not load the Kubernetes client without clusters', () => {
    expect(librariesLoaded([testFabric('file:///srv/git/fabric.git')], [])).toEqual([]);
  });

  it('loads the Kubernetes client at start when clusters are configured, not during a run', () => {
    expect(librariesLoaded([testFabric('file:///srv/git/fabric.git', { cluster: 'lab' })], [CLUSTER])).toEqual(['kubernetes']);
  });
});
