import { mockServices } from '@backstage/backend-test-utils';
import {
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
): FabricSource & { told: FabricSourceContext[] } {
  const told: FabricSourceContext[] = [];
  return {
    id,
    yieldsToOtherSources,
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
});
