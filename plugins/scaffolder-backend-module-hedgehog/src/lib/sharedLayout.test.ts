/*
 * The layout and gitops-location helpers live in -common (which has no YAML
 * library); these tests pin them against the `yaml` package the backend and the
 * catalog read them with.
 */
import {
  HEDGEHOG_KINDS,
  LAYOUT_VERSION,
  layoutFiles,
  manifestContent,
} from '@fabric-gitops/plugin-hedgehog-common';
import { parse, stringify } from 'yaml';

describe('shared layout (-common)', () => {
  const viaYaml = (fabric: string) =>
    stringify(
      {
        layoutVersion: LAYOUT_VERSION,
        fabric,
        directories: { raw: 'raw', managed: 'managed', unmanaged: 'unmanaged' },
        kinds: Object.fromEntries(
          HEDGEHOG_KINDS.map(k => [k.kind, `managed/${k.plural}`]),
        ),
      },
      { lineWidth: 0 },
    );

  it.each([
    'demo',
    'lab-1',
    'a',
    'true',
    'false',
    'null',
    '123',
    '007',
    '0',
    '1e3',
    '12e',
    '0x1f',
    '0o17',
    'yes',
    'on',
    'nan',
    'inf',
    '1-2',
    'x'.repeat(63),
  ])(
    'writes the manifest of fabric %j byte for byte as the yaml package would',
    name => {
      expect(manifestContent(name)).toBe(viaYaml(name));
      expect(parse(manifestContent(name)).fabric).toBe(name);
    },
  );

  it('quotes names that would not read back as strings', () => {
    for (const name of ['-1', '1.5', '.inf', 'a: b', 'x #y', '']) {
      expect(parse(manifestContent(name)).fabric).toBe(name);
    }
  });

  it('lists 19 layout files with nothing volatile', () => {
    expect(layoutFiles('demo')).toHaveLength(19);
    expect(layoutFiles('demo')).toEqual(layoutFiles('demo'));
  });
});
