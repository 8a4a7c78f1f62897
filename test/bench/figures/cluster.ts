/*
 * Apply and drift of W5k against a real kube-apiserver (test/cluster, a private
 * instance for the bench). Requests are counted twice: by the product (run
 * counts) and at the API server (apiserver_request_total), the latter being the
 * figure reported.
 */
import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { promises as fs } from 'fs';
import path from 'path';
import { withAppliedLabel } from '../../../plugins/hedgehog-backend/src/cluster/applyPlan';
import { RunRecord } from '../../../plugins/hedgehog-backend/src/database/HedgehogStore';
import {
  KubeClient,
  KubeTarget,
  applyFloor,
  kubeClient,
  listFloor,
  wipeCluster,
} from '../lib/floors';
import {
  Product,
  clusterConfig,
  createProduct,
  fabricConfig,
} from '../lib/product';
import { figure } from '../lib/report';
import { copyDir, log, measured, median } from '../lib/util';
import { stageMs } from '../lib/syncChecks';
import { BenchContext } from './sync';

const GROUPS = new Set(HEDGEHOG_KINDS.map(k => k.group));

/** kube-apiserver and etcd of the bench's cluster, whose CPU time counts for both sides. */
async function clusterPids(): Promise<number[]> {
  const dir =
    process.env.HEDGEHOG_TEST_CLUSTER_DIR ?? '/tmp/fabric-gitops-test-cluster';
  const pids: number[] = [];
  for (const p of ['kube-apiserver', 'etcd']) {
    const pid = Number(
      (
        await fs.readFile(path.join(dir, `${p}.pid`), 'utf8').catch(() => '')
      ).trim(),
    );
    if (pid > 0) pids.push(pid);
  }
  return pids;
}

/** Requests the API server has served for the Hedgehog kinds, by verb. */
export async function serverRequests(
  client: KubeClient,
): Promise<Record<string, number>> {
  const res = await client.request('GET', '/metrics');
  const counts: Record<string, number> = {};
  for (const line of String(res.body).split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const group = /group="([^"]*)"/.exec(line)?.[1];
    const verb = /verb="([^"]*)"/.exec(line)?.[1];
    if (!group || !verb || !GROUPS.has(group)) continue;
    counts[verb] =
      (counts[verb] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return counts;
}

/** Runs fn and returns the requests the server saw meanwhile, by verb. */
async function counted<T>(
  client: KubeClient,
  fn: () => Promise<T>,
): Promise<{ value: T; server: Record<string, number> }> {
  const before = await serverRequests(client);
  const value = await fn();
  const after = await serverRequests(client);
  const server: Record<string, number> = {};
  for (const [verb, n] of Object.entries(after)) {
    const d = n - (before[verb] ?? 0);
    if (d > 0) server[verb] = d;
  }
  return { value, server };
}

const writes = (server: Record<string, number>) =>
  (server.PATCH ?? 0) + (server.APPLY ?? 0);
const lists = (server: Record<string, number>) => server.LIST ?? 0;
const stage = (run: RunRecord, name: string) =>
  run.stages.find(s => s.name === name);

/** Targets of issue 28: the product beside its floor, in wall time (medians). */
const APPLY_TARGET_RATIO = 1.2;
const DRIFT_TARGET_RATIO = 1.3;
/** Pairs of drift runs measured whatever --reps says (see the drift loop). */
const DRIFT_MIN_REPS = 11;

