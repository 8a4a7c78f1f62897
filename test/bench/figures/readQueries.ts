/*
 * The SQL of the reads the `reads` group times over HTTP, built as the store
 * builds it (database/resourceQueries.ts, searchQueries.ts, DatabaseHedgehogStore)
 * and run as raw statements on the product's connection: the floor beside each
 * HTTP figure, and the statements whose plans (EXPLAIN ANALYZE) the JSON keeps.
 */
import { searchKey } from '@fabric-gitops/plugin-hedgehog-common';
import { Knex } from 'knex';
import { now } from '../lib/util';

const RESOURCES = 'hedgehog_resources';
const COLUMNS = [
  'kind',
  'name',
  'namespace',
  'git_path',
  'apply_status',
  'drift_status',
  'drift_score',
  'error_count',
  'warning_count',
];

type Built = { sql: string; bindings: readonly unknown[] };
const run = (knex: Knex, q: Built) => knex.raw(q.sql, q.bindings as any[]);
const like = (text: string) => `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;

export async function readQueries(
  knex: Knex,
  fabric: string,
  fabrics: string[],
) {
  const listed = (await knex(RESOURCES)
    .where({ fabric })
    .select('kind', 'name')
    .orderBy([{ column: 'kind' }, { column: 'name' }])) as Array<{
    kind: string;
    name: string;
  }>;
  const servers = listed.filter(r => r.kind === 'Server');
  if (servers.length === 0) throw new Error(`fabric ${fabric} has no servers`);
  const searchName = servers[Math.floor(servers.length / 2)].name;

  const base = (nameLike?: string) => {
    const q = knex(RESOURCES).where({ fabric });
    if (nameLike)
      q.andWhereRaw(`lower(name) like ? escape '\\'`, [
        like(nameLike.toLowerCase()),
      ]);
    return q;
  };
  const pageSql = (offset: number, nameLike?: string) =>
    base(nameLike)
      .select(COLUMNS)
      .orderBy([{ column: 'kind' }, { column: 'name' }])
      .offset(offset)
      .limit(50)
      .toSQL();
  const countSql = (nameLike?: string) =>
    base(nameLike).count({ count: '*' }).toSQL();
  const driftSql = (f: string) =>
    knex(RESOURCES)
      .where({ fabric: f })
      .groupBy('drift_status')
      .select('drift_status')
      .count({ count: '*' })
      .toSQL();
  const failedSql = (f: string) =>
    knex(RESOURCES)
      .where({ fabric: f, apply_status: 'failed' })
      .count({ count: '*' })
      .toSQL();
  const detailSql = (k: { kind: string; name: string }) =>
    knex(RESOURCES)
      .where({ fabric, ...k })
      .first()
      .toSQL();
  const key = searchKey(searchName);
  const searchSql = (batch: string[]) =>
    knex(RESOURCES)
      .whereIn('fabric', batch)
      .whereNot('git_path', '')
      .andWhere(w =>
        w
          .whereRaw(`lower(desired) like ? escape '\\'`, [
            like(JSON.stringify(key).slice(1, -1)),
          ])
          .orWhereRaw(`lower(name) like ? escape '\\'`, [
            like(JSON.stringify(key).slice(1, -1)),
          ]),
      )
      .select('fabric', 'kind', 'name', 'git_path', 'desired')
      .orderBy([{ column: 'fabric' }, { column: 'kind' }, { column: 'name' }])
      .limit(2001)
      .toSQL();

  const statements: Record<string, (offset: number) => Built> = {
    page: o => pageSql(o),
    count: () => countSql(),
    filtered: () => pageSql(0, searchName),
    drift: () => driftSql(fabric),
    failed: () => failedSql(fabric),
    detail: () => detailSql(listed[Math.floor(listed.length / 3)]),
    search: () => searchSql(fabrics.slice(0, 200)),
  };

  return {
    total: listed.length,
    searchName,
    /** n resources spread over the fabric. */
    keys: async (n: number) =>
      Array.from(
        { length: n },
        (_, i) => listed[Math.floor((i * listed.length) / n)],
      ),
    page: (offset: number) =>
      Promise.all([run(knex, pageSql(offset)), run(knex, countSql())]),
    filtered: () =>
      Promise.all([
        run(knex, pageSql(0, searchName)),
        run(knex, countSql(searchName)),
      ]),
    detail: (k: { kind: string; name: string }) => run(knex, detailSql(k)),
    /** What GET /fabrics asks when every fabric's counts are kept on its row: the fabric rows. */
    fabricList: () => knex.raw('select * from hedgehog_fabrics'),
    /** What it asked before (and asks for a fabric without kept counts): per fabric its drift counts and failed applies. */
    fabricCounts: () =>
      Promise.all(
        fabrics.map(f =>
          Promise.all([run(knex, driftSql(f)), run(knex, failedSql(f))]),
        ),
      ),
    /** The drift counts of the fabric, counted. */
    driftOf: async () =>
      Object.fromEntries(
        ((await run(knex, driftSql(fabric))) as any).rows.map((r: any) => [
          r.drift_status,
          Number(r.count),
        ]),
      ),
    /** The store's candidate SELECTs, one per batch of 200 fabrics. */
    search: async () => {
      for (let i = 0; i < fabrics.length; i += 200)
        await run(knex, searchSql(fabrics.slice(i, i + 200)));
    },
    timeOne: async (fn: () => Promise<unknown>) => {
      const t0 = now();
      await fn();
      return now() - t0;
    },
    /** EXPLAIN (ANALYZE, BUFFERS) of one statement, as text lines. */
    explain: async (
      which: keyof typeof statements,
      offset: number,
    ): Promise<string[]> => {
      const q = statements[which](offset);
      const res: any = await knex.raw(
        `EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`,
        q.bindings as any[],
      );
      return res.rows.map((r: any) => r['QUERY PLAN']);
    },
  };
}
