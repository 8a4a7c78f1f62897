import { ANNOTATION_SOURCE_FILE, ANNOTATION_SOURCE_INDEX, classifyDocument } from '@fabric-gitops/plugin-hedgehog-common';
import { parse } from 'yaml';
import { FakeFabric, blobIdOf, isEmptyPlan } from './__testUtils__/fakeFabric';
import { layoutFiles } from './layout';
import { canonicalResource, renderResource } from './normalize';
import { parseYamlFile } from './parse';
import { commitMessage } from './commitMessage';
import { IngestPlan, entriesToParse, planIngestion } from './plan';
import { MODE_EXECUTABLE, MODE_FILE, MODE_GITLINK, MODE_SYMLINK, TreeEntry } from './tree';

const vpcYaml = (name: string, vlan = 1001, extra = '') =>
  `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: ${name}
  namespace: default${extra}
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: ${vlan}
`;

const switchYaml = (name: string) =>
  `apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: ${name}
spec:
  role: server-leaf
`;

/** The canonical text of a managed file for a document (what the planner writes). */
function canonicalText(yaml: string, source?: { file: string; document: number }): string {
  const parsed = parseYamlFile(Buffer.from(yaml));
  if (!parsed.ok) throw new Error(parsed.reason);
  const cls = classifyDocument(parsed.documents.find(d => !d.empty)!.value);
  if (cls.type !== 'managed') throw new Error('not managed');
  return renderResource(canonicalResource(cls, source));
}

/** A fabric whose layout is complete, so plans only show what a test is about. */
function fabricWithLayout(name = 'lab'): FakeFabric {
  const fabric = new FakeFabric(name);
  for (const f of layoutFiles(name)) fabric.add(f.path, f.content);
  return fabric;
}

const writePaths = (plan: IngestPlan) => plan.writes.map(w => w.path).sort();
const written = (plan: IngestPlan, p: string) => plan.writes.find(w => w.path === p)?.content;
const reasonOf = (plan: IngestPlan, p: string) => parse(written(plan, `${p}.reason.yaml`) ?? 'null');

/** Carries the plan out, checks nothing was overwritten, and checks that planning again changes nothing. */
function applyAndExpectStable(fabric: FakeFabric, plan: IngestPlan) {
  const report = fabric.apply(plan);
  expect(report.overwritten).toEqual([]);
  const again = fabric.plan();
  expect({ writes: again.writes, moves: again.moves, deletes: again.deletes }).toEqual({ writes: [], moves: [], deletes: [] });
  return again;
}

