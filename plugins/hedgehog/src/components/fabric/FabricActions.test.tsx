import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  apiError,
  fabric,
  runningSyncRun,
  syncRun,
} from '../../__testUtils__/testUtils';
import { clickSync, fabricViewApi } from '../../__testUtils__/fabricViewApi';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { FabricView } from './FabricView';

jest.mock('@backstage/plugin-permission-react', () =>
  require('../../__testUtils__/testPermissions').uncachedPermissionReact(),
);

describe('FabricView actions and the run they start', () => {
  it('syncs, shows the run stage by stage and its outcome, then refreshes', async () => {
    let finished = false;
    const hedgehog = fabricViewApi({
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
    const hedgehog = fabricViewApi({
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
    const hedgehog = fabricViewApi({
      sync: jest.fn(async () => Promise.reject(error)),
    });
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
    const hedgehog = fabricViewApi({
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

  it('applies after a dry run that lists what it deletes, confirmed with the count', async () => {
    const dry = syncRun({
      id: '11111111-2222-4333-8444-555555555555',
      type: 'apply',
      stages: [
        {
          name: 'apply',
          status: 'succeeded',
          startedAt: '2026-11-23T02:57:31.000Z',
          counts: { applied: 0, unchanged: 5 },
          errors: [],
          message:
            'dry run: 0 object(s) would change; 1 would be pruned: VPC/old',
          prune: {
            objects: [{ kind: 'VPC', name: 'old' }],
            total: 1,
            deleted: false,
            owned: 6,
            limit: 0.1,
            confirmationRequired: true,
            heldBack: [],
          },
        },
      ],
    });
    const run = syncRun({ type: 'apply', stages: [] });
    const hedgehog = fabricViewApi({
      apply: jest.fn(async (_f: string, options: { dryRun?: boolean }) => ({
        runId: options.dryRun ? dry.id : run.id,
      })),
      getRun: jest.fn(async (id: string) => (id === dry.id ? dry : run)),
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
    expect(await screen.findByText('VPC/old')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Number of objects to delete'), {
      target: { value: '1' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Apply and delete 1' }));
    expect(
      await screen.findByText('Apply succeeded in 1.2 s.', { exact: false }),
    ).toBeInTheDocument();
    expect(hedgehog.apply.mock.calls).toEqual([
      ['demo', { dryRun: true }],
      ['demo', { confirmPrune: 1 }],
    ]);
  });

  it('checks drift', async () => {
    const run = syncRun({ type: 'drift', stages: [] });
    const hedgehog = fabricViewApi({
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
    const hedgehog = fabricViewApi({
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
    const hedgehog = fabricViewApi();
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
    const hedgehog = fabricViewApi();
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

  it('asks about the fabric it shows: sync denied on another fabric leaves it enabled here', async () => {
    const other = fabricViewApi({
      getFabric: jest.fn(async () => ({ ...fabric, name: 'other' })),
    });
    await renderWithApis(<FabricView fabric="other" />, {
      api: other,
      deny: ['hedgehog.fabric.sync@demo', 'hedgehog.fabric.apply@demo'],
    });
    const sync = await screen.findByRole('button', { name: 'Sync' });
    await waitFor(() => expect(sync).toBeEnabled());
    expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled();
    expect(
      screen.queryByText(/You do not have permission/),
    ).not.toBeInTheDocument();
  });

  it('disables the actions on the fabric where the policy denies them', async () => {
    await renderWithApis(<FabricView fabric="demo" />, {
      api: fabricViewApi(),
      deny: ['hedgehog.fabric.sync@demo', 'hedgehog.fabric.apply@demo'],
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

  it('disables apply and drift for a fabric without a cluster', async () => {
    const hedgehog = fabricViewApi({
      getFabric: jest.fn(async () => ({ ...fabric, cluster: undefined })),
    });
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    const sync = await screen.findByRole('button', { name: 'Sync' });
    await waitFor(() => expect(sync).toBeEnabled());
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Check drift' })).toBeDisabled();
  });
});
