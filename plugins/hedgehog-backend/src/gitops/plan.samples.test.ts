import {
  ANNOTATION_SOURCE_FILE,
  ANNOTATION_SOURCE_INDEX,
  HEDGEHOG_KINDS,
  findKind,
} from '@fabric-gitops/plugin-hedgehog-common';
import path from 'path';
import { parse } from 'yaml';
import { FakeFabric, blobIdOf, countKindsByRegex, isEmptyPlan, readSample, readSamples } from './__testUtils__/fakeFabric';
import { layoutFiles } from './layout';

const SAMPLES = path.resolve(__dirname, '../../../../test/fixtures/samples');

/** Documents per kind, as listed in test/fixtures/samples/README.md. */
const README_COUNTS: Record<string, Record<string, number>> = {
  '01': { VPC: 2, VPCAttachment: 2 },
  '02': { VPC: 1, VPCAttachment: 1, VPCPeering: 1, ExternalPeering: 1 },
  '03': {},
  '04': { SwitchGroup: 3, Switch: 7, Server: 10, Connection: 26 },
  '05': { VLANNamespace: 1, IPv4Namespace: 1, SwitchGroup: 1, Switch: 6, Gateway: 1, Connection: 10 },
  '07': { VLANNamespace: 1, IPv4Namespace: 1, Switch: 10, Server: 8, Connection: 80, VPC: 2, VPCAttachment: 64 },
  '08': { External: 1, ExternalAttachment: 1, VPC: 1, VPCAttachment: 1, GatewayPeering: 1 },
};

/** Documents of a managed kind that ingestion keeps in unmanaged/: the Gateway of 05 is in namespace `fab`. */
const KEPT_UNMANAGED: Record<string, Record<string, number>> = { '05': { Gateway: 1 } };

const managedCounts = (prefix: string) =>
  Object.fromEntries(
    Object.entries(README_COUNTS[prefix])
      .map(([kind, n]) => [kind, n - (KEPT_UNMANAGED[prefix]?.[kind] ?? 0)] as const)
      .filter(([kind, n]) => findKind(kind) && n > 0),
  );

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

