import { FabricDefinition } from './fabrics';
import {
  createHedgehogFabricConditionalDecision,
  fabricOwnerRef,
  hasFabricName,
  hedgehogFabricConditions,
  isFabricOwner,
} from './permissions';
import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_HEDGEHOG_FABRIC } from '@fabric-gitops/plugin-hedgehog-common';

const fabric = (over: Partial<FabricDefinition>): FabricDefinition => ({
  name: 'dc1',
  title: 'dc1',
  git: { url: 'file:///tmp/x.git', branch: 'main', path: '', writeMode: 'push' },
  apply: 'manual',
  prune: false,
  source: 'app-config',
  ...over,
});

describe('fabricOwnerRef', () => {
  it.each([
    ['network', 'app-config', 'group:default/network'],
    ['group:network', 'app-config', 'group:default/network'],
    ['Group:Default/Network', 'app-config', 'group:default/network'],
    ['user:default/alice', 'app-config', 'user:default/alice'],
    // a catalog entity's spec.owner defaults to the entity's namespace, as the catalog reads it
    ['network', 'resource:dc-west/dc1', 'group:dc-west/network'],
    ['group:default/network', 'resource:dc-west/dc1', 'group:default/network'],
    // a module's source that is not an entity ref
    ['network', 'the demo module of packages/backend', 'group:default/network'],
  ])('%s from %s is %s', (owner, source, ref) => {
    expect(fabricOwnerRef(fabric({ owner, source }))).toBe(ref);
  });

  it('is undefined without an owner or for one that is not an entity ref', () => {
    expect(fabricOwnerRef(fabric({}))).toBeUndefined();
    expect(fabricOwnerRef(fabric({ owner: '  ' }))).toBeUndefined();
    expect(fabricOwnerRef(fabric({ owner: 'group:' }))).toBeUndefined();
    expect(fabricOwnerRef(fabric({ owner: 'group:default/' }))).toBeUndefined();
  });
});

describe('fabric permission rules', () => {
  it('IS_FABRIC_OWNER matches the fabric owner among the claims, in any case', () => {
    const owned = fabric({ owner: 'network' });
    expect(isFabricOwner.apply(owned, { claims: ['user:default/alice', 'group:default/network'] })).toBe(true);
    expect(isFabricOwner.apply(owned, { claims: ['Group:default/Network'] })).toBe(true);
    expect(isFabricOwner.apply(owned, { claims: ['group:default/storage'] })).toBe(false);
    expect(isFabricOwner.apply(owned, { claims: [] })).toBe(false);
    // a fabric without an owner is owned by nobody
    expect(isFabricOwner.apply(fabric({}), { claims: ['group:default/network'] })).toBe(false);
  });

  it('HAS_FABRIC_NAME matches the listed names only', () => {
    expect(hasFabricName.apply(fabric({ name: 'dc1' }), { names: ['dc1', 'dc2'] })).toBe(true);
    expect(hasFabricName.apply(fabric({ name: 'dc3' }), { names: ['dc1', 'dc2'] })).toBe(false);
  });

  it('rejects rule parameters of the wrong shape', async () => {
    const invalid = await isFabricOwner.paramsSchema!['~standard'].validate({ claims: 'group:default/network' });
    expect(invalid.issues?.length).toBeGreaterThan(0);
  });

  it('condition helpers build conditional decisions for the hedgehog plugin', () => {
    const permission = createPermission({ name: 'test.fabric.sync', attributes: {}, resourceType: RESOURCE_TYPE_HEDGEHOG_FABRIC });
    const condition = hedgehogFabricConditions.hasFabricName({ names: ['dc1'] });
    expect(condition).toEqual({ rule: 'HAS_FABRIC_NAME', resourceType: 'hedgehog-fabric', params: { names: ['dc1'] } });
    expect(createHedgehogFabricConditionalDecision(permission, { anyOf: [condition] })).toEqual({
      result: 'CONDITIONAL',
      pluginId: 'hedgehog',
      resourceType: 'hedgehog-fabric',
      conditions: { anyOf: [condition] },
    });
  });
});
