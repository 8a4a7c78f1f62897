import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FindingsFilter } from '@fabric-gitops/plugin-hedgehog-common';
import { useState } from 'react';
import { mockHedgehogApi } from '../../__testUtils__/testUtils';
import {
  findingsPage,
  findingsSummary,
} from '../../__testUtils__/findingsFixtures';
import { renderWithApis } from '../../__testUtils__/testRender';
import { FindingsView } from './FindingsView';

const TOTAL = 2029;

function api() {
  return mockHedgehogApi({
    summarizeFindings: jest.fn(async () => findingsSummary),
    listFindings: jest.fn(async (_f, q) =>
      findingsPage(q!.offset!, q!.limit!, q!.new ? 1 : TOTAL),
    ),
    exportFindings: jest.fn(async () => new Blob(['file,document\r\n'])),
  });
}

/** The view with its filter kept in state, as the fabric view keeps it in the URL. */
function Stateful(props: {
  onChange?: (f: FindingsFilter) => void;
  onShowResources?: (rule: string) => void;
}) {
  const [filter, setFilter] = useState<FindingsFilter>({});
  return (
    <FindingsView
      fabric="demo"
      filter={filter}
      onFilterChange={f => {
        props.onChange?.(f);
        setFilter(f);
      }}
      onShowResources={props.onShowResources}
    />
  );
}

