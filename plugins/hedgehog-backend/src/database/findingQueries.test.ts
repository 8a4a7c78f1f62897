import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { countFindings, ListedFinding } from '@fabric-gitops/plugin-hedgehog-common';
import { DatabaseHedgehogStore } from './DatabaseHedgehogStore';
import { FINDING_IMPORTS_KEPT } from './findingQueries';
import { StateFinding } from './findingHistory';
import { ImportBatch, ResourceRow, RunRecord } from './HedgehogStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ids = databases.eachSupportedId();
const FABRIC = 'big';

async function setup(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
  return { knex, store: new DatabaseHedgehogStore(knex) };
}

const RULES = ['schema.type', 'vpc.subnet-vlan', 'hydration.switch', 'reference.missing', 'fabric.port-reused'];

/**
 * `n` findings over 300 managed files (each a resource) and one raw file: rules in
 * turn, the hydration ones warnings; the last one a summary standing for 40 more.
 */
function manyFindings(n: number): StateFinding[] {
  const out: StateFinding[] = [];
  for (let i = 0; i < n - 1; i++) {
    const rule = RULES[i % RULES.length];
    const raw = i % 10 === 9;
    const name = `vpc-${i % 300}`;
    out.push({
      severity: rule === 'hydration.switch' ? 'warning' : 'error',
      rule,
      file: raw ? 'raw/broken.yaml' : `managed/vpcs/${name}.yaml`,
      document: raw ? i : 0,
      path: `spec.subnets.s${i}.vlan`,
      message: `finding ${i}`,
      ...(raw ? {} : { resource: { kind: 'VPC', name } }),
    });
  }
  out.push({
    severity: 'error',
    rule: 'schema.type',
    file: 'raw/broken.yaml',
    document: 3,
    path: '',
    message: '40 more findings of rule schema.type in this document were left out',
    leftOut: 40,
  });
  return out;
}

function batch(findings: StateFinding[], resources: ResourceRow[] = []): ImportBatch {
  return { commit: 'c'.repeat(40), resources, unmanaged: [], counts: {}, incomplete: {}, findings };
}

async function listAll(store: DatabaseHedgehogStore, generation: number, limit = 500) {
  const seen: ListedFinding[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = await store.listFindings({ fabric: FABRIC, generation }, {}, offset, limit);
    seen.push(...page.items);
    if (page.items.length < limit) return seen;
  }
}

