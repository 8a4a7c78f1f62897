/*
 * The catalog entity provider's refresh of a W5k fabric: the real
 * HedgehogEntityProvider with the real HedgehogClient, against the plugin's router
 * on a loopback server (auth stubbed), until its full mutation. Requests are
 * counted at the server; their floor is one paginated list per kind. Beside it, the
 * same refresh against a backend whose lists leave the desired objects out (the
 * provider then asks per resource, as it did before `include=desired`). The time's
 * floor is the SELECT of those rows' desired objects on the same connection.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { HedgehogClient } from '@fabric-gitops/plugin-hedgehog-common';
import { HedgehogEntityProvider } from '../../../plugins/catalog-backend-module-hedgehog/src/provider/HedgehogEntityProvider';
import { Product, benchLogger, startApi } from '../lib/product';
import { Figure } from '../lib/report';
import { log, median, now } from '../lib/util';

const KINDS = ['Switch', 'Server', 'VPC', 'Connection'];
/** The provider's page size (the API's largest). */
const PAGE = 500;

async function refresh(url: string, withoutInclude: boolean) {
  const client = new HedgehogClient({
    discoveryApi: { getBaseUrl: async () => url },
    fetchApi: {
      // a backend from before include=desired: the query parameter is not known there
      fetch: (input: any, init?: any) =>
        fetch(withoutInclude ? String(input).replace(/[?&]include=desired/, '') : input, init),
    },
  });
  let entities = 0;
  const provider = new HedgehogEntityProvider({
    client,
    catalog: catalogServiceMock(),
    auth: mockServices.auth(),
    logger: benchLogger(),
  });
  await provider.connect({
    applyMutation: async m => {
      entities = m.type === 'full' ? m.entities.length : 0;
    },
    refresh: async () => {},
  });
  const t0 = now();
  await provider.refresh();
  return { ms: now() - t0, entities };
}

export async function catalogFigures(product: Product, fabric: string, reps: number): Promise<Figure[]> {
  const server = await startApi(product);
  try {
    const floor = () =>
      product.knex('hedgehog_resources').where({ fabric }).whereIn('kind', KINDS).select('kind', 'name', 'desired');
    const runs: Array<{ ms: number; requests: number; entities: number }> = [];
    const perResource: typeof runs = [];
    const floorMs: number[] = [];
    let pages = 0;
    for (let i = 0; i < reps; i++) {
      for (const [list, without] of [
        [runs, false],
        [perResource, true],
      ] as const) {
        const before = server.requests();
        const r = await refresh(server.url, without);
        list.push({ ...r, requests: server.requests() - before });
      }
      const t0 = now();
      const rows = await floor();
      floorMs.push(now() - t0);
      if (rows.length === 0) throw new Error(`fabric ${fabric} has no resources to emit`);
      pages = 1 + KINDS.reduce((n, k) => n + Math.max(1, Math.ceil(rows.filter(r => r.kind === k).length / PAGE)), 0);
    }
    const med = (xs: typeof runs, k: 'ms' | 'requests') => median(xs.map(x => x[k]));
    if (runs.some(r => r.entities !== runs[0].entities) || perResource.some(r => r.entities !== runs[0].entities)) {
      throw new Error('the refreshes emitted different numbers of entities');
    }
    const details = { entities: runs[0].entities, runs, perResource, floorMs };
    log(
      `catalog refresh: ${runs[0].entities} entities, ${med(runs, 'ms').toFixed(0)} ms / ${med(runs, 'requests')} requests; per resource ${med(perResource, 'ms').toFixed(0)} ms / ${med(perResource, 'requests')} requests; floor ${median(floorMs).toFixed(0)} ms`,
    );
    return [
      {
        id: 'catalog.refresh',
        title: `catalog entity provider, full refresh of W5k (${runs[0].entities} entities, over HTTP)`,
        unit: 'ms',
        product: med(runs, 'ms'),
        floor: median(floorMs),
        floorWhat: 'SELECT of the desired objects of switches, servers, VPCs, connections',
        ratio: med(runs, 'ms') / median(floorMs),
        details,
      },
      {
        id: 'catalog.refresh.requests',
        title: 'catalog entity provider, requests to the hedgehog API per refresh',
        unit: 'count',
        product: med(runs, 'requests'),
        floor: pages,
        floorWhat: `the fabric list + one paginated list per kind (pages of ${PAGE})`,
        ratio: med(runs, 'requests') / pages,
        target: 'no request per resource',
        met: med(runs, 'requests') <= pages,
        details,
      },
      {
        id: 'catalog.refresh.perResource',
        title: `… the same refresh asking per resource (lists without include=desired, as before): ${med(perResource, 'requests')} requests, time`,
        unit: 'ms',
        product: med(perResource, 'ms'),
        floor: median(floorMs),
        floorWhat: 'as above',
        ratio: med(perResource, 'ms') / median(floorMs),
        details,
      },
    ];
  } finally {
    await server.stop();
  }
}
