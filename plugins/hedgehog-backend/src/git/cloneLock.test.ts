import { withCloneLock } from './cloneLock';

describe('withCloneLock', () => {
  const tick = () => new Promise(r => setTimeout(r, 5));

  it('runs the operations of one clone one after the other, in order, and those of other clones beside them', async () => {
    const events: string[] = [];
    const op = (dir: string, name: string) =>
      withCloneLock(dir, async () => {
        events.push(`${name} start`);
        await tick();
        events.push(`${name} end`);
        return name;
      });
    const results = await Promise.all([op('a', 'a1'), op('a', 'a2'), op('b', 'b1'), op('a', 'a3')]);
    expect(results).toEqual(['a1', 'a2', 'b1', 'a3']);
    const ofA = events.filter(e => e.startsWith('a'));
    expect(ofA).toEqual(['a1 start', 'a1 end', 'a2 start', 'a2 end', 'a3 start', 'a3 end']);
    // b1 did not wait for a's operations
    expect(events.indexOf('b1 start')).toBeLessThan(events.indexOf('a1 end'));
  });

  it('goes on with the next operation after one that failed, and hands the failure to its caller', async () => {
    const failed = withCloneLock('c', async () => {
      await tick();
      throw new Error('git failed');
    });
    const next = withCloneLock('c', async () => 'next');
    await expect(failed).rejects.toThrow('git failed');
    await expect(next).resolves.toBe('next');
  });
});
