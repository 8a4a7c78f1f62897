/*
 * Reads at 1M rows (group `reads`): PostgreSQL holding 200 fabrics of W5k
 * (1,000,000 resource rows): W5k synced once by the product, then its rows
 * (state, runs, resources, findings, unmanaged files) copied to 199 more fabrics
 * inside PostgreSQL (lib/bulkRows.ts). Through the real router over HTTP: the
 * resources page of one fabric, the fabric list, one resource's detail, the
 * search over all fabrics and the per-fabric name filter; beside each, the same
 * SQL as raw statements on the same connection, and its plan in the JSON.
 */
import http from 'http';
import path from 'path';
import { copyFabricRows } from '../lib/bulkRows';
import { getJson, sample, stats } from '../lib/http';
import { dropPgDatabase, pgReachable, pgShown } from '../lib/pg';
import { Product, createProduct, fabricConfig, startApi } from '../lib/product';
import { Figure } from '../lib/report';
import { copyDir, log, now, wanted } from '../lib/util';
import { BenchContext } from './sync';
import { readQueries } from './readQueries';

export const READ_FABRICS = 200;

/** The figure of one read: the HTTP call's p50/p95 beside the raw SQL's. */
function readFigure(
  id: string,
  title: string,
  h: number[],
  s: number[],
  floorWhat: string,
  target: number | undefined,
  details: Record<string, unknown>,
): Figure {
  const hs = stats(h);
  const ss = stats(s);
  return {
    id,
    title: `${title}, p95 (p50 ${hs.p50.toFixed(1)} ms, ${hs.calls} calls)`,
    unit: 'ms',
    product: hs.p95,
    floor: ss.p95,
    floorWhat,
    ratio: hs.p95 / ss.p95,
    ...(target !== undefined
      ? { target: `< ${target} ms`, met: hs.p95 < target }
      : {}),
    runs: { product: h, floor: s },
    details: { http: hs, sql: ss, ...details },
  };
}

export async function readsFigures(
  ctx: BenchContext,
  notes: string[],
): Promise<Figure[]> {
  if (!(await pgReachable())) {
    notes.push(
      `PostgreSQL at ${pgShown()} is not reachable: the reads figures are skipped`,
    );
    log(notes[notes.length - 1]);
    return [];
  }
  const src = ctx.fabric.name;
  const names = [
    src,
    ...Array.from(
      { length: READ_FABRICS - 1 },
      (_, i) => `r${String(i + 1).padStart(3, '0')}`,
    ),
  ];
  const remote = path.join(ctx.root, 'reads-remote.git');
  await copyDir(ctx.template, remote);
  const prefix = `hhbench_${process.pid}_reads_`;
  let product: Product | undefined;
  try {
    product = await createProduct({
      db: 'postgres',
      dbDir: '',
      pgPrefix: prefix,
      workingDirectory: path.join(ctx.root, 'reads-wd'),
      // every fabric is configured (the list describes each); only the first is synced
      fabrics: names.map(n => fabricConfig(n, `file://${remote}`)),
    });
    await product.sync(src);
    const t0 = now();
    const copied = await copyFabricRows(
      product.knex,
      src,
      names.slice(1),
      20,
      done =>
        log(`reads: rows copied to ${done} of ${names.length - 1} fabrics`),
    );
    const [{ n }] = await product.knex('hedgehog_resources').count({ n: '*' });
    log(
      `reads: ${Number(n)} resource rows in ${
        names.length
      } fabrics (copy + ANALYZE ${((now() - t0) / 1000).toFixed(
        1,
      )} s; ${JSON.stringify(copied)})`,
    );
    return await measureReads(product, names, Number(n));
  } finally {
    await product?.close();
    await dropPgDatabase(`${prefix}hedgehog`);
  }
}

