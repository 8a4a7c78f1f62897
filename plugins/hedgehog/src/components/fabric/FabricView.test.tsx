import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError, fabric, neverSynced } from '../../__testUtils__/testUtils';
import {
  findingsPage,
  findingsSummary,
} from '../../__testUtils__/findingsFixtures';
import { fabricViewApi } from '../../__testUtils__/fabricViewApi';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { FabricView } from './FabricView';

jest.mock('@backstage/plugin-permission-react', () =>
  require('../../__testUtils__/testPermissions').uncachedPermissionReact(),
);

describe('FabricView', () => {
  it('shows the status header, counts per kind and drift', async () => {
    const hedgehog = fabricViewApi();
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
    const hedgehog = fabricViewApi({
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
    const hedgehog = fabricViewApi({
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
    const hedgehog = fabricViewApi({
      getFabric: jest.fn(async () => reviewed),
    });
    await renderWithApis(<FabricView fabric="fresh" />, { api: hedgehog });
    expect(
      await screen.findByText(
        `No managed resources in ${reviewed.git.branch} yet. A sync proposes the ingestion of raw/ as a pull request; its resources show here once it is merged and synced.`,
      ),
    ).toBeInTheDocument();
  });

  it('explains an empty, never synced fabric', async () => {
    const hedgehog = fabricViewApi({
      getFabric: jest.fn(async () => neverSynced),
    });
    await renderWithApis(<FabricView fabric="fresh" />, { api: hedgehog });
    expect(await screen.findByText('Never synced')).toBeInTheDocument();
    expect(screen.getByText('never')).toBeInTheDocument();
    expect(screen.getByText(/No managed resources yet/)).toBeInTheDocument();
    expect(screen.getByText(/No cluster configured/)).toBeInTheDocument();
    expect(screen.getByText('No resources compared yet')).toBeInTheDocument();
    expect(hedgehog.clusterStatus).not.toHaveBeenCalled();
  });

  it('shows the error of the last sync in the header', async () => {
    const hedgehog = fabricViewApi({
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

  it('shows what stays open in the fabric, with the exact totals', async () => {
    const hedgehog = fabricViewApi({
      getFabric: jest.fn(async () => ({
        ...fabric,
        status: 'partial' as const,
        error: '1891 error findings, 1 conflict open in the fabric',
        findings: { errors: 1891, warnings: 16 },
        conflicts: 1,
      })),
    });
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    expect(
      await screen.findByText(
        'Warning: 1891 error findings, 1 conflict open in the fabric',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Needs attention')).toBeInTheDocument();
    expect(
      screen.getByText('1,891 errors · 16 warnings · 1 conflict'),
    ).toBeInTheDocument();
  });

  it('says how many of the open findings are on files that are not resources', async () => {
    const hedgehog = fabricViewApi({
      getFabric: jest.fn(async () => ({
        ...fabric,
        findings: {
          errors: 0,
          warnings: 4,
          outsideResources: { errors: 0, warnings: 3 },
        },
      })),
    });
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    expect(
      await screen.findByText(
        '0 errors · 4 warnings, 3 of them on files that are not resources',
      ),
    ).toBeInTheDocument();
  });

  it('shows the kinds the fabric manages and where they were given', async () => {
    const day2 = [
      'VPC',
      'External',
      'VPCAttachment',
      'VPCPeering',
      'ExternalAttachment',
      'ExternalPeering',
    ];
    const hedgehog = fabricViewApi({
      getFabric: jest.fn(async () => ({
        ...fabric,
        kinds: { source: 'manifest' as const, preset: 'day2' as const, list: day2 },
      })),
    });
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    const kinds = await screen.findByTestId('fabric-kinds');
    expect(kinds).toHaveTextContent(
      'day2 (6 kinds) · from the fabric directory’s manifest',
    );
    expect(kinds).toHaveAttribute(
      'title',
      `${day2.join(', ')} · given by the fabric directory’s manifest`,
    );
  });

  it('lists the kinds of a fabric given by name', async () => {
    const hedgehog = fabricViewApi({
      getFabric: jest.fn(async () => ({
        ...fabric,
        kinds: { source: 'app-config' as const, list: ['VPC', 'VPCAttachment'] },
      })),
    });
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    expect(await screen.findByTestId('fabric-kinds')).toHaveTextContent(
      '2 kinds: VPC, VPCAttachment · from app-config',
    );
  });

  it('shows an unreachable cluster with its error', async () => {
    const hedgehog = fabricViewApi({
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

  it('opens the resources of a kind from the counts', async () => {
    const hedgehog = fabricViewApi();
    await renderWithApis(<FabricView fabric="demo" />, { api: hedgehog });
    fireEvent.click(await screen.findByRole('button', { name: 'Switch: 6' }));
    await waitFor(() =>
      expect(hedgehog.listResources).toHaveBeenCalledWith('demo', {
        kind: 'Switch',
        status: undefined,
        q: undefined,
        // one kind: the objects, for its columns
        include: 'desired',
        offset: 0,
        limit: 20,
      }),
    );
    expect(screen.getByRole('tab', { name: 'Resources (30)' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('has a Findings tab with the exact total; its filters live in the URL and its rules lead to the resources', async () => {
    const hedgehog = fabricViewApi({
      getFabric: jest.fn(async () => ({
        ...fabric,
        status: 'partial' as const,
        findings: { errors: 1907, warnings: 122 },
      })),
      summarizeFindings: jest.fn(async () => findingsSummary),
      listFindings: jest.fn(async (_f, q) =>
        findingsPage(q!.offset!, q!.limit!, 2029),
      ),
    });
    await renderWithApis(<FabricView fabric="demo" />, {
      api: hedgehog,
      route: '/?tab=findings&new=true&severity=error',
    });
    expect(
      await screen.findByRole('tab', { name: 'Findings (2,029)' }),
    ).toHaveAttribute('aria-selected', 'true');
    await waitFor(() =>
      expect(hedgehog.listFindings).toHaveBeenCalledWith('demo', {
        severity: 'error',
        new: true,
        offset: 0,
        limit: 50,
      }),
    );
    const byRule = await screen.findByRole('table', { name: 'By rule' });
    fireEvent.click(
      within(within(byRule).getByTestId('group-hydration.switch')).getByText(
        'resources',
      ),
    );
    await waitFor(() =>
      expect(hedgehog.listResources).toHaveBeenLastCalledWith(
        'demo',
        expect.objectContaining({ rule: 'hydration.switch' }),
      ),
    );
    expect(screen.getByRole('tab', { name: 'Resources (30)' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });
});
