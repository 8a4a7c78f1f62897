import { NotificationLevel } from '@fabric-gitops/plugin-hedgehog-common';
import { DriftTransition, FabricDriftState, fabricDriftState } from '../drift/fabricDrift';
import { RunOccurrence, fabricNotifications } from './notificationRules';

const fabric = (notifications?: NotificationLevel) => ({
  name: 'lab',
  title: 'Lab',
  source: 'app-config',
  ...(notifications ? { notifications } : {}),
});

const sync = (status: RunOccurrence['status'], previous?: RunOccurrence['previous'], more: Partial<RunOccurrence> = {}): RunOccurrence => ({
  type: 'run',
  runType: 'sync',
  status,
  ...(status === 'succeeded' ? {} : { error: status === 'failed' ? 'fetch: the repository cannot be read' : '2 error(s) found; see the validate stage' }),
  previous,
  ...more,
});

const drift = (before: FabricDriftState, after: FabricDriftState): DriftTransition => ({
  before,
  after,
  counts: { in_sync: 5, drifted: after === 'drifted' ? 2 : 0, missing_in_cluster: after === 'drifted' ? 1 : 0 },
});

const titles = (level: NotificationLevel | undefined, occurrence: Parameters<typeof fabricNotifications>[1]) =>
  fabricNotifications(fabric(level), occurrence).map(n => n.title);