describe('planIngestion on the sample files', () => {
  describe.each(Object.keys(README_COUNTS))('sample %s alone in raw/', prefix => {
    const { name, bytes } = readSample(SAMPLES, prefix);
    const rawPath = `raw/${name}`;
    const expected = managedCounts(prefix);
    const expectedTotal = Object.values(expected).reduce((a, b) => a + b, 0);

    it('agrees with the README about the documents per kind', () => {
      expect(countKindsByRegex(bytes.toString('utf8'))).toEqual(README_COUNTS[prefix]);
    });

    it('creates one managed file per managed document, at managed/<plural>/<name>.yaml', () => {
      const fabric = new FakeFabric().add(rawPath, bytes);
      const plan = fabric.plan();
      expect(plan.conflicts).toEqual([]);
      expect(plan.counts.resourcesCreated).toBe(expectedTotal);
      expect(countBy(plan.resources, r => r.kind)).toEqual(expected);
      const managedWrites = plan.writes.filter(w => w.path.startsWith('managed/') && !w.path.endsWith('.gitkeep'));
      expect(managedWrites).toHaveLength(expectedTotal);
      for (const r of plan.resources) {
        const kind = findKind(r.kind)!;
        expect(r.gitPath).toBe(`managed/${kind.plural}/${r.name}.yaml`);
        expect(r.source).toEqual({ file: rawPath, document: expect.any(Number) });
        const write = managedWrites.find(w => w.path === r.gitPath)!;
        const written = parse(write.content);
        expect(written).toEqual(r.object);
        expect(written.metadata.namespace).toBe('default');
        expect(written.metadata.annotations[ANNOTATION_SOURCE_FILE]).toBe(rawPath);
        expect(written.metadata.annotations[ANNOTATION_SOURCE_INDEX]).toBe(String(r.source!.document));
        expect(written).not.toHaveProperty('status');
      }
    });

    // (before: 05 was moved whole to unmanaged/ for its one Gateway)
    it('removes the raw file; keeps what of it is not managed in unmanaged/, whole only when none of it is managed', () => {
      const fabric = new FakeFabric().add(rawPath, bytes);
      const plan = fabric.plan();
      const keptWhole = prefix === '03';
      const keptInPart = prefix === '05';
      expect({ deletes: plan.deletes, moves: plan.moves }).toEqual(
        keptWhole ? { deletes: [], moves: [{ from: rawPath, to: `unmanaged/${name}` }] } : { deletes: [rawPath], moves: [] },
      );
      expect(plan.counts.rawFiles).toBe(1);
      fabric.apply(plan);
      expect(fabric.paths('raw/')).toEqual(['raw/.gitkeep']);
      // Kept whole: the original bytes (the same blob) with a reason; in part: some of the original text.
      const kept = fabric.has(`unmanaged/${name}`) ? fabric.text(`unmanaged/${name}`) : undefined;
      expect({ kept: kept !== undefined, reason: fabric.has(`unmanaged/${name}.reason.yaml`) }).toEqual({
        kept: keptWhole || keptInPart,
        reason: keptWhole || keptInPart,
      });
      // kept whole: the same blob; in part: some of the original text
      expect({ whole: fabric.files.get(`unmanaged/${name}`)?.blobId === blobIdOf(bytes), inPart: kept !== undefined && bytes.toString('utf8').includes(kept) }).toEqual({
        whole: keptWhole,
        inPart: keptWhole || keptInPart,
      });
    });

    it('is idempotent: carried out and planned again, the plan is empty', () => {
      const fabric = new FakeFabric().add(rawPath, bytes);
      const report = fabric.apply(fabric.plan());
      expect(report.overwritten).toEqual([]);
      const again = fabric.plan();
      expect(isEmptyPlan(again)).toBe(true);
      expect(again.findings.filter(f => f.severity === 'error')).toEqual([]);
      expect(countBy(again.resources, r => r.kind)).toEqual(expected);
    });
  });

  // (before: sample 05 was kept whole in unmanaged/)
  it('keeps only the Gateway of sample 05 in unmanaged/, as written, and lists it in its reason file', () => {
    const { name, bytes } = readSample(SAMPLES, '05');
    const fabric = new FakeFabric().add(`raw/${name}`, bytes);
    const plan = fabric.plan();
    expect(plan.moves).toEqual([]);
    expect(plan.deletes).toEqual([`raw/${name}`]);
    const kept = plan.writes.find(w => w.path === `unmanaged/${name}`)!.content;
    // the Gateway document's own text: nothing else, byte for byte
    expect(countKindsByRegex(kept)).toEqual({ Gateway: 1 });
    expect(bytes.toString('utf8')).toContain(kept);
    const reasonWrite = plan.writes.find(w => w.path === `unmanaged/${name}.reason.yaml`);
    expect(reasonWrite).toBeDefined();
    const reason = parse(reasonWrite!.content);
    expect(reason.source).toBe(`raw/${name}`);

    // The index of the Gateway document, found independently: split on `---` lines.
    const gatewayIndex = bytes
      .toString('utf8')
      .split(/^---\s*$/m)
      .findIndex(part => /^kind: Gateway$/m.test(part));
    expect(gatewayIndex).toBeGreaterThan(0);
    expect(reason.reasons).toEqual([
      { index: gatewayIndex, rule: 'namespace', message: expect.stringContaining('Gateway gateway-1: namespace "fab" is not allowed') },
    ]);
    expect(reason.keptDocuments).toEqual([gatewayIndex]);
    // Every document's outcome is listed, in file order.
    expect(reason.documents).toHaveLength(20);
    expect(reason.documents.map((d: any) => d.index)).toEqual([...reason.documents.map((d: any) => d.index)].sort((a, b) => a - b));
    expect(reason.documents.filter((d: any) => d.result === 'managed')).toHaveLength(19);
    expect(reason.documents.find((d: any) => d.result === 'unmanaged')).toEqual(
      expect.objectContaining({ index: gatewayIndex, rule: 'namespace' }),
    );
    // The managed documents are created anyway.
    expect(plan.counts.resourcesCreated).toBe(19);
    expect(plan.resources.some(r => r.name === 'gateway-1')).toBe(false);
    expect(plan.findings).toContainEqual(
      expect.objectContaining({ severity: 'warning', rule: 'unmanaged.namespace', file: `raw/${name}`, document: gatewayIndex }),
    );
  });

  it('keeps sample 03 in unmanaged/ with reason no-documents', () => {
    const { name, bytes } = readSample(SAMPLES, '03');
    const fabric = new FakeFabric().add(`raw/${name}`, bytes);
    const plan = fabric.plan();
    expect(plan.moves).toEqual([{ from: `raw/${name}`, to: `unmanaged/${name}` }]);
    expect(plan.resources).toEqual([]);
    const reason = parse(plan.writes.find(w => w.path === `unmanaged/${name}.reason.yaml`)!.content);
    expect(reason.reasons).toEqual([{ rule: 'no-documents', message: expect.any(String) }]);
    expect(plan.counts.unmanagedFiles).toBe(1);
  });

  describe('all samples together in one fabric', () => {
    const samples = readSamples(SAMPLES);

    // (before: the three files in conflict stayed whole in raw/ and only 01 and 02 were ingested)
    it('ingests what does not conflict, leaves the documents in conflict in raw/, and is idempotent', () => {
      const fabric = new FakeFabric('all');
      for (const [name, bytes] of samples) fabric.add(`raw/${name}`, bytes);
      const plan = fabric.plan();

      // 04 and 05 both define the switches leaf-01.. and SwitchGroup empty; 05 and 07 both
      // define VLANNamespace and IPv4Namespace `default` (with other content).
      const conflictFiles = new Set(plan.conflicts.flatMap(c => c.files));
      expect([...conflictFiles].sort()).toEqual(
        ['raw/04-hnp-vlab-prepop.yaml', 'raw/05-docs-sample-wiring-diagram.yaml', 'raw/07-nvidia-air-demo-include.yaml'],
      );
      expect(plan.conflicts.map(c => `${c.kind}/${c.name}`)).toEqual(
        expect.arrayContaining(['Switch/leaf-01', 'SwitchGroup/empty', 'VLANNamespace/default', 'IPv4Namespace/default']),
      );
      for (const file of conflictFiles) {
        expect(plan.findings).toContainEqual(expect.objectContaining({ severity: 'error', rule: 'conflict', file }));
      }
      expect(plan.counts.conflictFiles).toBe(3);
      // Every resource defined twice is held back in both files; every other managed document is ingested.
      expect(plan.counts.conflictDocuments).toBe(2 * plan.conflicts.length);
      const managedDocuments = 8 + 46 + 19 + 166 + 5; // 01, 02, 04, 05 (without the Gateway), 07, 08
      expect(plan.counts.resourcesCreated).toBe(managedDocuments - plan.counts.conflictDocuments);
      expect(plan.resources).toHaveLength(plan.counts.resourcesCreated);
      // Nothing is written for a resource in conflict.
      expect(plan.writes.some(w => w.path === 'managed/switches/leaf-01.yaml')).toBe(false);
      expect(plan.writes.some(w => w.path === 'managed/vlannamespaces/default.yaml')).toBe(false);

      const report = fabric.apply(plan);
      expect(report.overwritten).toEqual([]);
      expect(fabric.paths('raw/')).toEqual([
        'raw/.gitkeep',
        'raw/04-hnp-vlab-prepop.yaml',
        'raw/05-docs-sample-wiring-diagram.yaml',
        'raw/07-nvidia-air-demo-include.yaml',
      ]);
      // each holds only its documents in conflict, as written
      expect(countKindsByRegex(fabric.text('raw/07-nvidia-air-demo-include.yaml'))).toEqual({ VLANNamespace: 1, IPv4Namespace: 1 });
      expect(countKindsByRegex(fabric.text('raw/04-hnp-vlab-prepop.yaml'))).toEqual({ SwitchGroup: 1, Switch: 6, Connection: 8 });
      expect(fabric.paths('unmanaged/')).toEqual([
        'unmanaged/.gitkeep',
        'unmanaged/03-demo-gitops-env1-demo.reset.yaml',
        'unmanaged/03-demo-gitops-env1-demo.reset.yaml.reason.yaml',
        'unmanaged/05-docs-sample-wiring-diagram.yaml',
        'unmanaged/05-docs-sample-wiring-diagram.yaml.reason.yaml',
      ]);

      const again = fabric.plan();
      expect(again.writes).toEqual([]);
      expect(again.moves).toEqual([]);
      expect(again.deletes).toEqual([]);
      expect(again.conflicts.length).toBe(plan.conflicts.length);
      expect(again.resources).toEqual(plan.resources);
    });

    it('ingests everything once the conflicts are resolved, and is then idempotent', () => {
      const fabric = new FakeFabric('all');
      for (const [name, bytes] of samples) fabric.add(`raw/${name}`, bytes);
      const first = fabric.plan();
      fabric.apply(first);
      // The user resolves the conflicts by removing what is left of 05 and 07 in raw/.
      fabric.files.delete('raw/05-docs-sample-wiring-diagram.yaml');
      fabric.files.delete('raw/07-nvidia-air-demo-include.yaml');
      const plan = fabric.plan();
      expect(plan.conflicts).toEqual([]);
      // the documents of 04 that were held back
      expect(plan.counts.resourcesCreated).toBe(15);
      fabric.apply(plan);
      fabric.add('raw/later/07.yaml', samples.get('07-nvidia-air-demo-include.yaml')!);
      const third = fabric.plan();
      // 07 shares no resource with 01, 02 and 04; all but its two namespaces are managed already.
      expect(third.conflicts).toEqual([]);
      expect(third.counts).toEqual(expect.objectContaining({ resourcesCreated: 2, resourcesUnchanged: 164 }));
      fabric.apply(third);
      const fourth = fabric.plan();
      expect(isEmptyPlan(fourth)).toBe(true);
      // 01, 02, 04, 07 and 08, and what of 05 was in no conflict
      const of05 = first.resources.filter(r => r.source?.file === 'raw/05-docs-sample-wiring-diagram.yaml');
      expect(of05.map(r => r.kind)).toEqual(['Connection', 'Connection']);
      expect(fourth.resources).toHaveLength(8 + 46 + 166 + 5 + of05.length);
      expect(fourth.findings.filter(f => f.severity === 'error')).toEqual([]);
      // Every managed file is at its canonical path and every kind folder exists.
      for (const k of HEDGEHOG_KINDS) expect(fabric.has(`managed/${k.plural}/.gitkeep`)).toBe(true);
      expect(fabric.paths('managed/').filter(p => !p.endsWith('.gitkeep'))).toHaveLength(8 + 46 + 166 + 5 + of05.length);
    });

    it('ingests the samples from nested folders with odd names and is idempotent', () => {
      const fabric = new FakeFabric('odd');
      const files: Array<[string, string]> = [
        ['raw/site a/pre demo.yaml', '01'],
        ['raw/über/demo – 2.yml', '02'],
        ['raw/deep/er/still/03.yaml', '03'],
        ['raw/-leading-dash.yaml', '04'],
        ['raw/--/04.YAML', '05'],
        // 05 again in another file: a conflict (as 04 and 05 are).
        ['raw/05 wiring.yaml', '05'],
      ];
      for (const [p, prefix] of files) fabric.add(p, readSample(SAMPLES, prefix).bytes);
      const plan = fabric.plan();
      expect(plan.moves).toEqual([{ from: 'raw/deep/er/still/03.yaml', to: 'unmanaged/deep/er/still/03.yaml' }]);
      expect(plan.deletes.sort()).toEqual(['raw/site a/pre demo.yaml', 'raw/über/demo – 2.yml'].sort());
      expect(new Set(plan.conflicts.flatMap(c => c.files))).toEqual(new Set(['raw/--/04.YAML', 'raw/-leading-dash.yaml', 'raw/05 wiring.yaml']));
      const vpc = parse(plan.writes.find(w => w.path === 'managed/vpcs/demo-vpc-1.yaml')!.content);
      expect(vpc.metadata.annotations[ANNOTATION_SOURCE_FILE]).toBe('raw/site a/pre demo.yaml');
      expect(fabric.apply(plan).overwritten).toEqual([]);
      expect(isEmptyPlan(fabric.plan())).toBe(true);
    });
  });

  it('repairs the layout of an empty fabric once', () => {
    const fabric = new FakeFabric('empty');
    const plan = fabric.plan();
    expect(plan.writes.map(w => w.path).sort()).toEqual(layoutFiles('empty').map(f => f.path).sort());
    expect(plan.counts.layoutRepaired).toBe(19);
    fabric.apply(plan);
    const again = fabric.plan();
    expect(isEmptyPlan(again)).toBe(true);
    expect(again.counts.layoutRepaired).toBe(0);
  });
});