describe('FindingsView', () => {
  it('shows the exact totals, the groups by rule and by file with their counts, and which of how many findings it lists', async () => {
    const hedgehog = api();
    await renderWithApis(<Stateful />, { api: hedgehog });
    expect(await screen.findByTestId('findings-totals')).toHaveTextContent(
      '1,907 errors · 122 warnings · 1 new since the previous sync',
    );
    const byRule = screen.getByRole('table', { name: 'By rule' });
    const vlan = within(byRule).getByTestId('group-vpc.subnet-vlan');
    expect(within(vlan).getByText('1,907')).toBeInTheDocument();
    expect(
      within(byRule).getByTestId('group-hydration.switch'),
    ).toHaveTextContent('42');
    expect(screen.getByText('All 3 rules')).toBeInTheDocument();
    // the file card lists 2 of 2,029 files
    expect(screen.getByText('Showing 1–2 of 2,029 files')).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Showing 1–50 of 2,029 findings · 2,029 errors · 0 warnings · 1 new since the previous sync',
      ),
    ).toBeInTheDocument();
    // a new finding is marked, its place has the document numbered from 1
    expect(
      screen.getByLabelText('new since the previous sync'),
    ).toBeInTheDocument();
    const first = screen
      .getAllByText('managed/vpcs/vpc-0.yaml')
      .find(e => !e.closest('table[aria-label="By file"]'))!
      .closest('tr')!;
    expect(
      within(first).getByText('document 1 · spec.subnets.default.vlan'),
    ).toBeInTheDocument();
    expect(within(first).getByText('new')).toBeInTheDocument();
    // an error blocks an apply: the column says so
    expect(
      screen.getByRole('columnheader', { name: 'Blocks apply' }),
    ).toBeInTheDocument();
    expect(within(first).getByTestId('blocks-apply')).toHaveTextContent(
      'blocks apply',
    );
    expect(hedgehog.listFindings).toHaveBeenCalledWith('demo', {
      offset: 0,
      limit: 50,
    });
  });

  it('filters by a group, by severity and by "new"; the list starts again at its first page', async () => {
    const hedgehog = api();
    const changes: FindingsFilter[] = [];
    const show = jest.fn();
    await renderWithApis(
      <Stateful onChange={f => changes.push(f)} onShowResources={show} />,
      { api: hedgehog },
    );
    await screen.findByText(/Showing 1–50 of 2,029 findings/);

    fireEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    await waitFor(() =>
      expect(hedgehog.listFindings).toHaveBeenLastCalledWith('demo', {
        offset: 50,
        limit: 50,
      }),
    );

    const byRule = screen.getByRole('table', { name: 'By rule' });
    fireEvent.click(within(byRule).getByText('hydration.switch'));
    await waitFor(() =>
      expect(hedgehog.listFindings).toHaveBeenLastCalledWith('demo', {
        rule: 'hydration.switch',
        offset: 0,
        limit: 50,
      }),
    );
    expect(screen.getByText('rule hydration.switch')).toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('checkbox', { name: 'New since the previous sync' }),
    );
    await waitFor(() =>
      expect(hedgehog.listFindings).toHaveBeenLastCalledWith('demo', {
        rule: 'hydration.switch',
        new: true,
        offset: 0,
        limit: 50,
      }),
    );
    expect(await screen.findByText(/^All 1 findings/)).toBeInTheDocument();
    expect(hedgehog.summarizeFindings).toHaveBeenLastCalledWith('demo', {
      new: true,
      groups: 10,
    });
    expect(changes.at(-1)).toEqual({ rule: 'hydration.switch', new: true });

    fireEvent.mouseDown(
      within(screen.getByTestId('severity-filter')).getByRole('button'),
    );
    fireEvent.click(await screen.findByRole('option', { name: 'Warnings' }));
    await waitFor(() =>
      expect(hedgehog.listFindings).toHaveBeenLastCalledWith('demo', {
        rule: 'hydration.switch',
        new: true,
        severity: 'warning',
        offset: 0,
        limit: 50,
      }),
    );
    expect(hedgehog.summarizeFindings).toHaveBeenLastCalledWith('demo', {
      severity: 'warning',
      new: true,
      groups: 10,
    });

    fireEvent.mouseDown(
      within(screen.getByTestId('blocks-apply-filter')).getByRole('button'),
    );
    fireEvent.click(
      await screen.findByRole('option', { name: 'Does not block apply' }),
    );
    await waitFor(() =>
      expect(hedgehog.listFindings).toHaveBeenLastCalledWith('demo', {
        rule: 'hydration.switch',
        new: true,
        severity: 'warning',
        blocksApply: false,
        offset: 0,
        limit: 50,
      }),
    );
    expect(hedgehog.summarizeFindings).toHaveBeenLastCalledWith('demo', {
      severity: 'warning',
      new: true,
      blocksApply: false,
      groups: 10,
    });

    // the resources with a rule's findings
    fireEvent.click(
      within(within(byRule).getByTestId('group-vpc.subnet-vlan')).getByText(
        'resources',
      ),
    );
    expect(show).toHaveBeenCalledWith('vpc.subnet-vlan');
  });

  it('lists more groups when asked', async () => {
    const hedgehog = api();
    await renderWithApis(<Stateful />, { api: hedgehog });
    await screen.findByText('Showing 1–2 of 2,029 files');
    // every rule is listed: no link for more
    expect(screen.queryByText('Show more rules')).toBeNull();
    fireEvent.click(screen.getByText('Show more files'));
    await waitFor(() =>
      expect(hedgehog.summarizeFindings).toHaveBeenLastCalledWith('demo', {
        groups: 50,
      }),
    );
  });

  it('exports every finding that matches as CSV or JSON', async () => {
    const hedgehog = api();
    const created = jest.fn(() => 'blob:findings');
    Object.assign(URL, {
      createObjectURL: created,
      revokeObjectURL: jest.fn(),
    });
    await renderWithApis(<Stateful />, { api: hedgehog });
    await screen.findByText(/Showing 1–50 of 2,029 findings/);
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() =>
      expect(hedgehog.exportFindings).toHaveBeenCalledWith('demo', 'csv', {}),
    );
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1));
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    await waitFor(() =>
      expect(hedgehog.exportFindings).toHaveBeenCalledWith('demo', 'json', {}),
    );
  });

  it('says how many of the findings are on files that are not resources, which the resources list does not count', async () => {
    const hedgehog = mockHedgehogApi({
      summarizeFindings: jest.fn(async () => ({
        ...findingsSummary,
        outsideResources: { errors: 1, warnings: 3 },
      })),
      listFindings: jest.fn(async (_f, q) =>
        findingsPage(q!.offset!, q!.limit!, TOTAL),
      ),
    });
    await renderWithApis(<Stateful />, { api: hedgehog });
    expect(
      await screen.findByTestId('findings-outside-resources'),
    ).toHaveTextContent(
      '4 of them on files that are not resources (1 error, 3 warnings) (raw files kept in unmanaged/, files that are not YAML): the resources list and its findings filters do not count them',
    );
  });

  it('says nothing of files that are not resources when every finding is on a resource', async () => {
    await renderWithApis(<Stateful />, { api: api() });
    await screen.findByText('All 3 rules');
    expect(
      screen.queryByTestId('findings-outside-resources'),
    ).not.toBeInTheDocument();
  });
});