describe('the findings of imported states', () => {
  it.each(ids)('lists thousands of findings with exact totals, page after page, and counts them by rule and file on %p', async id => {
    const { store } = await setup(id);
    const findings = manyFindings(2500);
    await store.importState(FABRIC, batch(findings));
    const scope = (await store.currentFindings(FABRIC))!;
    expect(scope).toEqual({ fabric: FABRIC, generation: 1 });

    const exact = countFindings(findings);
    // 2,499 findings and a summary standing for 40
    expect(exact.errors + exact.warnings).toBe(2539);
    const first = await store.listFindings(scope, {}, 0, 50);
    expect(first).toMatchObject({ totalItems: 2500, offset: 0, totals: { ...exact, new: 2539 } });
    expect(first.items).toHaveLength(50);
    // errors first, then by place; the first import's findings are all new
    expect(first.items[0]).toMatchObject({ severity: 'error', new: true });

    const all = await listAll(store, scope.generation);
    expect(all).toHaveLength(2500);
    expect(new Set(all.map(f => f.message)).size).toBe(2500);
    expect(all.filter(f => f.resource).length).toBe(findings.filter(f => f.resource).length);
    expect(all.find(f => f.leftOut)).toMatchObject({ leftOut: 40, document: 3, file: 'raw/broken.yaml' });

    const summary = await store.summarizeFindings(scope, {}, 3);
    expect(summary.totals).toEqual({ ...exact, new: 2539 });
    expect(summary.byRule.totalItems).toBe(RULES.length);
    expect(summary.byRule.items).toHaveLength(3);
    // the largest groups first; the summary finding counts for 40 of schema.type
    expect(summary.byRule.items[0]).toEqual({ key: 'schema.type', errors: 500 + 40, warnings: 0, new: 540 });
    expect(summary.byFile.totalItems).toBe(new Set(findings.map(f => f.file)).size);
    expect(summary.byFile.totalItems).toBe(271);
    // every tenth finding (all fabric.port-reused), and the summary
    expect(summary.byFile.items[0]).toMatchObject({ key: 'raw/broken.yaml', errors: 249 + 40, warnings: 0 });
    const everyRule = await store.summarizeFindings(scope, {}, 50);
    const sum = everyRule.byRule.items.reduce((n, g) => n + g.errors + g.warnings, 0);
    expect(sum).toBe(2539);

    // filters, with the totals of what matches
    const warnings = await store.listFindings(scope, { severity: 'warning' }, 0, 10);
    expect(warnings.totals).toEqual({ errors: 0, warnings: exact.warnings, new: exact.warnings });
    expect(warnings.items.every(f => f.rule === 'hydration.switch')).toBe(true);
    const oneFile = await store.listFindings(scope, { file: 'managed/vpcs/vpc-7.yaml', rule: 'fabric.port-reused' }, 0, 100);
    expect(oneFile.totalItems).toBe(findings.filter(f => f.file === 'managed/vpcs/vpc-7.yaml' && f.rule === 'fabric.port-reused').length);
    expect(oneFile.items.every(f => f.resource?.name === 'vpc-7')).toBe(true);

    // the stream of an export holds every finding, in the order of the list
    const streamed: ListedFinding[] = [];
    for await (const page of store.streamFindings(scope, {})) streamed.push(...page);
    expect(streamed).toEqual(all);
  });

  it.each(ids)('marks new only what the last import introduced; a run lists the findings of the state it imported on %p', async id => {
    const { store } = await setup(id);
    const findings = manyFindings(2000);
    await store.importState(FABRIC, batch(findings));
    // the next commit: one error introduced, one fixed, one moved to another document
    const introduced: StateFinding = { severity: 'error', rule: 'vpc.subnet-vlan', file: 'managed/vpcs/vpc-new.yaml', document: 0, path: 'spec.subnets.default.vlan', message: 'the subnet has no VLAN' };
    const next = [...findings.slice(1), introduced];
    const moved = next.findIndex(f => f.file === 'raw/broken.yaml' && !f.leftOut);
    next[moved] = { ...next[moved], document: 999 };
    await store.importState(FABRIC, batch(next));

    const scope = (await store.currentFindings(FABRIC))!;
    expect(scope.generation).toBe(2);
    const fresh = await store.listFindings(scope, { new: true }, 0, 50);
    expect(fresh.items).toEqual([{ ...introduced, new: true, blocksApply: true }]);
    expect(fresh.totals).toEqual({ errors: 1, warnings: 0, new: 1 });
    // the new one comes first in the whole list
    expect((await store.listFindings(scope, {}, 0, 1)).items[0]).toMatchObject({ message: 'the subnet has no VLAN', new: true });
    expect((await store.listFindings(scope, {}, 0, 1)).totals.new).toBe(1);
    expect((await store.listFindings(scope, { new: false }, 0, 1)).totalItems).toBe(1999);

    // the run of the first import still lists what it found
    const run = { fabric: FABRIC, importGeneration: 1 } as RunRecord;
    const earlier = (await store.runFindings(run))!;
    expect(earlier).toEqual({ fabric: FABRIC, generation: 1 });
    const firstState = await listAll(store, 1);
    expect(firstState.map(f => f.message).sort()).toEqual(findings.map(f => f.message).sort());
    expect(await store.runFindings({ fabric: FABRIC } as RunRecord)).toBeUndefined();
  });

  it.each(ids)('keeps the findings of the last imports only on %p', async id => {
    const { knex, store } = await setup(id);
    const one = (g: number): StateFinding => ({ severity: 'error', rule: 'schema.type', file: 'raw/a.yaml', document: 0, path: 'spec', message: `import ${g}` });
    // each import closes the row of the one before; closed rows go every tenth import
    const current = FINDING_IMPORTS_KEPT + 10;
    for (let g = 1; g <= current; g++) await store.importState(FABRIC, batch([one(g)]));
    expect(await store.runFindings({ fabric: FABRIC, importGeneration: current - FINDING_IMPORTS_KEPT - 1 } as RunRecord)).toBeUndefined();
    const oldest = (await store.runFindings({ fabric: FABRIC, importGeneration: current - FINDING_IMPORTS_KEPT } as RunRecord))!;
    expect((await store.listFindings(oldest, {}, 0, 10)).items.map(f => f.message)).toEqual([`import ${current - FINDING_IMPORTS_KEPT}`]);
    expect((await store.listFindings({ fabric: FABRIC, generation: current }, {}, 0, 10)).items.map(f => f.message)).toEqual([`import ${current}`]);
    const [{ n }] = await knex('hedgehog_findings').where({ fabric: FABRIC }).count({ n: '*' });
    expect(Number(n)).toBe(FINDING_IMPORTS_KEPT + 1);
  });

  it.each(ids)('filters resources by their findings: errors, warnings, a rule on %p', async id => {
    const { store } = await setup(id);
    const resource = (name: string, findings: StateFinding[]): ResourceRow => ({
      kind: 'VPC',
      name,
      namespace: 'default',
      gitPath: `managed/vpcs/${name}.yaml`,
      blobId: name.padEnd(40, '0'),
      desired: { kind: 'VPC', metadata: { name } },
      findings,
    });
    const finding = (name: string, rule: string, severity: 'error' | 'warning'): StateFinding => ({
      severity,
      rule,
      file: `managed/vpcs/${name}.yaml`,
      document: 0,
      path: 'spec',
      message: rule,
    });
    await store.importState(FABRIC, batch_(
      resource('clean', []),
      resource('broken', [finding('broken', 'vpc.subnet-vlan', 'error')]),
      resource('warned', [finding('warned', 'hydration.switch', 'warning'), { ...finding('warned', 'schema.type', 'warning'), leftOut: 4 }]),
    ));
    const names = async (filter: object) =>
      (await store.listResources(FABRIC, { offset: 0, limit: 50, ...filter })).items.map(r => `${r.name}:${r.errors}/${r.warnings}`);
    expect(await names({ findings: 'errors' })).toEqual(['broken:1/0']);
    // a summary finding counts the findings it stands for
    expect(await names({ findings: 'warnings' })).toEqual(['warned:0/5']);
    expect(await names({ rule: 'hydration.switch' })).toEqual(['warned:0/5']);
    expect(await names({ rule: 'vpc.subnet-vlan', findings: 'warnings' })).toEqual([]);
    expect(await names({})).toHaveLength(3);
  });

  it.each(ids)('has no current findings before the first import on %p', async id => {
    const { store } = await setup(id);
    expect(await store.currentFindings(FABRIC)).toBeUndefined();
  });
});

/** An import of resources with their findings (the batch gives no findings of its own). */
function batch_(...resources: ResourceRow[]): ImportBatch {
  return { commit: 'c'.repeat(40), resources, unmanaged: [], counts: { VPC: resources.length }, incomplete: {} };
}
