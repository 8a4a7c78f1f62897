import { mockServices } from '@backstage/backend-test-utils';
import {
  CatalogFabricPolicy,
  FabricDefinition,
  FabricSource,
  FabricSourceContext,
} from '@fabric-gitops/plugin-hedgehog-node';
import { FabricRegistry } from './FabricRegistry';

const fabric = (name: string, from: string): FabricDefinition => ({
  name,
  title: name,
  git: { url: `file:///repos/${name}.git`, branch: 'main', path: '', writeMode: 'push' },
  apply: 'manual',
  prune: false,
  source: from,
});

/** A source that records what it was told and answers with `fabrics()`. */
function fakeSource(
  id: string,
  fabrics: () => FabricDefinition[],
  yieldsToOtherSources = false,
  untrusted = false,
): FabricSource & { told: FabricSourceContext[] } {
  const told: FabricSourceContext[] = [];
  return {
    id,
    yieldsToOtherSources,
    untrusted,
    told,
    async getFabrics(context) {
      told.push(context!);
      return fabrics();
    },
  };
}

describe('FabricRegistry', () => {
  it('ignores an invalid fabric from a source with a warning', async () => {
    const logger = mockServices.logger.mock();
    const registry = new FabricRegistry(
      [],
      [fakeSource('catalog', () => [fabric('Bad_Name', 'x'), fabric('ok', 'x')])],
      logger,
    );
    const list = await registry.refresh();
    expect(list.map(f => f.name)).toEqual(['ok']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('"Bad_Name" is not a valid fabric name'),
    );
  });

  it('asks a yielding source last, tells it the taken names and keeps the others\' definitions', async () => {
    // registered first, but yields: the module's and app-config's definitions win
    const catalog = fakeSource(
      'catalog',
      () => [
        fabric('demo', 'resource:default/demo'),
        fabric('lab', 'resource:default/lab'),
        fabric('edge', 'resource:default/edge'),
      ],
      true,
    );
    const module = fakeSource('demo', () => [fabric('demo', 'demo'), fabric('lab', 'demo')]);
    const registry = new FabricRegistry(
      [fabric('lab', 'app-config')],
      [catalog, module],
      mockServices.logger.mock(),
    );

    const list = await registry.refresh();
    expect(list.map(f => [f.name, f.source])).toEqual([
      ['demo', 'demo'],
      ['edge', 'resource:default/edge'],
      ['lab', 'app-config'],
    ]);
    expect([...module.told[0].taken]).toEqual(['lab']);
    expect([...catalog.told[0].taken].sort()).toEqual(['demo', 'lab']);
  });

  it('keeps what a failing source gave before, and only that', async () => {
    let fail = false;
    const catalog = fakeSource(
      'catalog',
      () => {
        if (fail) throw new Error('catalog is down');
        return [fabric('edge', 'resource:default/edge')];
      },
      true,
    );
    const logger = mockServices.logger.mock();
    const registry = new FabricRegistry(
      [],
      [catalog, fakeSource('demo', () => [fabric('demo', 'demo')])],
      logger,
    );
    expect((await registry.refresh()).map(f => f.name)).toEqual(['demo', 'edge']);
    fail = true;
    expect((await registry.refresh()).map(f => f.name)).toEqual(['demo', 'edge']);
    expect(logger.warn).toHaveBeenCalledWith(
      'hedgehog: fabric source catalog failed: Error: catalog is down',
    );
  });

  describe('untrusted sources (the catalog)', () => {
    const policy: CatalogFabricPolicy = {
      repositories: ['file:///repos/allowed-*.git'],
      integrationHosts: [],
      clusters: ['lab'],
      writeMode: 'pull-request',
    };
    const at = (name: string, url: string, cluster?: string): FabricDefinition => ({
      ...fabric(name, `resource:default/${name}`),
      git: { url, branch: 'main', path: '', writeMode: 'push' },
      cluster,
    });

    it('blocks definitions outside the policy, with the reason, and limits the write mode of the others', async () => {
      const logger = mockServices.logger.mock();
      const catalog = fakeSource(
        'catalog',
        () => [
          at('allowed', 'file:///repos/allowed-a.git', 'lab'),
          at('elsewhere', 'file:///home/someone/secret.git'),
          at('prod', 'file:///repos/allowed-b.git', 'prod'),
        ],
        true,
        true,
      );
      const registry = new FabricRegistry([], [catalog], logger, new Set(['lab', 'prod']), policy);
      const list = await registry.refresh();

      expect(list.map(f => [f.name, f.git.writeMode])).toEqual([['allowed', 'pull-request']]);
      expect(registry.get('elsewhere')).toBeUndefined();
      expect(registry.get('prod')).toBeUndefined();
      expect(registry.blocked('elsewhere')?.reason).toBe(
        'the repository file:///home/someone/secret.git is not one catalog fabrics may use ' +
          '(hedgehog.catalogFabrics.repositories allows file:///repos/allowed-*.git)',
      );
      expect(registry.blocked('prod')?.reason).toMatch(/^the cluster "prod" does not accept fabrics of the catalog/);
      expect(registry.listBlocked().map(b => b.definition.name)).toEqual(['elsewhere', 'prod']);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(/^hedgehog: fabric elsewhere of resource:default\/elsewhere is blocked, it is not synced: the repository/),
      );

      // logged once while the reason stays the same
      await registry.refresh();
      expect((logger.warn as jest.Mock).mock.calls.filter(([m]) => m.includes('fabric elsewhere')).length).toBe(1);
    });

    it('blocks everything without a policy, and never touches trusted sources\' definitions', async () => {
      const registry = new FabricRegistry(
        [fabric('configured', 'app-config')],
        [
          fakeSource('catalog', () => [at('entity', 'https://github.com/acme/net.git')], true, true),
          fakeSource('module', () => [at('module', 'file:///home/someone/secret.git', 'prod')]),
        ],
        mockServices.logger.mock(),
        new Set(['prod']),
      );
      const list = await registry.refresh();
      expect(list.map(f => [f.name, f.git.writeMode])).toEqual([
        ['configured', 'push'],
        ['module', 'push'],
      ]);
      expect(registry.blocked('entity')?.reason).toMatch(/repositories allows none/);
    });

    it('follows an entity that moves into or out of the policy', async () => {
      let url = 'file:///home/someone/secret.git';
      const registry = new FabricRegistry(
        [],
        [fakeSource('catalog', () => [at('edge', url)], true, true)],
        mockServices.logger.mock(),
        new Set(),
        policy,
      );
      await registry.refresh();
      expect(registry.get('edge')).toBeUndefined();
      url = 'file:///repos/allowed-edge.git';
      await registry.refresh();
      expect(registry.get('edge')?.git.url).toBe(url);
      expect(registry.blocked('edge')).toBeUndefined();
      url = 'file:///repos/other.git';
      await registry.refresh();
      expect(registry.get('edge')).toBeUndefined();
      expect(registry.blocked('edge')).toBeDefined();
    });
  });
});
