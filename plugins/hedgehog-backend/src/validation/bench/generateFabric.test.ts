import { validateFabric } from '../validateFabric';
import { generateFabric } from './generateFabric';

const asDocuments = (objects: Array<Record<string, unknown>>) =>
  objects.map((object, i) => ({ file: `managed/${i}.yaml`, document: 0, object }));

describe('generateFabric', () => {
  it('generates a small valid fabric', () => {
    const fabric = generateFabric();
    expect(new Set(fabric.map(o => o.kind)).size).toBe(12);
    expect(validateFabric(asDocuments(fabric)).findings).toEqual([]);
  });

  it('a generated fabric of over 2,000 documents validates with zero findings', () => {
    const fabric = generateFabric({ spines: 2, leaves: 40, serversPerLeaf: 16, vpcs: 100 });
    expect(fabric.length).toBeGreaterThanOrEqual(2000);
    const { valid, findings } = validateFabric(asDocuments(fabric));
    expect(findings).toEqual([]);
    expect(valid).toBe(true);
  });

  it('finds a single error in a large fabric, at its document', () => {
    const fabric = generateFabric({ spines: 2, leaves: 40, serversPerLeaf: 16, vpcs: 100 });
    const i = fabric.findIndex(o => o.kind === 'VPC' && o.metadata.name === 'vpc-42');
    fabric[i].spec.subnets.default.vlan = 1007;
    const { findings } = validateFabric(asDocuments(fabric));
    expect(findings.map(f => [f.rule, f.file])).toEqual([
      ['fabric.vpc-vlan-reused', expect.stringMatching(/managed\/\d+\.yaml/)],
      ['fabric.vpc-vlan-reused', `managed/${i}.yaml`],
    ]);
  });

  it('refuses sizes the default fabric config cannot hold', () => {
    expect(() => generateFabric({ leaves: 500 })).toThrow('too large');
  });
});
