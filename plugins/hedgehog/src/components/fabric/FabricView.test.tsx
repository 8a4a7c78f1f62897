import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  apiError,
  fabric,
  mockHedgehogApi,
  neverSynced,
  runningSyncRun,
  syncRun,
} from '../../__testUtils__/testUtils';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { FabricView } from './FabricView';

jest.mock('@backstage/plugin-permission-react', () =>
  require('../../__testUtils__/testPermissions').uncachedPermissionReact(),
);

function api(over: Parameters<typeof mockHedgehogApi>[0] = {}) {
  return mockHedgehogApi({
    getFabric: jest.fn(async () => fabric),
    clusterStatus: jest.fn(async () => ({
      cluster: 'lab',
      reachable: true,
      version: 'v1.31.2',
      crds: [],
    })),
    ...over,
  });
}

/** Clicks the Sync button once the fabric has loaded and enabled it. */
async function clickSync() {
  const sync = await screen.findByRole('button', { name: 'Sync' });
  await waitFor(() => expect(sync).toBeEnabled());
  fireEvent.click(sync);
}

describe('FabricView', () => {
  it('shows the status header, counts per kind and drift', async () => {
    const hedgehog = api();
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });

    expect(await screen.findByText('Demo fabric')).toBeInTheDocument();
    expect(screen.getByText('Synced')).toBeInTheDocument();
    expect(screen.getByText('5 minutes ago')).toBeInTheDocument();
    expect(screen.getByText('43387a09070b')).toBeInTheDocument();
    expect(screen.getByText('file:///tmp/demo.git (main)')).toBeInTheDocument();
    expect(
      await screen.findByText('lab reachable (v1.31.2)'),
    ).toBeInTheDocument();
    expect(screen.getByText('30 managed resources')).toBeInTheDocument();

    const kinds = screen.getByTestId('kind-counts');
    expect(
      within(kinds).getByRole('button', { name: 'Connection: 14' }),
    ).toBeInTheDocument();
    expect(
      within(kinds).getByRole('button', { name: 'Switch: 6' }),
    ).toBeInTheDocument();
    expect(
      within(kinds).getByRole('button', { name: 'External: 0' }),
    ).toBeDisabled();
    expect(
      within(screen.getByTestId('drift-drifted')).getByText('2'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Resources (30)' }),
    ).toBeInTheDocument();
    expect(hedgehog.getFabric).toHaveBeenCalledWith('demo');
  });

  it('shows progress while loading', async () => {
    const hedgehog = api({
      getFabric: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend message when the fabric cannot be loaded', async () => {
    const error = await apiError(
      404,
      'NotFoundError',
      'No fabric named "nope"',
    );
    const hedgehog = api({
      getFabric: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithApis(<FabricView fabric="nope" />, { api: hedgehog });
    expect(
      await findApiErrorPanel(
        'No fabric named "nope"',
        'Could not load fabric nope',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/does not know a fabric named nope/),
    ).toBeInTheDocument();
  });

  it('says where the resources of an empty fabric in write mode pull-request wait', async () => {
    const reviewed = {
      ...neverSynced,
      git: { ...neverSynced.git, writeMode: 'pull-request' as const },
    };
    const hedgehog = api({ getFabric: jest.fn(async () => reviewed) });
    await renderWithApis(<FabricView fabric="fresh" />, { api: hedgehog });
    expect(
      await screen.findByText(
        `No managed resources in ${reviewed.git.branch} yet. A sync proposes the ingestion of raw/ as a pull request; its resources show here once it is merged and synced.`,
      ),
    ).toBeInTheDocument();
  });

  it('explains an empty, never synced fabric', async () => {
    const hedgehog = api({ getFabric: jest.fn(async () => neverSynced) });
    await renderWithApis(<FabricView fabric="fresh" />, { api: hedgehog });
    expect(await screen.findByText('Never synced')).toBeInTheDocument();
    expect(screen.getByText('never')).toBeInTheDocument();
    expect(screen.getByText(/No managed resources yet/)).toBeInTheDocument();
    expect(screen.getByText(/No cluster configured/)).toBeInTheDocument();
    expect(screen.getByText('No resources compared yet')).toBeInTheDocument();
    expect(hedgehog.clusterStatus).not.toHaveBeenCalled();
  });

  it('shows the error of the last sync in the header', async () => {
    const hedgehog = api({
      getFabric: jest.fn(async () => ({
        ...fabric,
        status: 'error' as const,
        error: 'git fetch failed: repository not found',
      })),
    });
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    expect(
      await screen.findByText(
        'Error: Last sync: git fetch failed: repository not found',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Sync failed')).toBeInTheDocument();
  });

  it('shows an unreachable cluster with its error', async () => {
    const hedgehog = api({
      clusterStatus: jest.fn(async () => ({
        cluster: 'lab',
        reachable: false,
        crds: [],
        error: 'connect ECONNREFUSED 127.0.0.1:6443',
      })),
    });
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    expect(
      await screen.findByText(
        'lab unreachable: connect ECONNREFUSED 127.0.0.1:6443',
      ),
    ).toBeInTheDocument();
  });

  it('syncs, shows the run stage by stage and its outcome, then refreshes', async () => {
    let finished = false;
    const hedgehog = api({
      sync: jest.fn(async () => ({ runId: syncRun().id })),
      getRun: jest.fn(async () => (finished ? syncRun() : runningSyncRun())),
    });
    await renderWithApis(<FabricView fabric="demo" pollIntervalMs={5} />, {
      api: hedgehog,
    });
    await clickSync();

    // progress: the plan stage runs, later stages are pending
    expect(await screen.findByText('Sync running')).toBeInTheDocument();
    const progress = screen.getByTestId('run-progress');
    expect(within(progress).getByText('fetch')).toBeInTheDocument();
    const planRow = within(progress).getByText('plan').closest('tr')!;
    expect(within(planRow).getByText('Running')).toBeInTheDocument();
    expect(within(progress).getAllByText('Pending')).toHaveLength(4);
    expect(screen.getByRole('button', { name: 'Sync' })).toBeDisabled();
    finished = true;

    // outcome
    expect(await screen.findByTestId('run-outcome')).toHaveTextContent(
      'Sync succeeded in 1.2 s. Commit 2a9770202980 → 43387a09070b.',
    );
    expect(
      within(screen.getByTestId('run-progress')).getByText('import'),
    ).toBeInTheDocument();
    expect(hedgehog.sync).toHaveBeenCalledWith('demo');
    expect(hedgehog.getRun).toHaveBeenCalledWith(syncRun().id);
    await waitFor(() => expect(hedgehog.getFabric).toHaveBeenCalledTimes(2));
    expect(screen.getByRole('button', { name: 'Sync' })).toBeEnabled();
  });

  it('shows a failed run with its error', async () => {
    const failed = syncRun({
      status: 'failed',
      error: 'push rejected: non-fast-forward',
      stages: [
        {
          name: 'fetch',
          status: 'failed',
          startedAt: syncRun().startedAt!,
          finishedAt: syncRun().finishedAt,
          counts: {},
          errors: [{ message: 'repository not found' }],
        },
      ],
    });
    const hedgehog = api({
      sync: jest.fn(async () => ({ runId: failed.id })),
      getRun: jest.fn(async () => failed),
    });
    await renderWithApis(<FabricView fabric="demo" pollIntervalMs={5} />, {
      api: hedgehog,
    });
    await clickSync();
    expect(
      await screen.findByText('Error: Sync failed after 1.2 s'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('push rejected: non-fast-forward'),
    ).toBeInTheDocument();
    expect(screen.getByText('repository not found')).toBeInTheDocument();
  });

  it('shows the backend message when a run cannot be started', async () => {
    const error = await apiError(
      409,
      'ConflictError',
      'A sync of demo is already queued',
    );
    const hedgehog = api({ sync: jest.fn(async () => Promise.reject(error)) });
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    await clickSync();
    expect(
      await findApiErrorPanel('A sync of demo is already queued'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The run could not be started'),
    ).toBeInTheDocument();
  });

  it('keeps reading a run through a failure and says when it stops following it', async () => {
    const unavailable = await apiError(
      503,
      'ServiceUnavailableError',
      'the hedgehog backend is restarting',
    );
    const hedgehog = api({
      sync: jest.fn(async () => ({ runId: syncRun().id })),
      getRun: jest.fn(async () => Promise.reject(unavailable)),
    });
    await renderWithApis(<FabricView fabric="demo" pollIntervalMs={5} />, {
      api: hedgehog,
    });
    await clickSync();
    expect(
      await screen.findByText(
        /Could not read the run's state \(1 of 5 attempts\)/,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Warning: Stopped following the run'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /the hedgehog backend is restarting\)\. The run itself may still be going on/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Run state unknown')).toBeInTheDocument();
    expect(hedgehog.getRun).toHaveBeenCalledTimes(5);
    expect(screen.getByRole('button', { name: 'Dismiss' })).toBeInTheDocument();
  });

  it('applies with a dry run after confirmation', async () => {
    const run = syncRun({ type: 'apply', stages: [] });
    const hedgehog = api({
      apply: jest.fn(async () => ({ runId: run.id })),
      getRun: jest.fn(async () => run),
    });
    await renderWithApis(<FabricView fabric="demo" pollIntervalMs={5} />, {
      api: hedgehog,
    });
    const apply = await screen.findByRole('button', { name: 'Apply' });
    await waitFor(() => expect(apply).toBeEnabled());
    fireEvent.click(apply);
    expect(
      await screen.findByText('Apply Demo fabric to cluster lab?'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText(/Dry run/));
    fireEvent.click(screen.getByRole('button', { name: 'Dry run' }));
    expect(
      await screen.findByText('Apply succeeded in 1.2 s.', { exact: false }),
    ).toBeInTheDocument();
    expect(hedgehog.apply).toHaveBeenCalledWith('demo', { dryRun: true });
  });

  it('checks drift', async () => {
    const run = syncRun({ type: 'drift', stages: [] });
    const hedgehog = api({
      checkDrift: jest.fn(async () => ({ runId: run.id })),
      getRun: jest.fn(async () => run),
    });
    await renderWithApis(<FabricView fabric="demo" pollIntervalMs={5} />, {
      api: hedgehog,
    });
    const drift = await screen.findByRole('button', { name: 'Check drift' });
    await waitFor(() => expect(drift).toBeEnabled());
    fireEvent.click(drift);
    expect(await screen.findByTestId('run-outcome')).toHaveTextContent(
      'Drift check succeeded',
    );
    expect(hedgehog.checkDrift).toHaveBeenCalledWith('demo');
  });

  it('follows a run that is already active when the page opens', async () => {
    const hedgehog = api({
      listRuns: jest.fn(async () => ({
        items: [runningSyncRun()],
        totalItems: 1,
      })),
      getRun: jest.fn(async () => runningSyncRun()),
    });
    await renderWithApis(<FabricView fabric="demo" pollIntervalMs={1000} />, {
      api: hedgehog,
    });
    expect(await screen.findByText('Sync running')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sync' })).toBeDisabled();
  });

  it('disables the actions without permission and says why', async () => {
    const hedgehog = api();
    await renderWithApis(<FabricView fabric="demo" />, {
      api: hedgehog,
      deny: ['hedgehog.fabric.sync', 'hedgehog.fabric.apply'],
    });
    expect(
      await screen.findByText(
        'You do not have permission to sync or check drift or apply this fabric.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sync' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Check drift' })).toBeDisabled();
  });

  it('allows sync but not apply with only the sync permission', async () => {
    const hedgehog = api();
    await renderWithApis(<FabricView fabric="demo" />, {
      api: hedgehog,
      deny: ['hedgehog.fabric.apply'],
    });
    expect(
      await screen.findByText(
        'You do not have permission to apply this fabric.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sync' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Check drift' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
  });

  it('disables apply and drift for a fabric without a cluster', async () => {
    const hedgehog = api({
      getFabric: jest.fn(async () => ({ ...fabric, cluster: undefined })),
    });
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    const sync = await screen.findByRole('button', { name: 'Sync' });
    await waitFor(() => expect(sync).toBeEnabled());
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Check drift' })).toBeDisabled();
  });

  it('opens the resources of a kind from the counts', async () => {
    const hedgehog = api();
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    fireEvent.click(await screen.findByRole('button', { name: 'Switch: 6' }));
    await waitFor(() =>
      expect(hedgehog.listResources).toHaveBeenCalledWith('demo', {
        kind: 'Switch',
        status: undefined,
        q: undefined,
        offset: 0,
        limit: 20,
      }),
    );
    expect(screen.getByRole('tab', { name: 'Resources (30)' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });
});
