import { RunSlots } from './RunSlots';

describe('RunSlots', () => {
  it('starts fabrics while slots are free, then the oldest waiting one as each slot frees', () => {
    const slots = new RunSlots(2);
    const started: string[] = [];
    for (const f of ['a', 'b', 'c', 'd'])
      slots.acquire(f, () => started.push(f));
    expect(started).toEqual(['a', 'b']);
    expect(slots.free).toBe(0);
    expect([slots.holds('a'), slots.holds('c')]).toEqual([true, false]);
    slots.release('b');
    expect(started).toEqual(['a', 'b', 'c']);
    expect(slots.holds('c')).toBe(true);
    slots.release('a');
    slots.release('c');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(slots.free).toBe(1);
  });

  it('offers remembered queued fabrics only while a slot is free and none waits', () => {
    const slots = new RunSlots(1);
    slots.remember(['x', 'y'], 0);
    slots.acquire('a', () => {});
    expect(slots.nextKnown()).toBeUndefined();
    slots.acquire('b', () => {});
    slots.release('a');
    // b took the slot that freed
    expect(slots.nextKnown()).toBeUndefined();
    slots.release('b');
    expect(slots.nextKnown()).toBe('x');
    expect(slots.nextKnown()).toBe('y');
    expect(slots.nextKnown()).toBeUndefined();
  });

  it('offers the remembered fabrics from where it is told, each once, and from a random place by default', () => {
    const queue = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7'];
    const offered = (slots: RunSlots) => {
      const out: string[] = [];
      for (let f = slots.nextKnown(); f !== undefined; f = slots.nextKnown()) out.push(f);
      return out;
    };
    const slots = new RunSlots(1);
    slots.remember(queue, 3);
    expect(offered(slots)).toEqual(['f3', 'f4', 'f5', 'f6', 'f7', 'f0', 'f1', 'f2']);
    // Replicas that see the same queue start at different fabrics: of 40 tries, not all at the same one.
    const firsts = new Set<string>();
    for (let i = 0; i < 40; i++) {
      slots.remember(queue);
      const order = offered(slots);
      expect([...order].sort()).toEqual(queue);
      firsts.add(order[0]);
    }
    expect(firsts.size).toBeGreaterThan(1);
    slots.remember([]);
    expect(slots.nextKnown()).toBeUndefined();
  });

  it('starts every waiting fabric on flush (shutdown)', () => {
    const slots = new RunSlots(1);
    const started: string[] = [];
    for (const f of ['a', 'b', 'c']) slots.acquire(f, () => started.push(f));
    slots.flush();
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('refuses a limit below 1 or not an integer', () => {
    expect(() => new RunSlots(0)).toThrow(
      'maxConcurrentRuns must be an integer of at least 1, not 0',
    );
    expect(() => new RunSlots(1.5)).toThrow(TypeError);
  });
});