export async function clusterFigures(
  ctx: BenchContext,
  cluster: KubeTarget,
): Promise<Product> {
  const name = ctx.fabric.name;
  const dir = path.join(ctx.root, 'cluster');
  await fs.mkdir(dir, { recursive: true });
  const remote = path.join(dir, 'remote.git');
  await copyDir(ctx.template, remote);
  const product = await createProduct({
    db: 'sqlite',
    dbDir: path.join(dir, 'db'),
    workingDirectory: path.join(dir, 'wd'),
    fabrics: [fabricConfig(name, `file://${remote}`, { cluster: 'bench' })],
    clusters: [clusterConfig(cluster)],
  });
  const concurrency = product.options.applyConcurrency;
  const sync = await product.sync(name);
  if (sync.status !== 'succeeded')
    throw new Error(
      `sync for the cluster figures: ${sync.status} ${sync.error}`,
    );
  const client = kubeClient(cluster);
  const objects = (await product.store.listDesired(name)).map(d =>
    withAppliedLabel(d.object, name),
  );

  // ---- apply to an empty cluster ----
  const pids = await clusterPids();
  const applyCpu: number[] = [];
  const floorCpu: number[] = [];
  const applyMs: number[] = [];
  const applyRunMs: number[] = [];
  const floorMs: number[] = [];
  const applyWrites: number[] = [];
  const applyLists: number[] = [];
  const productCounts: Array<Record<string, number>> = [];
  let floorWrites = 0;
  // Warm the API server up (its per-kind caches and converters): 20 objects of each kind, untimed.
  const warm = HEDGEHOG_KINDS.flatMap(k =>
    objects.filter(o => o.kind === k.kind).slice(0, 20),
  );
  await applyFloor(client, warm, concurrency);
  const floorRun = async () => {
    await wipeCluster(client);
    const f = await counted(client, () =>
      measured(() => applyFloor(client, objects, concurrency), pids),
    );
    if (f.value.value.failed > 0)
      throw new Error(`apply floor: ${f.value.value.failed} requests failed`);
    floorMs.push(f.value.value.ms);
    floorCpu.push(f.value.cpu);
    floorWrites = writes(f.server);
  };
  for (let i = 0; i < ctx.reps; i++) {
    // alternate which side runs first (with an odd number of runs the product runs last)
    if (i % 2 === 0) await floorRun();
    await wipeCluster(client);
    const p = await counted(client, () =>
      measured(() => product.clusterRun(name, 'apply'), pids),
    );
    const run = p.value.value;
    const s = stage(run, 'apply')!;
    if (run.status !== 'succeeded' || s.counts.applied !== objects.length) {
      throw new Error(
        `apply run ${run.status}: ${JSON.stringify(s.counts)} ${
          run.error ?? ''
        }`,
      );
    }
    // the apply stage only (the run goes on with a drift stage); CPU of the whole run, less its drift stage's share
    const apply = stageMs(run).apply;
    applyMs.push(apply);
    applyRunMs.push(p.value.ms);
    applyCpu.push((p.value.cpu * apply) / (apply + (stageMs(run).drift ?? 0)));
    // the run is apply + drift; the drift stage's LISTs are counted apart
    applyWrites.push(writes(p.server));
    applyLists.push(lists(p.server));
    productCounts.push(s.counts);
    if (i % 2 === 1) await floorRun();
    log(
      `apply ${i + 1}/${ctx.reps}: product ${applyMs[i].toFixed(
        0,
      )} ms (run ${p.value.ms.toFixed(0)} ms), floor ${floorMs[i].toFixed(
        0,
      )} ms; server saw ${JSON.stringify(p.server)}`,
    );
  }
  const applyFig = figure({
    id: 'apply.time',
    title: `apply W5k to the API server (concurrency ${concurrency}), time`,
    unit: 'ms',
    productRuns: applyMs,
    floorRuns: floorMs,
    productCpu: applyCpu,
    floorCpu,
    floorWhat: `the same SSA requests by a plain loop, level by level, ${concurrency} in flight`,
    target: `≤ ${APPLY_TARGET_RATIO}× floor`,
    details: { applyRunMs, productCounts },
  });
  applyFig.met = applyFig.product <= APPLY_TARGET_RATIO * applyFig.floor!;
  ctx.figures.push(applyFig);
  ctx.figures.push({
    id: 'apply.requests',
    title: 'apply W5k, write requests sent (seen by the API server)',
    unit: 'count',
    product: median(applyWrites),
    floor: floorWrites,
    floorWhat: '1 per object',
    ratio: median(applyWrites) / floorWrites,
    target: '= 1 per changed object',
    met: applyWrites.every(n => n === objects.length),
    details: { writes: applyWrites, listsOfApplyAndDriftStages: applyLists },
  });

  // ---- re-apply: nothing changed, then 10 objects changed in the cluster ----
  const re = await counted(client, () => product.clusterRun(name, 'apply'));
  const reCounts = stage(re.value, 'apply')!.counts;
  const servers = objects.filter(o => o.kind === 'Server').slice(0, 10);
  for (const o of servers) {
    const k = HEDGEHOG_KINDS.find(x => x.kind === 'Server')!;
    const res = await client.request(
      'PATCH',
      `/apis/${k.group}/${k.version}/namespaces/default/${k.plural}/${o.metadata.name}?fieldManager=bench-editor`,
      JSON.stringify({ spec: { description: 'edited in the cluster' } }),
      'application/merge-patch+json',
    );
    if (res.status !== 200)
      throw new Error(`editing ${o.metadata.name}: ${res.status}`);
  }
  const re10 = await counted(client, () => product.clusterRun(name, 'apply'));
  const re10Counts = stage(re10.value, 'apply')!.counts;
  ctx.figures.push({
    id: 'apply.reapply',
    title: 're-apply W5k, nothing changed: write requests',
    unit: 'count',
    product: writes(re.server),
    target: '0',
    met: writes(re.server) === 0,
    details: { server: re.server, counts: reCounts },
  });
  ctx.figures.push({
    id: 'apply.reapply10',
    title:
      're-apply W5k after 10 objects were edited in the cluster: write requests',
    unit: 'count',
    product: writes(re10.server),
    target: '10',
    met: writes(re10.server) === 10,
    details: { server: re10.server, counts: re10Counts },
  });
  log(
    `re-apply: ${JSON.stringify(re.server)}; after 10 edits: ${JSON.stringify(
      re10.server,
    )}`,
  );

  // ---- drift ----
  const driftMs: number[] = [];
  const driftStageMs: number[] = [];
  const driftLists: number[] = [];
  const driftFloor: number[] = [];
  const driftCpu: number[] = [];
  const driftFloorCpu: number[] = [];
  // a diagnostic beside the floor: the same LISTs without asking for compression
  const plain = kubeClient(cluster, { compressed: false });
  const driftPlainFloor: number[] = [];
  let floorLists = 0;
  /** One run of the drift floor; the LISTs the API server saw. */
  const driftFloorRun = async () => {
    const f = await counted(client, () =>
      measured(() => listFloor(client), pids),
    );
    if (f.value.value.objects !== objects.length)
      throw new Error(
        `the cluster holds ${f.value.value.objects} objects, expected ${objects.length}`,
      );
    driftFloor.push(f.value.value.ms);
    driftFloorCpu.push(f.value.cpu);
    return lists(f.server);
  };
  // At least DRIFT_MIN_REPS alternated pairs: a run of either side takes one of two times on this
  // API server (about 0.5 s or 1.1 s for W5k, whichever side runs), so a few pairs can set a product
  // run of one mode beside a floor run of the other; a drift run costs about a second.
  for (let i = 0; i < Math.max(ctx.reps, DRIFT_MIN_REPS); i++) {
    // alternate which side runs first, as for apply
    if (i % 2 === 0) floorLists = await driftFloorRun();
    const p = await counted(client, () =>
      measured(() => product.clusterRun(name, 'drift'), pids),
    );
    if (i % 2 === 1) floorLists = await driftFloorRun();
    driftPlainFloor.push((await listFloor(plain)).ms);
    const counts = stage(p.value.value, 'drift')!.counts;
    if (counts.in_sync !== objects.length)
      throw new Error(`drift: ${JSON.stringify(counts)}`);
    driftMs.push(p.value.ms);
    driftCpu.push(p.value.cpu);
    driftStageMs.push(stageMs(p.value.value).drift);
    driftLists.push(lists(p.server));
  }
  const driftFig = figure({
    id: 'drift.time',
    title: 'drift W5k (the whole drift run), time',
    unit: 'ms',
    productRuns: driftMs,
    floorRuns: driftFloor,
    productCpu: driftCpu,
    floorCpu: driftFloorCpu,
    floorWhat:
      "the product's paginated LISTs alone (12 kinds in parallel, pages of 500, gzip as the product asks), JSON parsed",
    target: `≤ ${DRIFT_TARGET_RATIO}× floor`,
    details: { driftStageMs, floorWithoutCompressionMs: driftPlainFloor },
  });
  driftFig.met = driftFig.product <= DRIFT_TARGET_RATIO * driftFig.floor!;
  ctx.figures.push(driftFig);
  ctx.figures.push({
    id: 'drift.requests',
    title: 'drift W5k, requests sent (seen by the API server)',
    unit: 'count',
    product: median(driftLists),
    floor: floorLists,
    floorWhat: '12 LISTs + continuation pages',
    ratio: median(driftLists) / floorLists,
    target: '≤ 12 LISTs + continuation pages',
    met: driftLists.every(n => n <= floorLists),
    details: { lists: driftLists },
  });
  log(
    `drift: product ${median(driftMs).toFixed(0)} ms / ${median(
      driftLists,
    )} requests, floor ${median(driftFloor).toFixed(
      0,
    )} ms / ${floorLists} requests`,
  );
  client.close();
  plain.close();
  return product;
}
