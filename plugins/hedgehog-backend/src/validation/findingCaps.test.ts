import { countFindings, Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { TEST_CONFIG, VPC_API, ipv4Namespace, resource, vlanNamespace } from './__testUtils__/fabric';
import { Doc, MAX_FINDINGS_PER_RULE, Report } from './model';
import { ValidationCache } from './ValidationCache';
import { FabricDocument, validateFabric } from './validateFabric';

const doc = (document: number): Doc => ({ file: 'a.yaml', document, object: {}, kind: 'VPC', name: 'v', spec: {}, context: false, order: document });

/** `count` VPCs of one file, each with the same subnet: every pair overlaps (count²/2 pairs). */
function sameSubnetVPCs(count: number): FabricDocument[] {
  const docs: FabricDocument[] = [
    { file: 'ns.yaml', document: 0, object: ipv4Namespace('default', ['10.0.0.0/16']) },
    { file: 'ns.yaml', document: 1, object: vlanNamespace('default', [{ from: 1000, to: 2999 }]) },
  ];
  for (let i = 0; i < count; i++) {
    docs.push({
      file: 'vpcs.yaml',
      document: i,
      object: resource(VPC_API, 'VPC', `vpc-${i}`, { subnets: { default: { subnet: '10.0.1.0/24', vlan: 1000 + (i % 1500) } } }),
    });
  }
  return docs;
}

const byRule = (findings: Finding[], document: number) => {
  const counts: Record<string, number> = {};
  for (const f of findings) if (f.file === 'vpcs.yaml' && f.document === document) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
  return counts;
};

describe('findings are capped per rule and document', () => {
  it('keeps the first findings of a rule in a document and says how many more were left out', () => {
    const report = new Report(3);
    for (let i = 0; i < 5; i++) report.add(doc(0), 'fabric.vpc-subnet-overlap', ['spec'], `overlap ${i}`);
    report.add(doc(0), 'schema.type', ['spec'], 'another rule is kept');
    report.add(doc(1), 'fabric.vpc-subnet-overlap', ['spec'], 'another document is kept');
    report.leftOut(doc(0), 'fabric.vpc-subnet-overlap', 10);
    report.leftOut(doc(1), 'fabric.vpc-subnet-overlap', 0);
    expect(report.findings.map(f => [f.document, f.rule, f.message])).toEqual([
      [0, 'fabric.vpc-subnet-overlap', 'overlap 0'],
      [0, 'fabric.vpc-subnet-overlap', 'overlap 1'],
      [0, 'fabric.vpc-subnet-overlap', 'overlap 2'],
      [0, 'schema.type', 'another rule is kept'],
      [1, 'fabric.vpc-subnet-overlap', 'another document is kept'],
      [0, 'fabric.vpc-subnet-overlap', '12 more findings of rule fabric.vpc-subnet-overlap in this document were left out'],
    ]);
    // the count keeps the severity of what it stands for
    expect(report.findings.at(-1)!.severity).toBe('error');
    // and the finding carries it, so every total counts the findings left out
    expect(report.findings.at(-1)!.leftOut).toBe(12);
    expect(countFindings(report.findings)).toEqual({ errors: 5 + 12, warnings: 0 });
  });

  it('validates 3,000 VPCs that all overlap with one overlap finding per subnet, naming three and counting the rest', () => {
    const count = 3000;
    const { findings, valid } = validateFabric(sameSubnetVPCs(count), { config: TEST_CONFIG });
    expect(valid).toBe(false);
    for (const d of [0, 1234, count - 1]) {
      expect(byRule(findings, d)).toEqual({ 'fabric.vpc-subnet-overlap': 1, 'fabric.vpc-vlan-reused': 1 });
      const overlap = findings.find(f => f.document === d && f.file === 'vpcs.yaml' && f.rule === 'fabric.vpc-subnet-overlap')!;
      expect(overlap.message).toMatch(
        new RegExp(`^subnet default \\(10\\.0\\.1\\.0/24\\) overlaps (subnet default \\(10\\.0\\.1\\.0/24\\) of VPC vpc-\\d+ \\(vpcs\\.yaml(, document \\d+)?\\)(, )?){3} and ${count - 4} more, in the same IPv4Namespace default$`),
      );
    }
    // before: 3000 × 2999 overlap findings
    expect(findings.length).toBe(2 * count);
  });

  it('names a few of the documents sharing a value and counts the rest', () => {
    const docs = sameSubnetVPCs(400).map(d =>
      d.file === 'vpcs.yaml' ? { ...d, object: resource(VPC_API, 'VPC', `vpc-${d.document}`, { subnets: { default: { subnet: `10.0.${d.document % 200}.0/24`, vlan: 1000 } } }) } : d,
    );
    const { findings } = validateFabric(docs, { config: TEST_CONFIG });
    const reused = findings.filter(f => f.rule === 'fabric.vpc-vlan-reused');
    expect(reused).toHaveLength(400);
    expect(reused[0].message).toMatch(/^subnet default: VLAN 1000 is also used by VPC vpc-1 \(vpcs\.yaml, document 2\), VPC vpc-2 .*, VPC vpc-3 .* and 396 more in the same VLANNamespace default$/);
    // two VPCs per /24: one overlap each
    expect(findings.filter(f => f.rule === 'fabric.vpc-subnet-overlap')).toHaveLength(400);
  });

  it('caps the overlaps inside one document too, and the cache gives the same findings', () => {
    const subnets: Record<string, unknown> = {};
    for (let i = 0; i < 300; i++) subnets[`s${i}`] = { subnet: '10.0.1.0/24', vlan: 1000 + i };
    const docs: FabricDocument[] = [{ file: 'vpcs.yaml', document: 0, object: resource(VPC_API, 'VPC', 'big', { subnets }) }];
    const plain = validateFabric(docs, { config: TEST_CONFIG });
    const overlap = plain.findings.filter(f => f.rule === 'vpc.subnet-overlap');
    expect(overlap).toHaveLength(MAX_FINDINGS_PER_RULE + 1);
    expect(overlap.at(-1)!.message).toBe(`${(300 * 299) / 2 - MAX_FINDINGS_PER_RULE} more findings of rule vpc.subnet-overlap in this document were left out`);
    // the totals count every pair, those left out too
    expect(countFindings(overlap).errors).toBe((300 * 299) / 2);
    const cache = new ValidationCache();
    expect(cache.validate(docs, { config: TEST_CONFIG }).findings).toEqual(plain.findings);
    expect(cache.validate(docs, { config: TEST_CONFIG }).findings).toEqual(plain.findings);
  });
});
