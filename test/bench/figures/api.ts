/*
 * The resources page: `GET /fabrics/:fabric/resources?limit=50`, 200 calls, p50
 * and p95, through HTTP (the real router on a loopback server, auth stubbed) and
 * directly on the store; the floor is the page's SELECT run as raw SQL on the
 * same connection.
 */
import http from 'http';
import { Product, startApi } from '../lib/product';
import { Figure } from '../lib/report';
import { getJson, sample as sampleCalls, stats } from '../lib/http';
import { log } from '../lib/util';

const CALLS = 200;
const WARMUP = 20;

/** The number of items a resources page answers. */
const get = async (agent: http.Agent, url: string): Promise<number> =>
  (await getJson(agent, url)).items.length;

const sample = (fn: (i: number) => Promise<unknown>) => sampleCalls(fn, CALLS, WARMUP);

/** Resource-page figures of one database (the fabric must be synced). */
export async function apiFigures(
  product: Product,
  fabric: string,
  dbLabel: string,
): Promise<Figure[]> {
  const server = await startApi(product);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const total = (
    await product.store.listResources(fabric, { offset: 0, limit: 1 })
  ).totalItems;
  const columns = [
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
  const page = (offset: number) =>
    product
      .knex('hedgehog_resources')
      .where({ fabric })
      .select(...columns)
      .orderBy([{ column: 'kind' }, { column: 'name' }])
      .offset(offset)
      .limit(50)
      .toSQL();
  try {
    const first = page(0);
    const httpFirst = await sample(() =>
      get(agent, `${server.url}/fabrics/${fabric}/resources?limit=50`),
    );
    const storeFirst = await sample(() =>
      product.store.listResources(fabric, { offset: 0, limit: 50 }),
    );
    const sqlFirst = await sample(() =>
      product.knex.raw(first.sql, first.bindings as any[]),
    );
    // deep pages: offsets spread over the whole fabric
    const offset = (i: number) => ((i * 37) % Math.ceil(total / 50)) * 50;
    const httpDeep = await sample(i =>
      get(
        agent,
        `${server.url}/fabrics/${fabric}/resources?limit=50&offset=${offset(
          i,
        )}`,
      ),
    );
    const sqlDeep = await sample(i => {
      const q = page(offset(i));
      return product.knex.raw(q.sql, q.bindings as any[]);
    });
    const h = stats(httpFirst);
    const s = stats(sqlFirst);
    const hd = stats(httpDeep);
    const sd = stats(sqlDeep);
    const details = {
      resources: total,
      http: h,
      store: stats(storeFirst),
      sql: s,
      httpDeep: hd,
      sqlDeep: sd,
    };
    log(`API on ${dbLabel}: ${JSON.stringify(details)}`);
    return [
      {
        id: `api.${dbLabel}.p50`,
        title: `GET /fabrics/:fabric/resources?limit=50 on ${dbLabel} (W5k, ${CALLS} calls over HTTP), p50`,
        unit: 'ms',
        product: h.p50,
        floor: s.p50,
        floorWhat: 'the SELECT of 50 rows',
        ratio: h.p50 / s.p50,
        details,
      },
      {
        id: `api.${dbLabel}.p95`,
        title: `GET /fabrics/:fabric/resources?limit=50 on ${dbLabel}, p95`,
        unit: 'ms',
        product: h.p95,
        floor: s.p95,
        floorWhat: 'the SELECT of 50 rows',
        ratio: h.p95 / s.p95,
        target: '< 50 ms',
        met: h.p95 < 50,
        details,
      },
      {
        id: `api.${dbLabel}.deep.p95`,
        title: `… same with offsets spread over all pages on ${dbLabel}, p95`,
        unit: 'ms',
        product: hd.p95,
        floor: sd.p95,
        floorWhat: 'the SELECT of 50 rows',
        ratio: hd.p95 / sd.p95,
        target: '< 50 ms',
        met: hd.p95 < 50,
        details,
      },
    ];
  } finally {
    agent.destroy();
    await server.stop();
  }
}
