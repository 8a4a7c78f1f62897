import { sampleDocuments } from './__testUtils__/samples';
import { breakFabric } from './bench/breakFabric';
import { generateFabric } from './bench/generateFabric';
import { runSteps, runStepsSliced, Steps } from './steps';
import { ValidationCache } from './ValidationCache';
import { FabricDocument, validateFabric, validateFabricSliced, validateFabricSteps } from './validateFabric';

/*
 * Validation in slices (what the sync and pull-request validation run on the
 * backend's thread) gives exactly what validateFabric gives, while the event loop
 * turns between the slices.
 */

const SAMPLES = [
  '01-demo-gitops-env1-pre-demo.yaml',
  '02-demo-gitops-env1-demo.yaml',
  '04-hnp-vlab-prepop.yaml',
  '05-docs-sample-wiring-diagram.yaml',
  '07-nvidia-air-demo-include.yaml',
];

/** Every sample together, each file twice under another name: duplicates, reused ports, VLANs and addresses, overlaps. */
function troubledFabric(): FabricDocument[] {
  const docs = SAMPLES.flatMap(file => sampleDocuments(file));
  return [...docs, ...docs.map(d => ({ ...d, file: `copy/${d.file}` })), { file: 'raw/x.yaml', document: 0, object: 'text' }];
}

/** Runs steps with a slice of 0 ms (a turn of the event loop at every step) and counts the turns. */
async function everyStep<T>(steps: Steps<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let ticking = true;
  const tick = () => {
    turns++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { value: await runStepsSliced(steps, 0), turns };
  } finally {
    ticking = false;
  }
}

describe('validation in slices', () => {
  it('gives the same findings, in the same order, as validateFabric on a fabric with findings of every layer', async () => {
    const docs = troubledFabric();
    const full = validateFabric(docs);
    const rules = new Set(full.findings.map(f => f.rule));
    for (const rule of ['fabric.duplicate', 'reference.unverified', 'document.unmanaged']) expect(rules).toContain(rule);
    expect(full.findings.length).toBeGreaterThan(100);

    const { value, turns } = await everyStep(validateFabricSteps(docs));
    expect(value).toEqual(full);
    // the event loop turned between the steps
    expect(turns).toBeGreaterThan(docs.length);
    expect(await validateFabricSliced(docs)).toEqual(full);
  });

  it('gives the same with context, live objects and options as validateFabric', async () => {
    const fabric = breakFabric(generateFabric({ spines: 2, leaves: 6, vpcs: 40 }), { vpcsWithoutVlan: 5, unhydrated: true });
    const docs = fabric.slice(20).map((object, i) => ({ file: `managed/${i}.yaml`, document: 0, object }));
    const options = { context: fabric.slice(0, 20), live: fabric.filter(o => o.kind === 'IPv4Namespace'), offline: undefined };
    const full = validateFabric(docs, options);
    expect(full.findings.length).toBeGreaterThan(0);
    expect((await everyStep(validateFabricSteps(docs, options))).value).toEqual(full);
  });

  it('gives the same through a ValidationCache, cold and warm, with two validations interleaved', async () => {
    const a = troubledFabric();
    const b = SAMPLES.slice(1).flatMap(file => sampleDocuments(file, `managed/${file}`));
    const cache = new ValidationCache();
    const [coldA, coldB] = await Promise.all([cache.validateSliced(a), cache.validateSliced(b)]);
    expect(coldA).toEqual(validateFabric(a));
    expect(coldB).toEqual(validateFabric(b));
    const [warmB, warmA] = await Promise.all([cache.validateSliced(b), cache.validateSliced(a)]);
    expect(warmA).toEqual(coldA);
    expect(warmB).toEqual(coldB);
  });

  it('runs steps to their value, at once or sliced', async () => {
    function* count(n: number): Steps<number> {
      let sum = 0;
      for (let i = 1; i <= n; i++) {
        yield;
        sum += i;
      }
      return sum;
    }
    expect(runSteps(count(100))).toBe(5050);
    const { value, turns } = await everyStep(count(100));
    expect(value).toBe(5050);
    expect(turns).toBeGreaterThanOrEqual(100);
  });
});
