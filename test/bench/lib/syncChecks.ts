/* What the sync figures check and read of a run: its success, its commit, its stage times. */
import { RunRecord } from '../../../plugins/hedgehog-backend/src/database/HedgehogStore';
import { Product } from './product';
import { measured, median } from './util';

export const stageMs = (run: RunRecord) =>
  Object.fromEntries(
    run.stages
      .filter(s => s.status !== 'skipped')
      .map(s => [
        s.name,
        Date.parse(s.finishedAt ?? s.startedAt) - Date.parse(s.startedAt),
      ]),
  );

export const stageCounts = (run: RunRecord, name: string) =>
  run.stages.find(s => s.name === name)?.counts ?? {};

/** Median per stage over runs. */
export function medianStages(runs: RunRecord[]) {
  const all = runs.map(stageMs);
  const names = [...new Set(all.flatMap(s => Object.keys(s)))];
  return Object.fromEntries(
    names.map(n => [n, median(all.map(s => s[n] ?? 0))]),
  );
}

/** One sync through the product, checked: it must succeed without findings. */
export async function checkedSync(
  product: Product,
  fabric: string,
  expect: { created?: number; committed: boolean },
) {
  const { ms, cpu, value: run } = await measured(() => product.sync(fabric));
  const ingest = stageCounts(run, 'ingest');
  const validate = stageCounts(run, 'validate');
  const commit = stageCounts(run, 'commit');
  if (run.status !== 'succeeded' || (validate.errors ?? 0) > 0) {
    throw new Error(
      `sync of ${fabric} was ${run.status}: ${run.error ?? ''} ${JSON.stringify(
        run.stages.map(s => [s.name, s.errors]),
      )}`,
    );
  }
  if (
    expect.created !== undefined &&
    ingest.resourcesCreated !== expect.created
  ) {
    throw new Error(
      `sync of ${fabric} created ${ingest.resourcesCreated} resources, expected ${expect.created}`,
    );
  }
  if (Boolean(commit.commits) !== expect.committed) {
    throw new Error(
      `sync of ${fabric}: commits ${commit.commits}, expected ${
        expect.committed ? 1 : 0
      }`,
    );
  }
  return { ms, cpu, run };
}
