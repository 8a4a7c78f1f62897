import { MANIFEST_PATH, manifestContent } from '@fabric-gitops/plugin-hedgehog-common';
import { parse } from 'yaml';
import { FakeFabric } from './__testUtils__/fakeFabric';
import { layoutFiles } from './layout';

const vpc = (name: string) =>
  `apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: ${name}\nspec:\n  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      vlan: 1001\n`;
const sw = (name: string) => `apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: ${name}\nspec:\n  role: server-leaf\n`;
const conn = (name: string) =>
  `apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: ${name}\nspec:\n  unbundled:\n    link:\n      server: {port: s1/eth0}\n      switch: {port: leaf-1/E1/1}\n`;

/** A fabric directory laid out as the scaffolder writes it for `scope` (its manifest says it). */
function fabricWithScope(scope?: 'day2' | 'wiring' | string[]): FakeFabric {
  const fabric = new FakeFabric('lab');
  for (const f of layoutFiles('lab', scope)) fabric.add(f.path, f.content);
  return fabric;
}

describe('planIngestion with the kinds a fabric manages', () => {
  it('keeps raw documents of kinds outside the scope in unmanaged/ with the reason, and ingests the others', () => {
    const fabric = fabricWithScope('day2').add('raw/mixed.yaml', [sw('leaf-1'), vpc('v1'), conn('s1--unbundled--leaf-1')].join('---\n'));
    const plan = fabric.plan();
    expect(plan.scope).toMatchObject({ from: 'manifest', setting: 'day2' });
    expect(plan.manifestScope).toBe('day2');
    expect(plan.resources.map(r => `${r.kind}/${r.name}`)).toEqual(['VPC/v1']);
    expect(plan.unmanaged).toEqual([{ from: 'raw/mixed.yaml', to: 'unmanaged/mixed.yaml', documents: [0, 2] }]);
    const reason = parse(plan.writes.find(w => w.path === 'unmanaged/mixed.yaml.reason.yaml')!.content);
    expect(reason.reasons).toEqual([
      expect.objectContaining({ index: 0, rule: 'out-of-scope', message: 'kind Switch is not managed by this fabric' }),
      expect.objectContaining({ index: 2, rule: 'out-of-scope', message: 'kind Connection is not managed by this fabric' }),
    ]);
    expect(plan.findings.map(f => [f.rule, f.document, f.message])).toEqual([
      ['unmanaged.out-of-scope', 0, 'kind Switch is not managed by this fabric'],
      ['unmanaged.out-of-scope', 2, 'kind Connection is not managed by this fabric'],
    ]);
    // nothing of the layout is repaired: the day2 layout has no folders of wiring kinds
    expect(plan.counts.layoutRepaired).toBe(0);
    fabric.apply(plan);
    const again = fabric.plan();
    expect({ writes: again.writes, moves: again.moves, deletes: again.deletes }).toEqual({ writes: [], moves: [], deletes: [] });
    expect(fabric.files.has('unmanaged/mixed.yaml')).toBe(true);
  });

  it('moves a managed file of a kind outside the scope to unmanaged/ as written, and holds back no prune for it', () => {
    const fabric = fabricWithScope('day2').add('managed/switches/leaf-1.yaml', sw('leaf-1')).add('managed/vpcs/v1.yaml', vpc('v1'));
    const plan = fabric.plan();
    expect(plan.resources.map(r => r.kind)).toEqual(['VPC']);
    expect(plan.moves).toEqual([{ from: 'managed/switches/leaf-1.yaml', to: 'unmanaged/switches/leaf-1.yaml' }]);
    expect(parse(plan.writes.find(w => w.path === 'unmanaged/switches/leaf-1.yaml.reason.yaml')!.content).reasons).toEqual([
      expect.objectContaining({ rule: 'out-of-scope', message: 'kind Switch is not managed by this fabric' }),
    ]);
    expect(plan.dropped).toEqual([]);
  });

  it('takes app-config over the manifest, and the manifest over the catalog entity', () => {
    const raw = [sw('leaf-1'), vpc('v1')].join('---\n');
    const byAppConfig = fabricWithScope('day2').add('raw/a.yaml', raw).plan({ appConfig: 'wiring', entity: 'all' });
    expect(byAppConfig.scope).toMatchObject({ from: 'app-config', setting: 'wiring' });
    expect(byAppConfig.resources.map(r => r.kind)).toEqual(['Switch']);
    const byManifest = fabricWithScope('day2').add('raw/a.yaml', raw).plan({ entity: 'wiring' });
    expect(byManifest.resources.map(r => r.kind)).toEqual(['VPC']);
    const byEntity = fabricWithScope().add('raw/a.yaml', raw).plan({ entity: ['Switch'] });
    expect(byEntity.scope).toMatchObject({ from: 'entity', kinds: ['Switch'] });
    expect(byEntity.resources.map(r => r.kind)).toEqual(['Switch']);
  });

  it('manages every kind by default, as before', () => {
    const plan = fabricWithScope().add('raw/a.yaml', [sw('leaf-1'), vpc('v1')].join('---\n')).plan();
    expect(plan.scope).toMatchObject({ from: 'default', setting: 'all' });
    expect(plan.manifestScope).toBeUndefined();
    expect(plan.resources.map(r => r.kind)).toEqual(['Switch', 'VPC']);
    expect(plan.unmanaged).toEqual([]);
  });

  it('reports a manifest scope it cannot read, naming the file and field, and falls back to the next source', () => {
    const fabric = fabricWithScope();
    fabric.add(MANIFEST_PATH, manifestContent('lab').replace('fabric: lab\n', 'fabric: lab\nscope: day3\n'));
    const plan = fabric.add('raw/a.yaml', sw('leaf-1')).plan({ entity: 'wiring' });
    expect(plan.findings).toContainEqual(
      expect.objectContaining({ severity: 'error', rule: 'manifest.scope', file: MANIFEST_PATH, path: 'scope', message: expect.stringContaining('"day3" is neither a preset') }),
    );
    expect(plan.scope).toMatchObject({ from: 'entity', setting: 'wiring' });
    expect(plan.resources.map(r => r.kind)).toEqual(['Switch']);
  });
});
