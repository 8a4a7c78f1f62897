import { fireEvent, screen, within } from '@testing-library/react';
import { SearchResponse } from '@fabric-gitops/plugin-hedgehog-common';
import {
  apiError,
  fabric,
  mockHedgehogApi,
} from '../../__testUtils__/testUtils';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { FabricsPageContent } from '../fabrics/FabricsPage';

jest.mock('@backstage/plugin-permission-react', () =>
  require('../../__testUtils__/testPermissions').uncachedPermissionReact(),
);

const found: SearchResponse = {
  items: [
    {
      fabric: 'demo',
      kind: 'Connection',
      name: 'server-01--unbundled--leaf-01',
      path: 'spec.unbundled.link.switch.port',
      value: 'leaf-01/E1/34',
      file: 'managed/connections/server-01--unbundled--leaf-01.yaml',
    },
  ],
  totalItems: 1,
  truncated: false,
};

async function search(q: string) {
  fireEvent.change(
    await screen.findByRole('textbox', { name: 'Search fabrics' }),
    { target: { value: q } },
  );
  fireEvent.click(screen.getByRole('button', { name: 'Search' }));
}

describe('FabricSearch on the fabrics page', () => {
  it('finds a port and links to its resource in the fabric view', async () => {
    const api = mockHedgehogApi({
      listFabrics: jest.fn(async () => ({ items: [fabric], totalItems: 1 })),
      search: jest.fn(async () => found),
      getFabric: jest.fn(async () => fabric),
      getResource: jest.fn(() => new Promise<never>(() => {})),
      clusterStatus: jest.fn(async () => ({ reachable: true, crds: [] })),
    });
    await renderWithApis(<FabricsPageContent />, { api });
    await search(' E1/34 ');
    expect(await screen.findByText('1 match for "E1/34"')).toBeInTheDocument();
    expect(api.search).toHaveBeenCalledWith('E1/34', { limit: 200 });
    const link = screen.getByRole('link', {
      name: 'server-01--unbundled--leaf-01',
    });
    expect(link).toHaveAttribute(
      'href',
      '/demo?tab=resources&resource=Connection%2Fserver-01--unbundled--leaf-01',
    );
    const row = link.closest('tr')!;
    expect(
      within(row).getByText('spec.unbundled.link.switch.port'),
    ).toBeInTheDocument();
    expect(within(row).getByText('leaf-01/E1/34')).toBeInTheDocument();
    expect(within(row).getByText('demo')).toBeInTheDocument();

    fireEvent.click(link);
    expect(
      await screen.findByText('Fabric demo · defined by app-config'),
    ).toBeInTheDocument();
    expect(api.getResource).toHaveBeenCalledWith(
      'demo',
      'Connection',
      'server-01--unbundled--leaf-01',
    );
  });

  it('says when the matches are cut and when nothing matches', async () => {
    const api = mockHedgehogApi({
      listFabrics: jest.fn(async () => ({ items: [fabric], totalItems: 1 })),
      search: jest
        .fn()
        .mockResolvedValueOnce({ ...found, totalItems: 2000, truncated: true })
        .mockResolvedValueOnce({ items: [], totalItems: 0, truncated: false }),
    });
    await renderWithApis(<FabricsPageContent />, { api });
    await search('leaf');
    expect(
      await screen.findByText(
        '2,000+ matches for "leaf" (showing 1; narrow the search to see the others)',
      ),
    ).toBeInTheDocument();
    await search('4242');
    expect(
      await screen.findByText(
        /Nothing matches "4242" in the fabrics you may read/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the backend message of an error', async () => {
    const error = await apiError(
      400,
      'InputError',
      'query.q: String must contain at most 100 character(s)',
    );
    const api = mockHedgehogApi({
      listFabrics: jest.fn(async () => ({ items: [], totalItems: 0 })),
      search: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithApis(<FabricsPageContent />, { api });
    await search('x');
    expect(
      await findApiErrorPanel(
        'query.q: String must contain at most 100 character(s)',
        'Could not search',
      ),
    ).toBeTruthy();
  });
});
