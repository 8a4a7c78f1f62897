import { validateFabric } from '../validateFabric';
import { breakFabric } from './breakFabric';
import { generateFabric } from './generateFabric';

describe('breakFabric', () => {
  it('gives one finding per fault: VPCs without VLAN, switches and fabric connections not hydrated', () => {
    const fabric = generateFabric({ spines: 2, leaves: 4, vpcs: 10 });
    const broken = breakFabric(fabric, { vpcsWithoutVlan: 7, unhydrated: true });
    const documents = broken.map((object, i) => ({ file: `managed/${i}.yaml`, document: 0, object }));
    const counts: Record<string, number> = {};
    for (const f of validateFabric(documents).findings) counts[`${f.severity} ${f.rule}`] = (counts[`${f.severity} ${f.rule}`] ?? 0) + 1;
    expect(counts).toEqual({
      'error vpc.subnet-vlan': 7,
      // 6 switches, 8 fabric connections of one link
      'warning hydration.switch': 6,
      'warning hydration.link': 8,
    });
    // the generated objects are left as they were
    expect(validateFabric(fabric.map((object, i) => ({ file: `managed/${i}.yaml`, document: 0, object }))).findings).toEqual([]);
  });
});
