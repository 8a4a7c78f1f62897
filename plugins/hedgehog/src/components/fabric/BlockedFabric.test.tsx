import { screen } from '@testing-library/react';
import { fabric, mockHedgehogApi } from '../../__testUtils__/testUtils';
import { renderWithApis } from '../../__testUtils__/testRender';
import { FabricView } from './FabricView';

jest.mock('@backstage/plugin-permission-react', () =>
  require('../../__testUtils__/testPermissions').uncachedPermissionReact(),
);

const REASON =
  'the repository file:///home/someone/other.git is not one catalog fabrics may use ' +
  '(hedgehog.catalogFabrics.repositories allows https://github.com/acme/*)';

describe('FabricView of a blocked fabric', () => {
  it('says why it is never synced and offers no action', async () => {
    const hedgehog = mockHedgehogApi({
      getFabric: jest.fn(async () => ({
        ...fabric,
        name: 'elsewhere',
        title: 'Elsewhere',
        source: 'resource:default/elsewhere',
        git: {
          url: 'file:///home/someone/other.git',
          branch: 'main',
          path: '',
          writeMode: 'push' as const,
        },
        cluster: 'prod',
        status: 'blocked' as const,
        blockedReason: REASON,
        counts: {},
        lastSyncedCommit: undefined,
        lastSyncAt: undefined,
      })),
    });
    await renderWithApis(<FabricView fabric="elsewhere" />, { api: hedgehog });

    expect(
      await screen.findByText(
        'Fabric elsewhere is blocked: it is never synced, applied or checked',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(REASON)).toBeInTheDocument();
    expect(screen.getByText('resource:default/elsewhere')).toBeInTheDocument();
    expect(
      screen.getByText('file:///home/someone/other.git (main)'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sync' })).toBeNull();
    expect(screen.queryByRole('tab')).toBeNull();
  });
});