async function measureReads(
  product: Product,
  names: string[],
  rows: number,
): Promise<Figure[]> {
  const server = await startApi(product);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const fabric = names[Math.floor(names.length / 2)];
  const q = await readQueries(product.knex, fabric, names);
  const api = (p: string) => getJson(agent, `${server.url}${p}`);
  const at = `${rows.toLocaleString('en')} rows, ${names.length} fabrics`;
  try {
    const figures: Figure[] = [];
    if (wanted('reads.page')) {
      // the resources page: first page, then offsets spread over the fabric
      const pages = Math.ceil(q.total / 50);
      const offset = (i: number) => ((i * 37) % pages) * 50;
      const h1 = await sample(
        () => api(`/fabrics/${fabric}/resources?limit=50`),
        200,
      );
      const s1 = await sample(() => q.page(0), 200);
      const hd = await sample(
        i => api(`/fabrics/${fabric}/resources?limit=50&offset=${offset(i)}`),
        200,
      );
      const sd = await sample(i => q.page(offset(i)), 200);
      const pagePlan = await q.explain('page', offset(100));
      figures.push(
        readFigure(
          'reads.page',
          `GET /fabrics/:fabric/resources?limit=50 on PostgreSQL (${at})`,
          h1,
          s1,
          'the page SELECT + its count',
          50,
          { fabric, plan: await q.explain('page', 0) },
        ),
        readFigure(
          'reads.page.deep',
          '… same with offsets spread over all pages',
          hd,
          sd,
          'the page SELECT + its count',
          50,
          { plan: pagePlan },
        ),
      );
    }
    if (wanted('reads.fabrics')) {
      // the fabric list (FabricsPage): every fabric described (state, drift counts, failed applies)
      const list = await api('/fabrics');
      if (list.items.length !== names.length)
        throw new Error(
          `GET /fabrics listed ${list.items.length} of ${names.length} fabrics`,
        );
      const listed = list.items.find((f: any) => f.name === fabric);
      const counted = await q.driftOf();
      for (const [status, n] of Object.entries(counted))
        if (listed.drift[status] !== n)
          throw new Error(
            `GET /fabrics: ${fabric} has ${listed.drift[status]} ${status}, counted ${n}`,
          );
      const hl = await sample(() => api('/fabrics'), 40, 5);
      const sl = await sample(() => q.fabricList(), 40, 5);
      const sc = await sample(() => q.fabricCounts(), 5, 1);
      figures.push(
        readFigure(
          'reads.fabrics',
          `GET /fabrics (${at})`,
          hl,
          sl,
          'the SELECT of the fabric rows',
          100,
          {
            // how the list counted before the counts were kept on the fabric rows
            countedPerFabric: { statements: 2 * names.length, ...stats(sc) },
            plans: {
              drift: await q.explain('drift', 0),
              failed: await q.explain('failed', 0),
            },
          },
        ),
      );
    }
    if (wanted('reads.detail')) {
      // one resource's detail, resources spread over the fabric
      const keys = await q.keys(50);
      const hr = await sample(
        i =>
          api(
            `/fabrics/${fabric}/resources/${keys[i % keys.length].kind}/${
              keys[i % keys.length].name
            }`,
          ),
        200,
      );
      const sr = await sample(i => q.detail(keys[i % keys.length]), 200);
      figures.push(
        readFigure(
          'reads.detail',
          'GET /fabrics/:fabric/resources/:kind/:name',
          hr,
          sr,
          'the SELECT of the row',
          undefined,
          { plan: await q.explain('detail', 0) },
        ),
      );
    }
    if (wanted('reads.filter')) {
      // a name: the per-fabric filter and the search over all fabrics
      const hq = await sample(
        () => api(`/fabrics/${fabric}/resources?limit=50&q=${q.searchName}`),
        100,
      );
      const sq = await sample(() => q.filtered(), 100);
      figures.push(
        readFigure(
          'reads.filter',
          `GET /fabrics/:fabric/resources?q=${q.searchName} (name filter of one fabric)`,
          hq,
          sq,
          'the page SELECT + its count',
          50,
          { plan: await q.explain('filtered', 0) },
        ),
      );
    }
    if (wanted('reads.search')) {
      const first = await api(`/search?q=${q.searchName}`);
      // a slow search gets fewer calls (the bench must finish)
      const calls =
        (await q.timeOne(() => api(`/search?q=${q.searchName}`))) > 1000
          ? 5
          : 40;
      const hs = await sample(() => api(`/search?q=${q.searchName}`), calls, 1);
      const ss = await sample(() => q.search(), calls, 1);
      figures.push(
        readFigure(
          'reads.search',
          `GET /search?q=${q.searchName} (all ${names.length} fabrics; ${
            first.totalItems
          } hits${first.truncated ? ', truncated' : ''})`,
          hs,
          ss,
          'the SELECTs of the candidates',
          undefined,
          { plan: await q.explain('search', 0), hits: first.totalItems },
        ),
      );
    }
    for (const f of figures)
      log(
        `reads: ${f.id} ${JSON.stringify({
          http: f.details?.http,
          sql: f.details?.sql,
        })}`,
      );
    return figures;
  } finally {
    agent.destroy();
    await server.stop();
  }
}
