import { fireEvent, screen, within } from '@testing-library/react';
import {
  apiError,
  fabric,
  mockHedgehogApi,
  neverSynced,
} from '../../__testUtils__/testUtils';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { FabricsPageContent } from './FabricsPage';

jest.mock('@backstage/plugin-permission-react', () =>
  require('../../__testUtils__/testPermissions').uncachedPermissionReact(),
);

describe('FabricsPageContent', () => {
  it('lists the fabrics and opens one', async () => {
    const api = mockHedgehogApi({
      listFabrics: jest.fn(async () => ({
        items: [
          fabric,
          {
            ...neverSynced,
            source: 'catalog:resource:default/fresh',
            kinds: { source: 'manifest', preset: 'day2', list: ['VPC', 'External', 'VPCAttachment', 'VPCPeering', 'ExternalAttachment', 'ExternalPeering', 'GatewayPeering'] },
          },
        ],
        totalItems: 2,
      })),
      getFabric: jest.fn(async () => fabric),
      clusterStatus: jest.fn(async () => ({ reachable: true, crds: [] })),
    });
    await renderWithApis(<FabricsPageContent />, { api });
    expect(await screen.findByText('Demo fabric')).toBeInTheDocument();
    expect(screen.getByText('Fresh fabric')).toBeInTheDocument();
    expect(screen.getByText('Never synced')).toBeInTheDocument();
    // a fabric without a cluster says so instead of an empty drift cell
    const freshRow = screen.getByText('Fresh fabric').closest('tr')!;
    expect(freshRow).toHaveTextContent('no cluster');
    expect(screen.getByText('Demo fabric').closest('tr')!).not.toHaveTextContent('no cluster');
    // the kinds each fabric manages: the preset and how many (a fabric the API says nothing of: a dash)
    expect(within(freshRow).getByTitle('VPC, External, VPCAttachment, VPCPeering, ExternalAttachment, ExternalPeering, GatewayPeering')).toHaveTextContent('day2 (7)');
    expect(screen.getByText('app-config')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'fresh' })).toHaveAttribute(
      'href',
      '/catalog/default/resource/fresh',
    );

    fireEvent.click(screen.getByRole('link', { name: 'Demo fabric' }));
    expect(
      await screen.findByText('Fabric demo · defined by app-config'),
    ).toBeInTheDocument();
    expect(api.getFabric).toHaveBeenCalledWith('demo');
    fireEvent.click(screen.getByRole('button', { name: 'All fabrics' }));
    expect(await screen.findByText('Fresh fabric')).toBeInTheDocument();
  });

  it('explains an empty list', async () => {
    const api = mockHedgehogApi({
      listFabrics: jest.fn(async () => ({ items: [], totalItems: 0 })),
    });
    await renderWithApis(<FabricsPageContent />, { api });
    expect(await screen.findByText(/No fabrics yet/)).toBeInTheDocument();
  });

  it('shows loading', async () => {
    const api = mockHedgehogApi({
      listFabrics: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderWithApis(<FabricsPageContent />, { api });
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
  });

  it('shows the backend message of an error', async () => {
    const error = await apiError(
      403,
      'NotAllowedError',
      'Permission hedgehog.fabric.read is required',
    );
    const api = mockHedgehogApi({
      listFabrics: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithApis(<FabricsPageContent />, { api });
    expect(
      await findApiErrorPanel(
        'Permission hedgehog.fabric.read is required',
        'Could not load the fabrics',
      ),
    ).toBeInTheDocument();
  });
});