describe('fabricNotifications', () => {
  it('tells of a failed sync with the fabric page, topic, a scope of its own and high severity', () => {
    expect(fabricNotifications(fabric(), sync('failed', { status: 'succeeded' }))).toEqual([
      {
        title: 'Fabric Lab: sync failed',
        description: 'fetch: the repository cannot be read',
        link: '/catalog/default/resource/lab/hedgehog',
        severity: 'high',
        topic: 'hedgehog:lab',
        scope: 'hedgehog:lab:sync',
      },
    ]);
  });

  it('links a fabric of a catalog entity to that entity', () => {
    const [n] = fabricNotifications({ ...fabric(), source: 'resource:network/edge-1' }, sync('failed'));
    expect(n.link).toBe('/catalog/network/resource/edge-1/hedgehog');
  });

  it.each([
    // status, previous sync's status, what is sent (default level: failures)
    ['failed', undefined, ['Fabric Lab: sync failed']],
    ['failed', 'succeeded', ['Fabric Lab: sync failed']],
    ['failed', 'failed', []],
    ['failed', 'partial', ['Fabric Lab: sync failed']],
    ['partial', undefined, ['Fabric Lab: sync ended partial']],
    ['partial', 'succeeded', ['Fabric Lab: sync ended partial']],
    ['partial', 'partial', []],
    ['partial', 'failed', ['Fabric Lab: sync ended partial']],
    ['succeeded', 'failed', []],
    ['succeeded', 'succeeded', []],
    ['succeeded', undefined, []],
  ] as const)('failures: a sync %s after %s sends %j', (status, before, expected) => {
    expect(titles(undefined, sync(status, before ? { status: before } : undefined))).toEqual(expected);
    expect(titles('failures', sync(status, before ? { status: before } : undefined))).toEqual(expected);
  });

  it.each([
    ['succeeded', 'failed', ['Fabric Lab synced again']],
    ['succeeded', 'partial', ['Fabric Lab synced again']],
    ['succeeded', 'succeeded', []],
    ['succeeded', undefined, []],
    ['failed', 'succeeded', ['Fabric Lab: sync failed']],
  ] as const)('all: a sync %s after %s sends %j', (status, before, expected) => {
    expect(titles('all', sync(status, before ? { status: before } : undefined))).toEqual(expected);
  });

  it('takes a sync of an unchanged commit with errors still open for partial: neither a recovery nor a new failure', () => {
    const unchanged = (previous?: RunOccurrence['previous']): RunOccurrence => ({ type: 'run', runType: 'sync', status: 'succeeded', openErrors: 2, previous });
    expect(titles('all', unchanged({ status: 'partial', openErrors: 2 }))).toEqual([]);
    // the partial sync before it was itself an unchanged one
    expect(titles('all', unchanged({ status: 'succeeded', openErrors: 2 }))).toEqual([]);
    // after a failure (the Git server was down) the errors of the last import are still open
    const [n] = fabricNotifications(fabric('all'), unchanged({ status: 'failed', error: 'fetch failed' }));
    expect(n).toMatchObject({ title: 'Fabric Lab: sync ended partial', description: "2 error(s) are open; see the fabric's findings." });
    // a fix: no error open any more
    expect(titles('all', sync('succeeded', { status: 'succeeded', openErrors: 2 }, { openErrors: 0 }))).toEqual(['Fabric Lab synced again']);
    // a new partial sync after an unchanged one that still had the errors: not told again
    expect(titles('all', sync('partial', { status: 'succeeded', openErrors: 2 }, { openErrors: 3 }))).toEqual([]);
  });

  it('tells of a sync that recovered with normal severity, in the scope of the failure it replaces', () => {
    const [n] = fabricNotifications(fabric('all'), sync('succeeded', { status: 'partial' }));
    expect(n).toMatchObject({ severity: 'normal', scope: 'hedgehog:lab:sync', description: 'The sync succeeded after one that ended partial.' });
  });

  it('calls a restore a restore', () => {
    expect(titles('failures', { ...sync('failed'), runType: 'restore' })).toEqual(['Fabric Lab: restore failed']);
  });

  it('says nothing of a failed apply or drift run but a held-back prune (those runs are asked for and watched)', () => {
    expect(titles('all', { ...sync('failed', { status: 'succeeded' }), runType: 'apply' })).toEqual([]);
    expect(titles('all', { ...sync('failed', { status: 'succeeded' }), runType: 'drift' })).toEqual([]);
  });

  it('tells of a held-back prune once until what it holds back changes', () => {
    const held = 'prune held back: VPC (managed/vpcs/a.yaml)';
    const apply = (previous?: RunOccurrence['previous']): RunOccurrence => ({
      type: 'run',
      runType: 'apply',
      status: 'partial',
      error: `${held}; see the apply stage`,
      pruneHeldBack: held,
      previous,
    });
    const [n] = fabricNotifications(fabric(), apply({ status: 'succeeded' }));
    expect(n).toMatchObject({
      title: 'Fabric Lab: prune held back',
      description: `The apply deleted nothing of what Git no longer holds: ${held}.`,
      severity: 'high',
      scope: 'hedgehog:lab:prune',
    });
    expect(titles(undefined, apply())).toEqual(['Fabric Lab: prune held back']);
    expect(titles(undefined, apply({ status: 'partial', error: `${held}; see the apply stage` }))).toEqual([]);
    expect(titles(undefined, apply({ status: 'partial', error: 'prune held back: Switch (managed/switches/s.yaml); see the apply stage' }))).toEqual([
      'Fabric Lab: prune held back',
    ]);
    // a sync that applied and held its prune back: partial, and the prune in a notice of its own
    expect(titles(undefined, { ...apply({ status: 'succeeded' }), runType: 'sync' })).toEqual([
      'Fabric Lab: sync ended partial',
      'Fabric Lab: prune held back',
    ]);
  });

  it.each([
    // before, after, what `all` sends: drift once per episode
    ['in_sync', 'drifted', ['Fabric Lab: drift appeared']],
    ['drifted', 'drifted', []],
    ['drifted', 'in_sync', []],
    ['in_sync', 'in_sync', []],
    // unknown (the cluster could not be read, or nothing was checked yet) is not in sync:
    // a fabric drifted before the cluster went away is not told again when it comes back
    ['unknown', 'drifted', []],
    ['drifted', 'unknown', []],
    ['in_sync', 'unknown', []],
  ] as const)('all: drift %s then %s sends %j', (before, after, expected) => {
    const run: RunOccurrence = { type: 'run', runType: 'drift', status: 'succeeded', drift: drift(before, after) };
    expect(titles('all', run)).toEqual(expected);
    expect(titles('failures', run)).toEqual([]);
  });

  it('tells of drift with the counts, normal severity and a scope of its own, also from a sync', () => {
    const run = sync('succeeded', { status: 'succeeded' }, { drift: drift('in_sync', 'drifted') });
    expect(fabricNotifications(fabric('all'), run)).toEqual([
      expect.objectContaining({
        title: 'Fabric Lab: drift appeared',
        description: 'The cluster differs from Git: 2 drifted, 1 missing in the cluster.',
        severity: 'normal',
        scope: 'hedgehog:lab:drift',
      }),
    ]);
  });

  it('follows a drift episode over checks: told at its start, and again only after it was in sync', () => {
    const states: FabricDriftState[] = ['in_sync', 'drifted', 'drifted', 'unknown', 'drifted', 'in_sync', 'in_sync', 'drifted'];
    const told = states.slice(1).map((after, i) =>
      titles('all', { type: 'run', runType: 'drift', status: 'succeeded', drift: drift(states[i], after) }).length,
    );
    expect(told).toEqual([1, 0, 0, 0, 0, 0, 1]);
  });

  it('tells of a pull request whose validation failed or could not be done, per pull request', () => {
    expect(fabricNotifications(fabric(), { type: 'pull-request', number: 12, title: 'Add VPC', verdict: 'failure', errors: 3 })).toEqual([
      {
        title: 'Fabric Lab: pull request #12 fails validation',
        description: 'Pull request #12 "Add VPC" has 3 validation error(s); merging it would make the sync partial.',
        link: '/catalog/default/resource/lab/hedgehog',
        severity: 'high',
        topic: 'hedgehog:lab',
        scope: 'hedgehog:lab:pr-12',
      },
    ]);
    expect(titles('all', { type: 'pull-request', number: 13, verdict: 'error', errors: 0 })).toEqual([
      'Fabric Lab: pull request #13 could not be validated',
    ]);
  });

  it('sends nothing at level off', () => {
    expect(titles('off', sync('failed', { status: 'succeeded' }, { pruneHeldBack: 'prune held back: x', drift: drift('in_sync', 'drifted') }))).toEqual([]);
    expect(titles('off', { type: 'pull-request', number: 1, verdict: 'failure', errors: 1 })).toEqual([]);
  });

  it('cuts a long error to 500 characters', () => {
    const [n] = fabricNotifications(fabric(), { ...sync('failed'), error: 'x'.repeat(2000) });
    expect(n.description).toHaveLength(500);
    expect(n.description!.endsWith('…')).toBe(true);
  });
});

describe('fabricDriftState', () => {
  it.each([
    [{ in_sync: 3 }, 'in_sync'],
    [{ in_sync: 3, owned_elsewhere: 1 }, 'in_sync'],
    [{ in_sync: 3, drifted: 1 }, 'drifted'],
    [{ in_sync: 3, missing_in_cluster: 1 }, 'drifted'],
    [{ orphaned_in_cluster: 1 }, 'drifted'],
    [{ unknown: 4 }, 'unknown'],
    [{ in_sync: 0, drifted: 0 }, 'unknown'],
    [{}, 'unknown'],
  ] as const)('%j is %s', (counts, state) => {
    expect(fabricDriftState(counts)).toBe(state);
  });
});
