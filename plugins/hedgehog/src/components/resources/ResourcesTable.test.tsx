import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import {
  apiError,
  mockHedgehogApi,
  resourceItem,
} from '../../__testUtils__/testUtils';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import {
  distinctColumnsOf,
  renderedColumns,
} from '../../__testUtils__/recordTableColumns';
import { ResourceFilters, ResourcesTable } from './ResourcesTable';

jest.mock('@backstage/core-components', () =>
  require('../../__testUtils__/recordTableColumns').coreComponentsRecordingColumns(),
);

const counts = { Switch: 2, Server: 1 };

/** The table with its filters in state, as FabricView keeps them in the URL. */
function Harness(props: { onOpen?: jest.Mock; initial?: ResourceFilters; hasCluster?: boolean }) {
  const [filters, setFilters] = useState<ResourceFilters>(props.initial ?? {});
  return (
    <>
      {/* what browser Back does to the URL's filters */}
      <button onClick={() => setFilters({})}>Back to no filters</button>
      <ResourcesTable
        fabric="demo"
        counts={counts}
        filters={filters}
        onFiltersChange={setFilters}
        onOpen={props.onOpen ?? jest.fn()}
        debounceMs={0}
        hasCluster={props.hasCluster}
      />
    </>
  );
}

const items = [
  resourceItem('Switch', 'leaf-01', {
    drift: { status: 'drifted', score: 0.25 },
    errors: 1,
    warnings: 2,
  }),
  resourceItem('Switch', 'spine-01', { applyStatus: 'not_applied' }),
  resourceItem('Server', 'server-01', {
    drift: { status: 'missing_in_cluster', score: null },
  }),
];

