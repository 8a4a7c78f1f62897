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
    slots.remember(['x', 'y']);
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
