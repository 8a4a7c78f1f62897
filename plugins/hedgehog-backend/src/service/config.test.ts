import { ConfigReader } from '@backstage/config';
import os from 'os';
import path from 'path';
import { readHedgehogOptions } from './config';

const read = (hedgehog: object) => readHedgehogOptions(new ConfigReader({ hedgehog }));
const git = { url: 'https://git.example.com/net/gitops.git' };

describe('readHedgehogOptions', () => {
  it('reads fabrics with defaults', () => {
    const options = read({ fabrics: [{ name: 'dc1', git: { ...git, path: '/fabrics/dc1/' } }] });
    expect(options.fabrics).toEqual([
      expect.objectContaining({
        name: 'dc1',
        title: 'dc1',
        git: { url: git.url, branch: 'main', path: 'fabrics/dc1', writeMode: 'push' },
        apply: 'manual',
        prune: false,
        source: 'app-config',
      }),
    ]);
    expect(options.schedule.frequency).toEqual({ minutes: 5 });
    expect(options.git.maxPushAttempts).toBe(3);
  });

  it.each([
    [{ name: 'DC_1', git }, 'hedgehog.fabrics[0].name: "DC_1" is not a valid fabric name'],
    [{ name: 'dc1', git: { url: 'https://user:secret@git.example.com/x.git' } }, 'must not contain credentials'],
    [{ name: 'dc1', git: { url: '/local/path' } }, 'hedgehog.fabrics[0].git.url: the URL must start with'],
    [{ name: 'dc1', git: { ...git, path: '../outside' } }, 'hedgehog.fabrics[0].git.path: "../outside" must be a relative folder'],
    [{ name: 'dc1', git: { ...git, branch: '--upload-pack=x' } }, 'hedgehog.fabrics[0].git.branch'],
    [{ name: 'dc1', git: { ...git, writeMode: 'force' } }, 'hedgehog.fabrics[0].git.writeMode: "force" is not one of'],
    [{ name: 'dc1', git, pruneLimit: 10 }, 'hedgehog.fabrics[0].pruneLimit: 10 is not a share between 0 and 1'],
    [{ name: 'dc1', git, pruneLimit: -0.1 }, 'hedgehog.fabrics[0].pruneLimit: -0.1 is not a share between 0 and 1'],
    [{ name: 'dc1', git, kinds: 'day3' }, 'hedgehog.fabrics[0].kinds: "day3" is neither a preset (all, day2, wiring) nor a list of managed kinds'],
    [{ name: 'dc1', git, kinds: ['VPC', 'VPCInfo'] }, 'hedgehog.fabrics[0].kinds: "VPCInfo" is not one of the managed kinds'],
    [{ name: 'dc1', git, kinds: [] }, 'hedgehog.fabrics[0].kinds: names no kind'],
    [{ name: 'dc1', git, notifications: 'loud' }, 'hedgehog.fabrics[0].notifications: "loud" is not one of off, failures, all'],
  ])('rejects %j with a clear message', (fabric, message) => {
    expect(() => read({ fabrics: [fabric] })).toThrow(message);
  });

  it('reads the prune limit: 10% unless the plugin or the fabric sets another share', () => {
    expect(read({ fabrics: [{ name: 'dc1', git }] })).toMatchObject({ pruneLimit: 0.1, fabrics: [{ name: 'dc1' }] });
    expect(read({ fabrics: [{ name: 'dc1', git }] }).fabrics[0].pruneLimit).toBeUndefined();
    const options = read({ apply: { pruneLimit: 0.25 }, fabrics: [{ name: 'dc1', git, prune: true, pruneLimit: 0 }] });
    expect(options.pruneLimit).toBe(0.25);
    expect(options.fabrics[0]).toMatchObject({ prune: true, pruneLimit: 0 });
    expect(() => read({ apply: { pruneLimit: 1.5 } })).toThrow('hedgehog.apply.pruneLimit: 1.5 is not a share between 0 and 1');
  });

  it('reads the runs a replica executes at once: 4 unless set, at least 1', () => {
    expect(read({}).maxConcurrentRuns).toBe(4);
    expect(read({ maxConcurrentRuns: 1 }).maxConcurrentRuns).toBe(1);
    expect(() => read({ maxConcurrentRuns: 0 })).toThrow('hedgehog.maxConcurrentRuns: must be an integer of at least 1, not 0');
    expect(() => read({ maxConcurrentRuns: 2.5 })).toThrow('hedgehog.maxConcurrentRuns: must be an integer of at least 1, not 2.5');
  });

  it('reads the kinds a fabric manages: a preset or a list; none when not given (the manifest, the entity or all decide)', () => {
    const options = read({ fabrics: [{ name: 'a', git, kinds: 'day2' }, { name: 'b', git, kinds: ['VPC', 'VPCAttachment'] }, { name: 'c', git }] });
    expect(options.fabrics.map(f => f.kinds)).toEqual(['day2', ['VPC', 'VPCAttachment'], undefined]);
    expect('kinds' in options.fabrics[2]).toBe(false);
  });

  it("reads what a fabric's owner is notified of; none when not given (failures then)", () => {
    const options = read({ fabrics: [{ name: 'a', git, notifications: 'off' }, { name: 'b', git, notifications: 'all' }, { name: 'c', git }] });
    expect(options.fabrics.map(f => f.notifications)).toEqual(['off', 'all', undefined]);
    expect('notifications' in options.fabrics[2]).toBe(false);
  });

  it('rejects a fabric name used twice', () => {
    expect(() => read({ fabrics: [{ name: 'a', git }, { name: 'a', git }] })).toThrow('"a" is used twice');
  });

  it('never puts a secret from the credentials-in-URL error into the message', () => {
    expect(() => read({ fabrics: [{ name: 'dc1', git: { url: 'https://user:hunter2-secret@git.example.com/x.git' } }] })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2-secret') }),
    );
  });

  it('keeps its caches in hedgehog/ of backend.workingDirectory, else in a folder of the temp directory named after the user', () => {
    const options = (config: object) => readHedgehogOptions(new ConfigReader(config));
    expect(options({ backend: { workingDirectory: '/srv/backstage' } }).workingDirectory).toBe('/srv/backstage/hedgehog');
    expect(options({ backend: { workingDirectory: '/srv/backstage' }, hedgehog: { workingDirectory: '/var/cache/hh' } }).workingDirectory).toBe(
      '/var/cache/hh',
    );
    const user = process.getuid?.() ?? os.userInfo().username;
    expect(options({}).workingDirectory).toBe(path.join(os.tmpdir(), `backstage-hedgehog-${user}`));
  });

  it('reads the bounds of the routes that ask GitHub or a cluster, and refuses nonsense', () => {
    expect(read({}).liveReads).toEqual({ cacheMs: 30_000, burst: 20, perMinute: 30 });
    expect(read({ liveReads: { cacheSeconds: 5, burst: 3, perMinute: 6 } }).liveReads).toEqual({ cacheMs: 5_000, burst: 3, perMinute: 6 });
    expect(() => read({ liveReads: { burst: 0 } })).toThrow('hedgehog.liveReads.burst: 0 is not a number of at least 1');
    expect(() => read({ liveReads: { cacheSeconds: -1 } })).toThrow('hedgehog.liveReads.cacheSeconds: -1 is not a number of at least 0');
  });
});