describe('ResourcesTable', () => {
  it('lists resources with drift, apply status and findings', async () => {
    const api = mockHedgehogApi({
      listResources: jest.fn(async () => ({ items, totalItems: 3 })),
    });
    await renderWithApis(<Harness />, { api });
    expect(await screen.findByText('leaf-01')).toBeInTheDocument();
    expect(screen.getByText('3 matches')).toBeInTheDocument();
    const leafRow = screen.getByText('leaf-01').closest('tr')!;
    expect(within(leafRow).getByText('Drifted (25 %)')).toBeInTheDocument();
    expect(
      within(leafRow).getByText('1 error, 2 warnings'),
    ).toBeInTheDocument();
    expect(
      within(leafRow).getByText('managed/switches/leaf-01.yaml', {
        exact: false,
      }),
    ).toBeInTheDocument();
    const serverRow = screen.getByText('server-01').closest('tr')!;
    expect(
      within(serverRow).getByText('Missing in cluster'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByText('spine-01').closest('tr')!).getByText(
        'Not applied',
      ),
    ).toBeInTheDocument();
    expect(api.listResources).toHaveBeenCalledWith('demo', {
      kind: undefined,
      status: undefined,
      q: undefined,
      offset: 0,
      limit: 20,
    });
  });

  it('shows no drift or apply of a fabric without a cluster', async () => {
    const api = mockHedgehogApi({
      listResources: jest.fn(async () => ({ items, totalItems: 3 })),
    });
    await renderWithApis(<Harness hasCluster={false} />, { api });
    const leafRow = (await screen.findByText('leaf-01')).closest('tr')!;
    expect(within(leafRow).getByText('1 error, 2 warnings')).toBeInTheDocument();
    expect(within(leafRow).queryByText(/Drifted/)).toBeNull();
    expect(screen.queryByText('Not applied')).toBeNull();
    expect(screen.queryByText('Missing in cluster')).toBeNull();
    expect(screen.queryByRole('columnheader', { name: /Drift/ })).toBeNull();
    expect(screen.queryByRole('columnheader', { name: /Apply/ })).toBeNull();
    expect(screen.queryByTestId('drift-filter')).toBeNull();
  });

  it('keeps statuses and kinds on one line and cuts long Git paths', async () => {
    const longPath =
      'managed/connections/leaf-01--mclag--leaf-02--with-a-long-name.yaml';
    const api = mockHedgehogApi({
      listResources: jest.fn(async () => ({
        items: [
          resourceItem('Connection', 'leaf-01--mclag', {
            gitPath: longPath,
            applyStatus: 'not_applied',
            drift: { status: 'unknown', score: null },
          }),
        ],
        totalItems: 1,
      })),
    });
    await renderWithApis(<Harness />, { api });
    const row = (await screen.findByText('leaf-01--mclag')).closest('tr')!;
    for (const text of ['Connection', 'Unknown', 'Not applied']) {
      expect(within(row).getByText(text).closest('td')).toHaveStyle({
        whiteSpace: 'nowrap',
      });
    }
    const path = within(row).getByText(longPath);
    expect(path).toHaveAttribute('title', longPath);
    expect(path).toHaveStyle({
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    });
  });

  it('filters by kind, drift status and text on the server', async () => {
    const api = mockHedgehogApi({
      listResources: jest.fn(async () => ({
        items: items.slice(0, 1),
        totalItems: 1,
      })),
    });
    await renderWithApis(<Harness />, { api });
    await screen.findByText('leaf-01');

    fireEvent.click(screen.getByText('Switch (2)'));
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        'demo',
        expect.objectContaining({ kind: 'Switch' }),
      ),
    );
    expect(await screen.findByText('Switch resources')).toBeInTheDocument();

    fireEvent.mouseDown(
      within(screen.getByTestId('drift-filter')).getByRole('button'),
    );
    fireEvent.click(await screen.findByRole('option', { name: 'Drifted' }));
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        'demo',
        expect.objectContaining({ kind: 'Switch', status: 'drifted' }),
      ),
    );

    fireEvent.change(screen.getByLabelText('Filter by name'), {
      target: { value: 'leaf' },
    });
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith('demo', {
        kind: 'Switch',
        status: 'drifted',
        q: 'leaf',
        include: 'desired',
        offset: 0,
        limit: 20,
      }),
    );
    expect(await screen.findByText('1 match')).toBeInTheDocument();
  });

  it('filters by findings: resources with errors, with warnings, with a finding of a rule', async () => {
    const api = mockHedgehogApi({
      listResources: jest.fn(async () => ({
        items: items.slice(0, 1),
        totalItems: 1,
      })),
    });
    await renderWithApis(<Harness initial={{ rule: 'hydration.switch' }} />, {
      api,
    });
    // a rule from the URL (e.g. the findings view's link) filters from the start
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        'demo',
        expect.objectContaining({ rule: 'hydration.switch' }),
      ),
    );
    fireEvent.mouseDown(
      within(screen.getByTestId('findings-filter')).getByRole('button'),
    );
    fireEvent.click(await screen.findByRole('option', { name: 'Has errors' }));
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith('demo', {
        rule: 'hydration.switch',
        findings: 'errors',
        offset: 0,
        limit: 20,
      }),
    );
    fireEvent.mouseDown(
      within(screen.getByTestId('rule-filter')).getByRole('button'),
    );
    fireEvent.click(
      await screen.findByRole('option', { name: 'vpc.subnet-vlan' }),
    );
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        'demo',
        expect.objectContaining({
          findings: 'errors',
          rule: 'vpc.subnet-vlan',
        }),
      ),
    );
    fireEvent.mouseDown(
      within(screen.getByTestId('findings-filter')).getByRole('button'),
    );
    fireEvent.click(
      await screen.findByRole('option', { name: 'Has warnings' }),
    );
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        'demo',
        expect.objectContaining({ findings: 'warnings' }),
      ),
    );
  });

  it('keeps the name filter field in step with the filters (browser Back)', async () => {
    const api = mockHedgehogApi({
      listResources: jest.fn(async () => ({ items, totalItems: 3 })),
    });
    await renderWithApis(<Harness />, { api });
    await screen.findByText('leaf-01');
    const field = screen.getByLabelText('Filter by name');
    fireEvent.change(field, { target: { value: 'spine' } });
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        'demo',
        expect.objectContaining({ q: 'spine' }),
      ),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Back to no filters' }));
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        'demo',
        expect.objectContaining({ q: undefined }),
      ),
    );
    expect(field).toHaveValue('');
  });

  it('shows the name filter of the filters it opens with', async () => {
    const api = mockHedgehogApi();
    await renderWithApis(<Harness initial={{ q: 'spine' }} />, { api });
    expect(await screen.findByLabelText('Filter by name')).toHaveValue('spine');
  });

  it('hands the table the same columns on every render', async () => {
    renderedColumns.length = 0;
    const api = mockHedgehogApi({
      listResources: jest.fn(async () => ({ items, totalItems: 3 })),
    });
    await renderWithApis(<Harness />, { api });
    await screen.findByText('leaf-01');
    fireEvent.change(screen.getByLabelText('Filter by name'), {
      target: { value: 'leaf' },
    });
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        'demo',
        expect.objectContaining({ q: 'leaf' }),
      ),
    );
    await screen.findByText('leaf-01');
    expect(renderedColumns.length).toBeGreaterThan(2);
    expect(distinctColumnsOf('Resources')).toBe(1);
  });

  it('pages on the server', async () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      resourceItem('Connection', `conn-${i}`),
    );
    const api = mockHedgehogApi({
      listResources: jest.fn(async (_f, q) => ({
        items: q!.offset === 0 ? many : [resourceItem('Connection', 'conn-20')],
        totalItems: 21,
      })),
    });
    await renderWithApis(<Harness />, { api });
    expect(await screen.findByText('conn-0')).toBeInTheDocument();
    expect(screen.getAllByText('1-20 of 21').length).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    expect(await screen.findByText('conn-20')).toBeInTheDocument();
    expect(api.listResources).toHaveBeenLastCalledWith(
      'demo',
      expect.objectContaining({ offset: 20, limit: 20 }),
    );
    expect(screen.queryByText('conn-0')).not.toBeInTheDocument();
  });

  it('opens a resource', async () => {
    const onOpen = jest.fn();
    const api = mockHedgehogApi({
      listResources: jest.fn(async () => ({ items, totalItems: 3 })),
    });
    await renderWithApis(<Harness onOpen={onOpen} />, { api });
    fireEvent.click(await screen.findByText('leaf-01'));
    expect(onOpen).toHaveBeenCalledTimes(1);
    expect(onOpen).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'Switch', name: 'leaf-01' }),
    );
  });

  it('says so when nothing matches', async () => {
    const api = mockHedgehogApi();
    await renderWithApis(<Harness initial={{ q: 'nothing' }} />, { api });
    expect(
      await screen.findByText('No resources match the filters.'),
    ).toBeInTheDocument();
  });

  it('explains an empty fabric', async () => {
    const api = mockHedgehogApi();
    await renderWithApis(<Harness />, { api });
    expect(
      await screen.findByText(/The fabric has no managed resources yet/),
    ).toBeInTheDocument();
  });

  it('shows loading', async () => {
    const api = mockHedgehogApi({
      listResources: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderWithApis(<Harness />, { api });
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
  });

  it('shows the backend message of an error', async () => {
    const error = await apiError(
      400,
      'InputError',
      '"Gadget" is not one of the managed kinds',
    );
    const api = mockHedgehogApi({
      listResources: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithApis(<Harness />, { api });
    expect(
      await findApiErrorPanel(
        '"Gadget" is not one of the managed kinds',
        'Could not load the resources',
      ),
    ).toBeInTheDocument();
  });
});