describe('planIngestion', () => {
  describe('raw files', () => {
    it('ingests a multi-document file and removes it', () => {
      const fabric = fabricWithLayout().add('raw/net.yaml', `${vpcYaml('a')}---\n${vpcYaml('b')}---\n${switchYaml('leaf-1')}`);
      const plan = fabric.plan();
      expect(writePaths(plan)).toEqual(['managed/switches/leaf-1.yaml', 'managed/vpcs/a.yaml', 'managed/vpcs/b.yaml']);
      expect(plan.deletes).toEqual(['raw/net.yaml']);
      expect(plan.moves).toEqual([]);
      expect(plan.counts).toEqual(
        expect.objectContaining({ rawFiles: 1, ingestedFiles: 1, unmanagedFiles: 0, resourcesCreated: 3, conflictFiles: 0 }),
      );
      expect(written(plan, 'managed/vpcs/b.yaml')).toBe(canonicalText(vpcYaml('b'), { file: 'raw/net.yaml', document: 1 }));
      expect(plan.log).toContain('ingested raw/net.yaml: 3 resource(s)');
      expect(plan.resources.map(r => `${r.kind}/${r.name}`)).toEqual(['Switch/leaf-1', 'VPC/a', 'VPC/b']);
      applyAndExpectStable(fabric, plan);
    });

    it('records the document index counting empty documents', () => {
      const fabric = fabricWithLayout().add('raw/a.yaml', `---\n# nothing\n---\n${vpcYaml('a')}`);
      const plan = fabric.plan();
      const vpc = parse(written(plan, 'managed/vpcs/a.yaml')!);
      expect(vpc.metadata.annotations).toEqual({ [ANNOTATION_SOURCE_FILE]: 'raw/a.yaml', [ANNOTATION_SOURCE_INDEX]: '1' });
      expect(plan.resources[0].source).toEqual({ file: 'raw/a.yaml', document: 1 });
    });

    it('ingests a file with a byte order mark and CRLF line endings into the canonical LF form', () => {
      const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(vpcYaml('a').replace(/\n/g, '\r\n'))]);
      const fabric = fabricWithLayout().add('raw/windows.yaml', content);
      const plan = fabric.plan();
      expect(plan.writes).toEqual([
        { path: 'managed/vpcs/a.yaml', content: canonicalText(vpcYaml('a'), { file: 'raw/windows.yaml', document: 0 }) },
      ]);
      expect(plan.writes[0].content).not.toContain('\r');
      applyAndExpectStable(fabric, plan);
    });

    it('accepts .yml and upper-case extensions and executable files', () => {
      const fabric = fabricWithLayout()
        .add('raw/a.yml', vpcYaml('a'))
        .add('raw/b.YAML', vpcYaml('b'))
        .add('raw/c.yaml', vpcYaml('c'), MODE_EXECUTABLE);
      const plan = fabric.plan();
      expect(plan.counts.resourcesCreated).toBe(3);
      expect(plan.deletes.sort()).toEqual(['raw/a.yml', 'raw/b.YAML', 'raw/c.yaml']);
    });

    it('moves a non-YAML file verbatim to unmanaged/ with a reason', () => {
      const fabric = fabricWithLayout().add('raw/notes.txt', 'hello\n').add('raw/img/logo.png', Buffer.from([0x89, 0x50, 0, 1]));
      const plan = fabric.plan();
      expect(plan.moves).toEqual([
        { from: 'raw/img/logo.png', to: 'unmanaged/img/logo.png' },
        { from: 'raw/notes.txt', to: 'unmanaged/notes.txt' },
      ]);
      expect(reasonOf(plan, 'unmanaged/notes.txt')).toEqual({
        source: 'raw/notes.txt',
        reasons: [{ rule: 'not-yaml', message: expect.stringContaining('not a YAML file') }],
      });
      expect(plan.findings).toContainEqual(expect.objectContaining({ severity: 'warning', rule: 'unmanaged.not-yaml', file: 'raw/notes.txt' }));
      expect(plan.counts.unmanagedFiles).toBe(2);
      expect(plan.counts.ingestedFiles).toBe(0);
      const before = fabric.files.get('raw/img/logo.png')!;
      applyAndExpectStable(fabric, plan);
      expect(fabric.files.get('unmanaged/img/logo.png')).toEqual(before);
    });

    it('moves a symbolic link and a submodule to unmanaged/ without following them', () => {
      const fabric = fabricWithLayout()
        .add('raw/link.yaml', '../../etc/passwd', MODE_SYMLINK)
        .add('raw/sub', 'gitlink', MODE_GITLINK);
      const plan = fabric.plan();
      expect(plan.moves).toEqual([
        { from: 'raw/link.yaml', to: 'unmanaged/link.yaml' },
        { from: 'raw/sub', to: 'unmanaged/sub' },
      ]);
      expect(reasonOf(plan, 'unmanaged/link.yaml').reasons).toEqual([
        { rule: 'not-a-file', message: 'raw/link.yaml is a symbolic link (never followed)' },
      ]);
      expect(reasonOf(plan, 'unmanaged/sub').reasons[0].message).toContain('160000');
      expect(entriesToParse(fabric.entries()).map(e => e.path)).not.toContain('raw/link.yaml');
      const symlink = fabric.files.get('raw/link.yaml')!;
      applyAndExpectStable(fabric, plan);
      expect(fabric.files.get('unmanaged/link.yaml')).toEqual({ mode: MODE_SYMLINK, blobId: symlink.blobId });
    });

    it('recognises files archived by the earlier NetBox plugin', () => {
      const fabric = fabricWithLayout().add('raw/prepop.yaml.archived', vpcYaml('a')).add('raw/x.yaml.archived.2', vpcYaml('b'));
      const plan = fabric.plan();
      expect(plan.moves.map(m => m.to)).toEqual(['unmanaged/prepop.yaml.archived', 'unmanaged/x.yaml.archived.2']);
      expect(reasonOf(plan, 'unmanaged/prepop.yaml.archived').reasons[0].rule).toBe('legacy-archive');
      expect(plan.resources).toEqual([]);
    });

    it('moves an unreadable YAML file to unmanaged/ with the reason', () => {
      const fabric = fabricWithLayout()
        .add('raw/bin.yaml', Buffer.from([0x61, 0, 0x62]))
        .add('raw/latin1.yaml', Buffer.from('name: caf\xe9\n', 'latin1'));
      const plan = fabric.plan();
      expect(plan.moves.map(m => m.to)).toEqual(['unmanaged/bin.yaml', 'unmanaged/latin1.yaml']);
      expect(reasonOf(plan, 'unmanaged/bin.yaml').reasons).toEqual([{ rule: 'unreadable', message: expect.stringMatching(/binary/) }]);
      expect(reasonOf(plan, 'unmanaged/latin1.yaml').reasons).toEqual([{ rule: 'unreadable', message: expect.stringMatching(/UTF-8/) }]);
    });

    it('keeps only the documents that cannot be managed in unmanaged/, as their original text, and ingests the others', () => {
      const bad1 = '---\n# a broken one\nkind: [oops\n';
      const bad2 = '---\n- a list\n';
      const content = `${vpcYaml('a')}${bad1}${bad2}---\n${vpcYaml('b')}`;
      const fabric = fabricWithLayout().add('raw/mixed.yaml', content);
      const plan = fabric.plan();
      // (before: the whole file was moved to unmanaged/, its good documents copied into managed/ too)
      expect(plan.moves).toEqual([]);
      expect(plan.deletes).toEqual(['raw/mixed.yaml']);
      expect(writePaths(plan)).toEqual(['managed/vpcs/a.yaml', 'managed/vpcs/b.yaml', 'unmanaged/mixed.yaml', 'unmanaged/mixed.yaml.reason.yaml']);
      // the two bad documents, byte for byte, with the comment among them
      expect(written(plan, 'unmanaged/mixed.yaml')).toBe(`${bad1}${bad2}`);
      const reason = reasonOf(plan, 'unmanaged/mixed.yaml');
      expect(reason.source).toBe('raw/mixed.yaml');
      expect(reason.keptDocuments).toEqual([1, 2]);
      expect(reason.reasons).toEqual([
        // the index counts from 0, the message from 1 (as an editor does)
        { index: 1, rule: 'yaml', message: expect.stringContaining('document 2') },
        { index: 2, rule: 'not-an-object', message: expect.any(String) },
      ]);
      expect(reason.documents.map((d: any) => [d.index, d.result, d.path])).toEqual([
        [0, 'managed', 'managed/vpcs/a.yaml'],
        [1, 'unmanaged', undefined],
        [2, 'unmanaged', undefined],
        [3, 'managed', 'managed/vpcs/b.yaml'],
      ]);
      // Each reason is reported once.
      expect(plan.findings.filter(f => f.rule.startsWith('unmanaged.'))).toHaveLength(2);
      expect(plan.counts).toEqual(
        expect.objectContaining({ ingestedFiles: 1, unmanagedFiles: 1, unmanagedDocuments: 2, resourcesCreated: 2, conflictFiles: 0 }),
      );
      expect(plan.log).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^kept raw\/mixed\.yaml document 2 in unmanaged\/mixed\.yaml: YAML error/),
          expect.stringMatching(/^kept raw\/mixed\.yaml document 3 in unmanaged\/mixed\.yaml: /),
          'ingested raw/mixed.yaml: 2 resource(s); 2 document(s) kept in unmanaged/mixed.yaml',
        ]),
      );
      applyAndExpectStable(fabric, plan);
      expect(fabric.text('managed/vpcs/b.yaml')).toBe(canonicalText(vpcYaml('b'), { file: 'raw/mixed.yaml', document: 3 }));
    });

    it('of 281 documents with one bad one, manages 280 and keeps only the bad one, with its reason; nothing is lost', () => {
      const docs = Array.from({ length: 281 }, (_, i) => `# VPC ${i}\n${vpcYaml(i === 140 ? 'vpc-name-too-long' : `v-${i}`, 1000 + i)}`);
      const content = docs.join('---\n');
      const fabric = fabricWithLayout().add('raw/fabric.yaml', content);
      const plan = fabric.plan();
      expect(plan.counts).toEqual(expect.objectContaining({ resourcesCreated: 280, unmanagedFiles: 1, unmanagedDocuments: 1 }));
      expect(written(plan, 'unmanaged/fabric.yaml')).toBe(`---\n${docs[140]}`);
      expect(reasonOf(plan, 'unmanaged/fabric.yaml').reasons).toEqual([
        { index: 140, rule: expect.stringMatching(/name/), message: expect.stringContaining('vpc-name-too-long') },
      ]);
      expect(plan.findings.filter(f => f.rule.startsWith('unmanaged.'))).toEqual([
        expect.objectContaining({ file: 'raw/fabric.yaml', document: 140 }),
      ]);
      expect(plan.log.filter(l => l.startsWith('kept '))).toEqual([
        expect.stringMatching(/^kept raw\/fabric\.yaml document 141 in unmanaged\/fabric\.yaml: .*vpc-name-too-long/),
      ]);
      // Every document is in the tree: managed (with its comment) or kept as written.
      applyAndExpectStable(fabric, plan);
      expect(fabric.text('unmanaged/fabric.yaml')).toContain(docs[140]);
      const managedHeads = docs.flatMap((_, i) => (i === 140 ? [] : [fabric.text(`managed/vpcs/v-${i}.yaml`).split('\n', 2).join('\n')]));
      expect(managedHeads).toEqual(docs.flatMap((_, i) => (i === 140 ? [] : [`# VPC ${i}\napiVersion: vpc.githedgehog.com/v1beta1`])));
      expect(fabric.has('raw/fabric.yaml')).toBe(false);
    });

    it('carries the comments of a raw document into its managed file', () => {
      const content = `# spine-1: rack 1
---
# leaf-1, the first leaf
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-1 # as on the label
spec:
  # uplinks
  portBreakouts:
    E1/10: 4x25G
    E1/2: 4x25G # to spine-1
  role: server-leaf
# end of leaf-1
`;
      const fabric = fabricWithLayout().add('raw/leaves.yaml', content);
      const plan = fabric.plan();
      const text = written(plan, 'managed/switches/leaf-1.yaml')!;
      expect(text).toMatch(/^# spine-1: rack 1\n# leaf-1, the first leaf\napiVersion: /);
      expect(text).toContain('  name: leaf-1 # as on the label\n');
      expect(text).toContain('  # uplinks\n  portBreakouts:\n    E1/2: 4x25G # to spine-1\n    E1/10: 4x25G\n');
      expect(text).toMatch(/\n# end of leaf-1\n$/);
      // the same resource as without the comments
      // (the comment above `---` starts the document: it is document 0)
      expect(parse(text)).toEqual(parse(canonicalText(content, { file: 'raw/leaves.yaml', document: 0 })));
      applyAndExpectStable(fabric, plan);
    });

    it('puts a `---` between kept documents that no longer follow each other', () => {
      const content = `a: 1\n...\n${vpcYaml('ok')}...\nb: 2\n`;
      const fabric = fabricWithLayout().add('raw/ends.yaml', content);
      const plan = fabric.plan();
      expect(written(plan, 'unmanaged/ends.yaml')).toBe('a: 1\n...\n---\nb: 2\n');
      expect(parseYamlFile(Buffer.from(written(plan, 'unmanaged/ends.yaml')!))).toEqual(
        expect.objectContaining({ documents: [expect.objectContaining({ value: { a: 1 } }), expect.objectContaining({ value: { b: 2 } })] }),
      );
    });

    it.each([
      ['comments only', '# nothing here\n# at all\n'],
      ['an empty file', ''],
      ['only separators', '---\n---\n'],
    ])('keeps a file with %s in unmanaged/ with reason no-documents', (_, content) => {
      const fabric = fabricWithLayout().add('raw/empty.yaml', content);
      const plan = fabric.plan();
      expect(plan.moves).toEqual([{ from: 'raw/empty.yaml', to: 'unmanaged/empty.yaml' }]);
      expect(reasonOf(plan, 'unmanaged/empty.yaml').reasons).toEqual([{ rule: 'no-documents', message: expect.any(String) }]);
    });

    it('does not treat raw/.gitkeep as a raw file, but does nested ones', () => {
      const fabric = fabricWithLayout().add('raw/sub/.gitkeep', '');
      const plan = fabric.plan();
      expect(plan.counts.rawFiles).toBe(1);
      expect(plan.moves).toEqual([{ from: 'raw/sub/.gitkeep', to: 'unmanaged/sub/.gitkeep' }]);
    });

    it('ignores files outside raw/, managed/ and unmanaged/', () => {
      const fabric = fabricWithLayout().add('docs/x.yaml', vpcYaml('x')).add('rawfile.yaml', vpcYaml('y')).add('unmanaged/z.yaml', vpcYaml('z'));
      const plan = fabric.plan();
      expect(isEmptyPlan(plan)).toBe(true);
      expect(plan.resources).toEqual([]);
    });
  });

  describe('conflicts', () => {
    it('holds back only the documents in conflict: they stay in raw/, the others of their files are ingested', () => {
      const aText = `${vpcYaml('dup', 1)}---\n# only in a\n${vpcYaml('only-a')}`;
      const fabric = fabricWithLayout()
        .add('raw/a.yaml', aText)
        .add('raw/b.yaml', vpcYaml('dup', 2))
        .add('raw/c.yaml', vpcYaml('fine'));
      const plan = fabric.plan();
      expect(plan.conflicts).toEqual([
        { kind: 'VPC', name: 'dup', files: ['raw/a.yaml', 'raw/b.yaml'], message: expect.stringContaining('defined 2 times') },
      ]);
      expect(plan.findings.filter(f => f.rule === 'conflict')).toEqual([
        expect.objectContaining({ severity: 'error', file: 'raw/a.yaml', document: 0, path: 'metadata.name' }),
        expect.objectContaining({ severity: 'error', file: 'raw/b.yaml', document: 0, path: 'metadata.name' }),
      ]);
      // (before: nothing of a.yaml was ingested, not even only-a) only-a is ingested, dup stays
      expect(writePaths(plan)).toEqual(['managed/vpcs/fine.yaml', 'managed/vpcs/only-a.yaml', 'raw/a.yaml']);
      expect(written(plan, 'raw/a.yaml')).toBe(vpcYaml('dup', 1));
      expect(plan.deletes).toEqual(['raw/c.yaml']);
      expect(plan.counts).toEqual(expect.objectContaining({ conflictFiles: 2, conflictDocuments: 2, ingestedFiles: 2, resourcesCreated: 2 }));
      expect(plan.log).toEqual(
        expect.arrayContaining([
          'left raw/a.yaml document 1 (VPC dup) in raw/: conflict',
          'ingested raw/a.yaml: 1 resource(s); 1 document(s) in conflict left in raw/a.yaml (it now holds only these)',
          'left raw/b.yaml document 1 (VPC dup) in raw/: conflict',
          'left raw/b.yaml in raw/: conflict',
        ]),
      );
      expect(written(plan, 'managed/vpcs/only-a.yaml')).toMatch(/^# only in a\n/);
      applyAndExpectStable(fabric, plan);
      expect(fabric.text('raw/a.yaml')).toBe(vpcYaml('dup', 1));
      expect(fabric.has('raw/b.yaml')).toBe(true);
    });

    it('ingests the rest of a file once its conflict is resolved', () => {
      const fabric = fabricWithLayout()
        .add('managed/vpcs/a.yaml', canonicalText(vpcYaml('a', 1001)))
        .add('raw/update.yaml', `${vpcYaml('b')}---\n${vpcYaml('a', 2002)}---\nkind: Other\n`);
      const plan = fabric.plan();
      expect(writePaths(plan)).toEqual(['managed/vpcs/b.yaml', 'raw/update.yaml', 'unmanaged/update.yaml', 'unmanaged/update.yaml.reason.yaml']);
      expect(written(plan, 'raw/update.yaml')).toBe(`---\n${vpcYaml('a', 2002)}`);
      expect(written(plan, 'unmanaged/update.yaml')).toBe('---\nkind: Other\n');
      expect(reasonOf(plan, 'unmanaged/update.yaml').documents.map((d: any) => d.result)).toEqual(['managed', 'conflict', 'unmanaged']);
      expect(commitMessage('lab', plan).split('\n')[0]).toBe(
        'hedgehog(lab): ingest 1 raw file(s), 1 new resource(s); keep 1 file(s) (1 document(s)) in unmanaged/; leave 1 document(s) in conflict in raw/',
      );
      applyAndExpectStable(fabric, plan);
      // the user takes the raw value: edits the managed file the same way
      fabric.add('managed/vpcs/a.yaml', canonicalText(vpcYaml('a', 2002)));
      const after = fabric.plan();
      expect(after.conflicts).toEqual([]);
      expect(after.deletes).toEqual(['raw/update.yaml']);
      applyAndExpectStable(fabric, after);
    });

    it('treats the same resource twice in one file as a conflict, even with the same content', () => {
      const fabric = fabricWithLayout().add('raw/a.yaml', `${vpcYaml('dup')}---\n${vpcYaml('dup')}`);
      const plan = fabric.plan();
      expect(plan.conflicts).toEqual([expect.objectContaining({ kind: 'VPC', name: 'dup', files: ['raw/a.yaml'] })]);
      expect(plan.deletes).toEqual([]);
      expect(plan.writes).toEqual([]);
    });

    it('leaves a raw file that differs from the managed file in raw/, and keeps the managed file', () => {
      const fabric = fabricWithLayout().add('managed/vpcs/a.yaml', canonicalText(vpcYaml('a', 1001)));
      fabric.add('raw/update.yaml', vpcYaml('a', 2002));
      const plan = fabric.plan();
      expect(plan.conflicts).toEqual([
        {
          kind: 'VPC',
          name: 'a',
          files: ['raw/update.yaml', 'managed/vpcs/a.yaml'],
          message: expect.stringContaining('differs from managed/vpcs/a.yaml'),
        },
      ]);
      expect(plan.findings).toContainEqual(expect.objectContaining({ severity: 'error', rule: 'conflict', file: 'raw/update.yaml', document: 0 }));
      expect(isEmptyPlan(plan)).toBe(true);
      expect(plan.resources).toEqual([expect.objectContaining({ name: 'a', gitPath: 'managed/vpcs/a.yaml' })]);
      expect((plan.resources[0].object as any).spec.subnets.default.vlan).toBe(1001);
    });

    it('treats a raw file identical to the managed file as no conflict and removes it', () => {
      const fabric = fabricWithLayout().add(
        'managed/vpcs/a.yaml',
        canonicalText(vpcYaml('a'), { file: 'raw/first.yaml', document: 3 }),
      );
      // The same resource, written differently: other key order, no namespace, a status, a legacy annotation.
      fabric.add(
        'raw/again.yaml',
        `kind: VPC
spec:
  subnets:
    default:
      vlan: 1001
      subnet: 10.0.1.0/24
status: {}
metadata:
  annotations:
    hnp.githedgehog.com/synced: "2024-01-01"
  name: a
apiVersion: vpc.githedgehog.com/v1beta1
`,
      );
      const plan = fabric.plan();
      expect(plan.conflicts).toEqual([]);
      expect(plan.deletes).toEqual(['raw/again.yaml']);
      expect(plan.writes).toEqual([]);
      expect(plan.counts).toEqual(expect.objectContaining({ resourcesUnchanged: 1, resourcesCreated: 0, ingestedFiles: 1 }));
      // The managed file keeps its original source.
      expect(plan.resources[0].source).toEqual({ file: 'raw/first.yaml', document: 3 });
      applyAndExpectStable(fabric, plan);
    });

    it('does not overwrite a managed file that is not a valid definition of the resource', () => {
      const fabric = fabricWithLayout().add('managed/vpcs/a.yaml', 'spec: [broken\n').add('raw/a.yaml', vpcYaml('a'));
      const plan = fabric.plan();
      expect(plan.conflicts).toEqual([
        expect.objectContaining({ kind: 'VPC', name: 'a', files: ['raw/a.yaml', 'managed/vpcs/a.yaml'] }),
      ]);
      expect(plan.findings.map(f => f.rule).sort()).toEqual(['conflict', 'managed.yaml']);
      expect(isEmptyPlan(plan)).toBe(true);
    });

    it('does not overwrite a symbolic link at the managed path', () => {
      const fabric = fabricWithLayout().add('managed/vpcs/a.yaml', 'elsewhere.yaml', MODE_SYMLINK).add('raw/a.yaml', vpcYaml('a'));
      const plan = fabric.plan();
      expect(plan.conflicts).toHaveLength(1);
      expect(plan.writes).toEqual([]);
      expect(plan.findings).toContainEqual(expect.objectContaining({ severity: 'warning', rule: 'managed.not-yaml', file: 'managed/vpcs/a.yaml' }));
    });
  });

  describe('managed files', () => {
    it('leaves canonical managed files alone', () => {
      const fabric = fabricWithLayout()
        .add('managed/vpcs/a.yaml', canonicalText(vpcYaml('a')))
        .add('managed/switches/leaf-1.yaml', canonicalText(switchYaml('leaf-1'), { file: 'raw/x.yaml', document: 0 }));
      const plan = fabric.plan();
      expect(isEmptyPlan(plan)).toBe(true);
      expect(plan.findings).toEqual([]);
      expect(plan.resources.map(r => [r.kind, r.name, r.gitPath])).toEqual([
        ['Switch', 'leaf-1', 'managed/switches/leaf-1.yaml'],
        ['VPC', 'a', 'managed/vpcs/a.yaml'],
      ]);
      expect(plan.resources[0].source).toEqual({ file: 'raw/x.yaml', document: 0 });
    });

    // (before: each of these was rewritten in canonical form, a "normalize" commit)
    it.each([
      ['hand-written key order', vpcYaml('a').replace('kind: VPC\n', '').replace('apiVersion:', 'kind: VPC\napiVersion:')],
      ['keys in another order deep down', vpcYaml('a').replace('      subnet: 10.0.1.0/24\n      vlan: 1001\n', '      vlan: 1001\n      subnet: 10.0.1.0/24\n')],
      ['CRLF line endings', canonicalText(vpcYaml('a')).replace(/\n/g, '\r\n')],
      ['a document start marker', `---\n${canonicalText(vpcYaml('a'))}`],
      ['a trailing document separator', `${canonicalText(vpcYaml('a'))}---\n`],
      ['comments and blank lines', `# my VPC\n\n${canonicalText(vpcYaml('a')).replace('spec:\n', 'spec: # what it is\n')}`],
      ['flow style and quotes', '{"apiVersion": "vpc.githedgehog.com/v1beta1", kind: VPC, metadata: {name: a, namespace: "default"}, spec: {subnets: {default: {subnet: 10.0.1.0/24, vlan: 1001}}}}\n'],
      ['port names in text order', `${switchYaml('leaf-1').replace('metadata:', 'metadata:').replace('  name: leaf-1\n', '  name: leaf-1\n  namespace: default\n').replace('spec:\n', 'spec:\n  portBreakouts:\n    E1/1: 4x25G\n    E1/10: 4x25G\n    E1/2: 4x25G\n')}`],
    ])('never rewrites a managed file with %s that means the same resource (no commit)', (_, content) => {
      const target = content.includes('kind: Switch') ? 'managed/switches/leaf-1.yaml' : 'managed/vpcs/a.yaml';
      const fabric = fabricWithLayout().add(target, content);
      const plan = fabric.plan();
      expect(isEmptyPlan(plan)).toBe(true);
      expect(plan.counts.managedRewritten).toBe(0);
      expect(plan.findings).toEqual([]);
      expect(plan.resources).toEqual([expect.objectContaining({ gitPath: target })]);
    });

    it.each([
      ['no namespace', vpcYaml('a').replace('  namespace: default\n', '')],
      ['a status and server-set metadata', `${vpcYaml('a', 1001, '\n  uid: 123\n  resourceVersion: "5"')}status:\n  ok: true\n`],
      ['a legacy annotation', vpcYaml('a', 1001, '\n  annotations:\n    hnp.githedgehog.com/last-sync: "2024-01-01T00:00:00Z"')],
    ])('rewrites a managed file with %s (content normalization changes) in canonical form', (_, content) => {
      const fabric = fabricWithLayout().add('managed/vpcs/a.yaml', content);
      const plan = fabric.plan();
      expect(plan.writes).toEqual([{ path: 'managed/vpcs/a.yaml', content: canonicalText(vpcYaml('a')) }]);
      expect(plan.deletes).toEqual([]);
      expect(plan.counts.managedRewritten).toBe(1);
      expect(plan.log).toContain('normalized managed/vpcs/a.yaml');
      applyAndExpectStable(fabric, plan);
    });

    it('keeps the tracking annotations of a managed file when normalizing it', () => {
      const canonical = canonicalText(vpcYaml('a'), { file: 'raw/src.yaml', document: 2 });
      const fabric = fabricWithLayout().add('managed/vpcs/a.yaml', `${canonical}status: {}\n`);
      const plan = fabric.plan();
      expect(plan.writes).toEqual([{ path: 'managed/vpcs/a.yaml', content: canonical }]);
    });

    it('keeps the comments of a managed file when normalizing it', () => {
      const content = `# my VPC\n${vpcYaml('a').replace('spec:\n', 'spec: # what it is\n')}status:\n  ok: true\n`;
      const fabric = fabricWithLayout().add('managed/vpcs/a.yaml', content);
      const plan = fabric.plan();
      expect(plan.writes).toEqual([
        // (a comment after `spec:` is one above its first field)
        { path: 'managed/vpcs/a.yaml', content: `# my VPC\n${canonicalText(vpcYaml('a')).replace('spec:\n', 'spec:\n  # what it is\n')}` },
      ]);
      applyAndExpectStable(fabric, plan);
    });

    it('moves a managed file that holds its canonical form as it is written', () => {
      const content = `# my VPC\n${vpcYaml('foo').replace('kind: VPC\n', '').replace('apiVersion:', 'kind: VPC\napiVersion:')}`;
      const fabric = fabricWithLayout().add('managed/vpcs/old.yaml', content);
      const plan = fabric.plan();
      expect(plan.writes).toEqual([{ path: 'managed/vpcs/foo.yaml', content }]);
      expect(plan.deletes).toEqual(['managed/vpcs/old.yaml']);
      applyAndExpectStable(fabric, plan);
    });

    it.each([
      ['an HNP-style name', 'managed/vpcs/default-foo.yaml'],
      ['a numbered copy', 'managed/vpcs/foo-1.yaml'],
      ['the wrong kind folder', 'managed/switches/foo.yaml'],
      ['a nested folder', 'managed/vpcs/old/foo.yaml'],
      ['a .yml extension', 'managed/vpcs/foo.yml'],
      ['no kind folder', 'managed/foo.yaml'],
    ])('moves a managed file with %s to its canonical path', (_, from) => {
      const fabric = fabricWithLayout().add(from, vpcYaml('foo'));
      const plan = fabric.plan();
      expect(plan.writes).toEqual([{ path: 'managed/vpcs/foo.yaml', content: canonicalText(vpcYaml('foo')) }]);
      expect(plan.deletes).toEqual([from]);
      expect(plan.log).toContain(`moved ${from} to managed/vpcs/foo.yaml`);
      expect(plan.resources).toEqual([expect.objectContaining({ gitPath: 'managed/vpcs/foo.yaml' })]);
      applyAndExpectStable(fabric, plan);
      expect(fabric.has(from)).toBe(false);
    });

    it('moves two managed files that swap names', () => {
      const fabric = fabricWithLayout().add('managed/vpcs/foo.yaml', vpcYaml('bar', 1)).add('managed/vpcs/bar.yaml', vpcYaml('foo', 2));
      const plan = fabric.plan();
      expect(plan.findings).toEqual([]);
      expect(writePaths(plan)).toEqual(['managed/vpcs/bar.yaml', 'managed/vpcs/foo.yaml']);
      expect(plan.deletes).toEqual([]);
      expect(plan.resources.map(r => [r.name, r.gitPath])).toEqual([
        ['bar', 'managed/vpcs/bar.yaml'],
        ['foo', 'managed/vpcs/foo.yaml'],
      ]);
      applyAndExpectStable(fabric, plan);
      expect(parse(fabric.text('managed/vpcs/foo.yaml')).spec.subnets.default.vlan).toBe(2);
    });

    it('moves a chain of renamed managed files in one plan', () => {
      const fabric = fabricWithLayout().add('managed/vpcs/a.yaml', vpcYaml('foo')).add('managed/vpcs/foo.yaml', vpcYaml('bar'));
      const plan = fabric.plan();
      expect(plan.findings).toEqual([]);
      expect(writePaths(plan)).toEqual(['managed/vpcs/bar.yaml', 'managed/vpcs/foo.yaml']);
      expect(plan.deletes).toEqual(['managed/vpcs/a.yaml']);
      applyAndExpectStable(fabric, plan);
    });

    it('keeps a managed file in place when its canonical path holds another file, and reports it', () => {
      const fabric = fabricWithLayout().add('managed/vpcs/foo.yaml', 'not: [yaml').add('managed/vpcs/x.yaml', vpcYaml('foo'));
      const plan = fabric.plan();
      expect(isEmptyPlan(plan)).toBe(true);
      expect(plan.findings).toContainEqual(
        expect.objectContaining({ severity: 'error', rule: 'managed.path-taken', file: 'managed/vpcs/x.yaml' }),
      );
      // Still part of the desired state, where it is.
      expect(plan.resources).toEqual([expect.objectContaining({ name: 'foo', gitPath: 'managed/vpcs/x.yaml' })]);
    });

    it('reports duplicate managed files as a conflict; the one at the canonical path wins', () => {
      const fabric = fabricWithLayout()
        .add('managed/vpcs/a-copy.yaml', vpcYaml('a', 2))
        .add('managed/vpcs/a.yaml', canonicalText(vpcYaml('a', 1)))
        .add('managed/vpcs/z.yaml', vpcYaml('a', 3));
      const plan = fabric.plan();
      expect(plan.conflicts).toEqual([
        {
          kind: 'VPC',
          name: 'a',
          files: ['managed/vpcs/a.yaml', 'managed/vpcs/a-copy.yaml', 'managed/vpcs/z.yaml'],
          message: expect.stringContaining('only managed/vpcs/a.yaml is used'),
        },
      ]);
      expect(plan.findings.filter(f => f.rule === 'conflict').map(f => f.file)).toEqual(['managed/vpcs/a-copy.yaml', 'managed/vpcs/z.yaml']);
      expect(isEmptyPlan(plan)).toBe(true);
      expect((plan.resources[0].object as any).spec.subnets.default.vlan).toBe(1);
    });

    it('moves the first of duplicate managed files when none is at the canonical path, and then stays stable', () => {
      const fabric = fabricWithLayout().add('managed/vpcs/b.yaml', vpcYaml('a', 2)).add('managed/vpcs/c.yaml', vpcYaml('a', 3));
      const plan = fabric.plan();
      expect(plan.writes).toEqual([{ path: 'managed/vpcs/a.yaml', content: canonicalText(vpcYaml('a', 2)) }]);
      expect(plan.deletes).toEqual(['managed/vpcs/b.yaml']);
      expect(plan.conflicts).toHaveLength(1);
      const again = applyAndExpectStable(fabric, plan);
      expect(again.conflicts).toEqual([expect.objectContaining({ files: ['managed/vpcs/a.yaml', 'managed/vpcs/c.yaml'] })]);
    });

    it.each([
      ['unreadable', Buffer.from([0, 1, 2]), 'managed.unreadable'],
      ['several documents', `${vpcYaml('a')}---\n${vpcYaml('b')}`, 'managed.not-single'],
      ['no document', '# empty\n', 'managed.not-single'],
      ['a YAML error', 'a: b: c\n', 'managed.yaml'],
      ['an unknown kind', vpcYaml('a').replace('kind: VPC', 'kind: VPCInfo'), 'managed.unknown-kind'],
      ['an invalid name', vpcYaml('Not_Valid'), 'managed.invalid-name'],
      ['a list', '- a\n', 'managed.not-an-object'],
      ['a null document', '~\n', 'managed.empty'],
    ])('reports a managed file with %s and leaves it alone', (_, content, rule) => {
      const fabric = fabricWithLayout().add('managed/vpcs/a.yaml', content);
      const plan = fabric.plan();
      expect(plan.findings).toEqual([expect.objectContaining({ severity: 'error', rule, file: 'managed/vpcs/a.yaml' })]);
      expect(isEmptyPlan(plan)).toBe(true);
      expect(plan.resources).toEqual([]);
    });

    it('warns about non-YAML files in managed/ and ignores .gitkeep', () => {
      const fabric = fabricWithLayout().add('managed/vpcs/notes.md', '# notes\n');
      const plan = fabric.plan();
      expect(plan.findings).toEqual([expect.objectContaining({ severity: 'warning', rule: 'managed.not-yaml', file: 'managed/vpcs/notes.md' })]);
      expect(isEmptyPlan(plan)).toBe(true);
    });

    it('lets a raw file define a resource whose managed path was just vacated by a move', () => {
      const fabric = fabricWithLayout().add('managed/vpcs/foo.yaml', vpcYaml('bar')).add('raw/foo.yaml', vpcYaml('foo'));
      const plan = fabric.plan();
      expect(plan.conflicts).toEqual([]);
      expect(writePaths(plan)).toEqual(['managed/vpcs/bar.yaml', 'managed/vpcs/foo.yaml']);
      // The vacated path is written, not deleted.
      expect(plan.deletes).toEqual(['raw/foo.yaml']);
      applyAndExpectStable(fabric, plan);
      expect(parse(fabric.text('managed/vpcs/foo.yaml')).metadata.name).toBe('foo');
    });
  });

  describe('unmanaged/', () => {
    it('gives a moved file a suffix when its target is taken, and overwrites nothing', () => {
      const fabric = fabricWithLayout().add('unmanaged/notes.txt', 'old\n').add('unmanaged/notes.txt.reason.yaml', 'source: raw/notes.txt\n');
      fabric.add('raw/notes.txt', 'new\n');
      const plan = fabric.plan();
      const suffix = blobIdOf(Buffer.from('new\n')).slice(0, 8);
      expect(plan.moves).toEqual([{ from: 'raw/notes.txt', to: `unmanaged/notes~${suffix}.txt` }]);
      expect(writePaths(plan)).toEqual([`unmanaged/notes~${suffix}.txt.reason.yaml`]);
      applyAndExpectStable(fabric, plan);
      expect(fabric.text('unmanaged/notes.txt')).toBe('old\n');
      expect(fabric.text('unmanaged/notes.txt.reason.yaml')).toBe('source: raw/notes.txt\n');
      expect(fabric.text(`unmanaged/notes~${suffix}.txt`)).toBe('new\n');
    });

    it('appends the suffix to names without an extension and to dot files', () => {
      const fabric = fabricWithLayout().add('unmanaged/a.d/README', 'x').add('unmanaged/.env', 'x');
      fabric.add('raw/a.d/README', 'y').add('raw/.env', 'y');
      const suffix = blobIdOf(Buffer.from('y')).slice(0, 8);
      expect(fabric.plan().moves).toEqual([
        { from: 'raw/.env', to: `unmanaged/.env~${suffix}` },
        { from: 'raw/a.d/README', to: `unmanaged/a.d/README~${suffix}` },
      ]);
    });

    it('only removes the raw file when the same bytes are already kept', () => {
      const fabric = fabricWithLayout().add('raw/notes.txt', 'same\n');
      applyAndExpectStable(fabric, fabric.plan());
      fabric.add('raw/notes.txt', 'same\n');
      const plan = fabric.plan();
      expect(plan.moves).toEqual([]);
      expect(plan.deletes).toEqual(['raw/notes.txt']);
      applyAndExpectStable(fabric, plan);
      expect(fabric.paths('unmanaged/')).toEqual(['unmanaged/.gitkeep', 'unmanaged/notes.txt', 'unmanaged/notes.txt.reason.yaml']);
    });

    it('never deletes a raw file because a file of the same name with other bytes exists', () => {
      const suffix = blobIdOf(Buffer.from('mine\n')).slice(0, 8);
      const fabric = fabricWithLayout()
        .add('unmanaged/x.txt', 'first\n')
        .add(`unmanaged/x~${suffix}.txt`, 'a user file that happens to have this name\n');
      fabric.add('raw/x.txt', 'mine\n');
      const plan = fabric.plan();
      expect(plan.deletes).toEqual([]);
      expect(plan.moves).toEqual([{ from: 'raw/x.txt', to: `unmanaged/x~${suffix}-2.txt` }]);
      applyAndExpectStable(fabric, plan);
      expect(fabric.text(`unmanaged/x~${suffix}.txt`)).toBe('a user file that happens to have this name\n');
    });

    it('never keeps a file under a name that reads as a reason file', () => {
      const fabric = fabricWithLayout().add('raw/notes.txt', 'a\n').add('raw/notes.txt.reason.yaml', Buffer.from([0, 0]));
      const plan = fabric.plan();
      const suffix = blobIdOf(Buffer.from([0, 0])).slice(0, 8);
      expect(plan.moves).toEqual([
        { from: 'raw/notes.txt', to: 'unmanaged/notes.txt' },
        { from: 'raw/notes.txt.reason.yaml', to: `unmanaged/notes.txt.reason~${suffix}.yaml` },
      ]);
      expect(writePaths(plan)).toEqual(['unmanaged/notes.txt.reason.yaml', `unmanaged/notes.txt.reason~${suffix}.yaml.reason.yaml`]);
      expect(parse(written(plan, 'unmanaged/notes.txt.reason.yaml')!).source).toBe('raw/notes.txt');
      applyAndExpectStable(fabric, plan);
    });

    it('gives a raw file named like a reason file a name that does not read as one', () => {
      const content = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
      const fabric = fabricWithLayout().add('raw/lonely.reason.yaml', content);
      const plan = fabric.plan();
      const suffix = blobIdOf(Buffer.from(content)).slice(0, 8);
      expect(plan.moves).toEqual([{ from: 'raw/lonely.reason.yaml', to: `unmanaged/lonely.reason~${suffix}.yaml` }]);
      expect(reasonOf(plan, `unmanaged/lonely.reason~${suffix}.yaml`).source).toBe('raw/lonely.reason.yaml');
      applyAndExpectStable(fabric, plan);
    });

    it('keeps a reason file of a mixed YAML file from colliding with a kept file of that name', () => {
      // raw/m.yaml.reason.yaml is unreadable (kept first); raw/m.yaml has a non-managed document (kept later).
      const fabric = fabricWithLayout().add('raw/m.yaml.reason.yaml', Buffer.from([0])).add('raw/m.yaml', `${vpcYaml('a')}---\nkind: Other\napiVersion: v1\n`);
      const plan = fabric.plan();
      const targets = plan.moves.map(m => m.to);
      const writes = plan.writes.map(w => w.path);
      expect(new Set([...targets, ...writes]).size).toBe(targets.length + writes.length);
      expect(targets.some(t => t.endsWith('.reason.yaml'))).toBe(false);
      applyAndExpectStable(fabric, plan);
    });

    it('keeps file names with spaces, unicode and leading dashes as they are', () => {
      const names = ['raw/my notes.txt', 'raw/ünïcödé/日本.txt', 'raw/-rf', 'raw/--/x y.md', 'raw/a"b\'c.txt'];
      const fabric = fabricWithLayout();
      for (const n of names) fabric.add(n, n);
      const plan = fabric.plan();
      expect(plan.moves.map(m => m.to).sort()).toEqual(names.map(n => n.replace(/^raw\//, 'unmanaged/')).sort());
      for (const n of names) expect(reasonOf(plan, n.replace(/^raw\//, 'unmanaged/')).source).toBe(n);
      applyAndExpectStable(fabric, plan);
    });
  });

  describe('layout', () => {
    it('creates only the missing layout files, once', () => {
      const fabric = new FakeFabric('lab').add('README.md', 'my own readme\n').add('managed/vpcs/.gitkeep', '');
      const plan = fabric.plan();
      const expected = layoutFiles('lab')
        .map(f => f.path)
        .filter(p => p !== 'README.md' && p !== 'managed/vpcs/.gitkeep')
        .sort();
      expect(writePaths(plan)).toEqual(expected);
      expect(plan.counts.layoutRepaired).toBe(expected.length);
      expect(plan.log).toContain(`created ${expected.length} missing file(s) of the directory layout`);
      const again = applyAndExpectStable(fabric, plan);
      expect(again.counts.layoutRepaired).toBe(0);
      expect(fabric.text('README.md')).toBe('my own readme\n');
      expect(parse(fabric.text('.gitops/manifest.yaml')).fabric).toBe('lab');
    });

    it('adds each layout file once, also next to resources the plan writes', () => {
      const fabric = new FakeFabric('lab').add('raw/a.yaml', vpcYaml('a'));
      const plan = fabric.plan();
      expect(plan.writes.filter(w => w.path === 'managed/vpcs/.gitkeep')).toHaveLength(1);
      expect(new Set(plan.writes.map(w => w.path)).size).toBe(plan.writes.length);
      applyAndExpectStable(fabric, plan);
    });

    it('recognises the layout of the earlier NetBox plugin', () => {
      const fabric = fabricWithLayout().add('.hnp/manifest.yaml', 'x: 1\n');
      const plan = fabric.plan();
      expect(plan.legacyLayout).toBe(true);
      expect(plan.log[0]).toMatch(/NetBox/);
      expect(fabricWithLayout().plan().legacyLayout).toBe(false);
    });
  });

  describe('purity', () => {
    function busyFabric() {
      return fabricWithLayout()
        .add('raw/a.yaml', `${vpcYaml('a')}---\n${switchYaml('s1')}---\nkind: Other\n`)
        .add('raw/b.txt', 'x')
        .add('raw/c.yaml', vpcYaml('a', 9))
        .add('managed/vpcs/old-name.yaml', vpcYaml('z'))
        .add('managed/switches/s2.yaml', switchYaml('s2'));
    }

    it('gives the same plan for the same input, whatever the order of the entries', () => {
      const fabric = busyFabric();
      const entries = fabric.entries();
      const parsedByBlob = new Map(
        entriesToParse(entries).map(e => [e.blobId, parseYamlFile(fabric.blobs.get(e.blobId)!)] as const),
      );
      const parsed = (e: TreeEntry) => parsedByBlob.get(e.blobId)!;
      const a = planIngestion({ fabricName: 'lab', entries, parsed });
      const b = planIngestion({ fabricName: 'lab', entries: [...entries].reverse(), parsed });
      expect(b).toEqual(a);
      expect(a.conflicts).toHaveLength(1);
    });

    it('does not change its input', () => {
      const fabric = busyFabric();
      const entries = fabric.entries();
      const copy = JSON.parse(JSON.stringify(entries));
      fabric.plan();
      expect(fabric.entries()).toEqual(copy);
    });

    it('asks only for entries that entriesToParse lists', () => {
      const fabric = busyFabric().add('raw/link.yaml', 'x', MODE_SYMLINK).add('unmanaged/u.yaml', 'x');
      expect(() => fabric.plan()).not.toThrow();
      expect(fabric.parseCalls).toBeGreaterThan(0);
      expect(entriesToParse(fabric.entries()).map(e => e.path).sort()).toEqual([
        '.gitops/manifest.yaml', // its scope: the kinds the fabric manages
        'managed/switches/s2.yaml',
        'managed/vpcs/old-name.yaml',
        'raw/a.yaml',
        'raw/c.yaml',
      ]);
    });
  });

  it('ingests, keeps and normalizes in one plan and is then stable', () => {
    const fabric = new FakeFabric('lab')
      .add('raw/net/vpcs.yaml', `${vpcYaml('v1')}---\n${vpcYaml('v2')}`)
      .add('raw/net/gw.yaml', 'apiVersion: gateway.githedgehog.com/v1alpha1\nkind: VPCInfo\nmetadata:\n  name: gw\n  namespace: fab\n')
      .add('raw/readme.md', '# hi\n')
      .add('managed/switches/default-leaf-1.yaml', switchYaml('leaf-1'))
      .add('managed/vpcs/v3.yaml', vpcYaml('v3').replace('  namespace: default\n', ''));
    const plan = fabric.plan();
    expect(plan.counts).toEqual({
      rawFiles: 3,
      ingestedFiles: 2,
      unmanagedFiles: 2,
      unmanagedDocuments: 1,
      conflictFiles: 0,
      conflictDocuments: 0,
      resourcesCreated: 2,
      resourcesUnchanged: 0,
      managedRewritten: 2,
      layoutRepaired: 19,
    });
    expect(plan.resources.map(r => r.gitPath)).toEqual([
      'managed/switches/leaf-1.yaml',
      'managed/vpcs/v1.yaml',
      'managed/vpcs/v2.yaml',
      'managed/vpcs/v3.yaml',
    ]);
    const again = applyAndExpectStable(fabric, plan);
    // the same desired state; only where the moved files came from is gone
    expect(plan.resources.filter(r => r.movedFrom).map(r => r.name)).toEqual(['leaf-1']);
    expect(again.resources).toEqual(plan.resources.map(({ movedFrom: _, ...r }) => r));
    expect(fabric.files.get('unmanaged/net/gw.yaml')!.mode).toBe(MODE_FILE);
  });
});
