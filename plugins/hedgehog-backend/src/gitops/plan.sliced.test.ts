import path from 'path';
import { runStepsSliced } from '../validation/steps';
import { FakeFabric, readSamples } from './__testUtils__/fakeFabric';
import { parseYamlFile } from './parse';
import { PlanInput, entriesToParse, planIngestion, planIngestionSliced, planIngestionSteps } from './plan';

/*
 * Planning in slices (what the sync and pull-request validation run on the
 * backend's thread) gives exactly the plan planIngestion gives, while the event
 * loop turns between the slices.
 */

const SAMPLES = path.resolve(__dirname, '../../../../test/fixtures/samples');

function inputOf(fabric: FakeFabric): PlanInput {
  const entries = fabric.entries();
  const parsed = new Map(entriesToParse(entries).map(e => [e.blobId, parseYamlFile(fabric.bytes(e.path))]));
  return { fabricName: fabric.name, entries, parsed: entry => parsed.get(entry.blobId)! };
}

/** A fabric with managed files (some not canonical, one at a wrong path) and raw files (new, in conflict, unreadable, not YAML). */
function busyFabric(): FakeFabric {
  const fabric = new FakeFabric();
  const samples = [...readSamples(SAMPLES)];
  for (const [name, bytes] of samples.slice(0, 3)) fabric.add(`raw/${name}`, bytes);
  fabric.apply(fabric.plan());
  const managed = fabric.paths('managed/').filter(p => p.endsWith('.yaml'));
  fabric.add(managed[0], `# edited\n${fabric.text(managed[0])}`);
  fabric.add(managed[1].replace(/[^/]+\.yaml$/, 'elsewhere.yaml'), fabric.text(managed[1]));
  for (const [name, bytes] of samples.slice(3)) fabric.add(`raw/${name}`, bytes);
  fabric.add('raw/again.yaml', fabric.bytes(managed[2]));
  fabric.add('raw/broken.yaml', 'a: [\n');
  fabric.add('raw/notes.txt', 'not yaml');
  return fabric;
}

describe('planning in slices', () => {
  it('gives the plan planIngestion gives, turning the event loop between files and documents', async () => {
    const input = inputOf(busyFabric());
    const plan = planIngestion(input);
    expect(plan.writes.length).toBeGreaterThan(50);
    expect(plan.conflicts.length + plan.unmanaged.length + plan.moves.length).toBeGreaterThan(0);

    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const sliced = await runStepsSliced(planIngestionSteps(input), 0).finally(() => {
      ticking = false;
    });
    expect(sliced).toEqual(plan);
    expect(turns).toBeGreaterThan(plan.resources.length);
    expect(await planIngestionSliced(input)).toEqual(plan);
  });

  it('gives each plan as alone when two plans are interleaved', async () => {
    const a = inputOf(busyFabric());
    const b = inputOf(new FakeFabric('other').add('raw/one.yaml', [...readSamples(SAMPLES)][4][1]));
    const [slicedA, slicedB] = await Promise.all([
      runStepsSliced(planIngestionSteps(a), 0),
      runStepsSliced(planIngestionSteps(b), 0),
    ]);
    expect(slicedA).toEqual(planIngestion(a));
    expect(slicedB).toEqual(planIngestion(b));
  });
});
