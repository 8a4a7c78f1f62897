import { HEDGEHOG_KINDS, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { parse } from 'yaml';
import {
  LAYOUT_VERSION,
  MANIFEST_PATH,
  README_PATH,
  isUnder,
  isYamlFileName,
  layoutFiles,
  managedPath,
  manifestContent,
  readmeContent,
} from './layout';

describe('layout', () => {
  it('puts a managed resource at managed/<plural>/<name>.yaml', () => {
    expect(managedPath(findKind('VPC')!, 'vpc-1')).toBe('managed/vpcs/vpc-1.yaml');
    expect(managedPath(findKind('Switch')!, 'leaf-01')).toBe('managed/switches/leaf-01.yaml');
    expect(managedPath(findKind('VPCAttachment')!, 'a.b')).toBe('managed/vpcattachments/a.b.yaml');
  });

  it('tells whether a path is inside a folder', () => {
    expect(isUnder('raw/a.yaml', 'raw')).toBe(true);
    expect(isUnder('raw/x/a.yaml', 'raw')).toBe(true);
    expect(isUnder('raw', 'raw')).toBe(false);
    expect(isUnder('rawfile.yaml', 'raw')).toBe(false);
    expect(isUnder('x/raw/a.yaml', 'raw')).toBe(false);
  });

  it('recognises YAML file names', () => {
    for (const name of ['a.yaml', 'a.yml', 'A.YAML', 'dir/b.Yml', '.yaml']) expect(isYamlFileName(name)).toBe(true);
    for (const name of ['a.json', 'a.yaml.bak', 'a.yaml.archived', 'yaml', 'a.yamlx', 'a_yaml']) expect(isYamlFileName(name)).toBe(false);
  });

  it('writes a manifest with the layout version, the fabric and a folder per kind', () => {
    const manifest = parse(manifestContent('demo'));
    expect(manifest).toEqual({
      layoutVersion: LAYOUT_VERSION,
      fabric: 'demo',
      directories: { raw: 'raw', managed: 'managed', unmanaged: 'unmanaged' },
      kinds: Object.fromEntries(HEDGEHOG_KINDS.map(k => [k.kind, `managed/${k.plural}`])),
    });
    expect(Object.keys(manifest.kinds)).toHaveLength(15);
    expect(manifestContent('demo')).toBe(manifestContent('demo'));
  });

  it('writes a README naming the fabric and the folders', () => {
    const readme = readmeContent('demo');
    expect(readme).toMatch(/^# Hedgehog fabric `demo`/);
    for (const folder of ['raw/', 'managed/', 'unmanaged/', '.gitops/manifest.yaml']) expect(readme).toContain(folder);
    expect(readme.endsWith('\n')).toBe(true);
  });

  it('lists the files every fabric directory has', () => {
    const files = layoutFiles('demo');
    expect(files.map(f => f.path)).toEqual([
      'raw/.gitkeep',
      ...HEDGEHOG_KINDS.map(k => `managed/${k.plural}/.gitkeep`),
      'unmanaged/.gitkeep',
      MANIFEST_PATH,
      README_PATH,
    ]);
    expect(new Set(files.map(f => f.path)).size).toBe(19);
    expect(files.find(f => f.path === MANIFEST_PATH)!.content).toBe(manifestContent('demo'));
    expect(files.filter(f => f.path.endsWith('.gitkeep')).every(f => f.content === '')).toBe(true);
  });

  it('contains nothing volatile', () => {
    const all = layoutFiles('demo').map(f => f.content).join('\n');
    expect(all).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(layoutFiles('demo')).toEqual(layoutFiles('demo'));
  });
});
