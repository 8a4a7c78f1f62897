import { promises as fs } from 'fs';
import path from 'path';
import { FABRIC_CONFIG_FIELD_KINDS, FabricConfigValueKinds } from './fabricConfig';
import { FABRIC_CONFIG_FIELDS, pickFabricConfig } from './fabricConfigInput';

/** How config.d.ts spells the type of each kind of FabricConfig value. */
const CONFIG_SCHEMA_TYPES: Record<keyof FabricConfigValueKinds, string> = {
  string: 'string',
  positiveInteger: 'number',
  vlanRanges: 'Array<{ from: number; to?: number }>',
  cidrList: 'string[]',
  boolean: 'boolean',
  communityMap: 'Record<string, string>',
};

/**
 * The members of the object type of `hedgehog.fabrics[].fabricConfig` in
 * config.d.ts, as name and type text (comments dropped, whitespace collapsed).
 */
async function configSchemaFabricConfigFields(): Promise<Record<string, string>> {
  const text = await fs.readFile(path.resolve(__dirname, '../../config.d.ts'), 'utf8');
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const open = code.indexOf('fabricConfig?: {');
  if (open < 0) throw new Error('config.d.ts has no fabricConfig?: { ... }');
  const start = code.indexOf('{', open) + 1;
  let depth = 0;
  let end = start;
  for (; end < code.length && (depth > 0 || code[end] !== '}'); end++) {
    if (code[end] === '{' || code[end] === '<') depth++;
    if (code[end] === '}' || code[end] === '>') depth--;
  }
  const members: string[] = [];
  let member = '';
  depth = 0;
  for (const ch of code.slice(start, end)) {
    if (ch === '{' || ch === '<') depth++;
    if (ch === '}' || ch === '>') depth--;
    if (ch === ';' && depth === 0) {
      members.push(member);
      member = '';
    } else {
      member += ch;
    }
  }
  if (member.trim()) members.push(member);
  const fields: Record<string, string> = {};
  for (const m of members) {
    const match = /^\s*(\w+)\?:\s*([\s\S]+?)\s*$/.exec(m);
    if (!match) throw new Error(`config.d.ts: cannot read the fabricConfig member "${m.trim()}"`);
    fields[match[1]] = match[2].replace(/\s+/g, ' ');
  }
  return fields;
}

describe('the FabricConfig fields', () => {
  it('are the fields config.d.ts accepts in hedgehog.fabrics[].fabricConfig, with the same types', async () => {
    const expected = Object.fromEntries(
      Object.entries(FABRIC_CONFIG_FIELD_KINDS).map(([field, kind]) => [field, CONFIG_SCHEMA_TYPES[kind]]),
    );
    expect(await configSchemaFabricConfigFields()).toEqual(expected);
  });

  it('are the fields pickFabricConfig reads, each by its kind', () => {
    const sample: { [K in keyof FabricConfigValueKinds]: FabricConfigValueKinds[K] } = {
      string: '10.0.0.0/24',
      positiveInteger: 65000,
      vlanRanges: [{ from: 100, to: 200 }, { from: 300 }],
      cidrList: ['10.1.0.0/16'],
      boolean: true,
      communityMap: { '0': '50001:0', '1': '50001:1' },
    };
    const value = Object.fromEntries(
      Object.entries(FABRIC_CONFIG_FIELD_KINDS).map(([field, kind]) => [field, sample[kind]]),
    );
    expect(pickFabricConfig({ ...value, users: [] })).toEqual({ config: value, problems: [] });
    expect(FABRIC_CONFIG_FIELDS).toEqual(Object.keys(FABRIC_CONFIG_FIELD_KINDS));
  });
});
