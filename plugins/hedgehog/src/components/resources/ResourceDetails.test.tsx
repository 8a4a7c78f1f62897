import { fireEvent, screen, within } from '@testing-library/react';
import {
  apiError,
  leaf01,
  mockHedgehogApi,
} from '../../__testUtils__/testUtils';
import { recordTableWarnings } from '../../__testUtils__/recordTableColumns';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { ResourceDetails } from './ResourceDetails';

function renderDetails(
  api: ReturnType<typeof mockHedgehogApi>,
  name: string,
  onBack: () => void = jest.fn(),
) {
  return renderWithApis(
    <ResourceDetails fabric="demo" kind="Switch" name={name} onBack={onBack} />,
    { api },
  );
}

describe('ResourceDetails', () => {
  it('shows desired and live YAML side by side with the differences', async () => {
    const onBack = jest.fn();
    const api = mockHedgehogApi({ getResource: jest.fn(async () => leaf01) });
    await renderDetails(api, 'leaf-01', onBack);
    expect(await screen.findByText('Switch leaf-01')).toBeInTheDocument();
    expect(api.getResource).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01');
    expect(screen.getByText('Drifted (score 13 %)')).toBeInTheDocument();
    // provenance: the raw file is gone once ingested; source.document 5 is
    // 0-based, the file's sixth document
    const origin = screen.getByText('Origin').closest('tr')!;
    expect(
      within(origin).getByText('Ingested from raw/wiring.yaml (document 6)'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Source')).not.toBeInTheDocument();

    const diff = screen.getByTestId('yaml-diff');
    expect(diff).toHaveTextContent('asn: 65101');
    expect(diff).toHaveTextContent('kind: Switch');
    expect(diff).toHaveTextContent('asn: 65199');

    const diffRow = screen.getByText('spec.asn').closest('tr')!;
    expect(within(diffRow).getByText('65101')).toBeInTheDocument();
    expect(within(diffRow).getByText('65199')).toBeInTheDocument();
    expect(screen.getByText('1 differing field')).toBeInTheDocument();

    expect(screen.getByText('description is short')).toBeInTheDocument();
    // whether each finding blocks an apply: the non-hydrated switch does, the short description not
    expect(
      screen.getByRole('columnheader', { name: 'Blocks apply' }),
    ).toBeInTheDocument();
    const hydration = screen
      .getByText(
        'the Switch is not hydrated: spec.ip, spec.protocolIP are missing',
      )
      .closest('tr')!;
    expect(within(hydration).getByTestId('blocks-apply')).toHaveTextContent(
      'blocks apply',
    );
    const short = screen.getByText('description is short').closest('tr')!;
    expect(within(short).queryByTestId('blocks-apply')).toBeNull();
    expect(within(short).getByText('no')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'All resources' }));
    expect(onBack).toHaveBeenCalled();
  });

  it('hides the server fields of the live object until asked, and highlights the changed line side by side', async () => {
    const live = {
      ...leaf01.live!,
      metadata: {
        name: 'leaf-01',
        namespace: 'default',
        uid: '5f0c1c6e',
        resourceVersion: '4711',
        generation: 3,
        creationTimestamp: '2026-12-01T10:00:00Z',
        managedFields: [{ manager: 'hedgehog-fabric', operation: 'Apply' }],
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
        },
      },
      status: { applied: { gen: 3 } },
    };
    const desired = {
      ...leaf01.desired!,
      metadata: {
        name: 'leaf-01',
        namespace: 'default',
        annotations: { 'githedgehog.com/source-file': 'raw/wiring.yaml' },
      },
    };
    const api = mockHedgehogApi({
      getResource: jest.fn(async () => ({ ...leaf01, desired, live })),
    });
    await renderDetails(api, 'leaf-01');
    const diff = await screen.findByTestId('yaml-diff');
    for (const noise of [
      'managedFields',
      'uid:',
      'resourceVersion',
      'creationTimestamp',
      'last-applied-configuration',
      'status:',
      'source-file',
    ]) {
      expect(diff).not.toHaveTextContent(noise);
    }
    // the only changed line: desired on the left, live on the right, both highlighted
    const row = within(diff)
      .getByText('asn: 65101', { exact: false })
      .closest('tr')!;
    expect(row).toHaveAttribute('data-change', 'changed');
    const [left, right] = within(row).getAllByText(/asn: 651/);
    expect(left).toHaveTextContent('asn: 65101');
    expect(right).toHaveTextContent('asn: 65199');
    expect(left).toHaveAttribute('data-highlighted', 'true');
    expect(right).toHaveAttribute('data-highlighted', 'true');
    expect(left).toHaveStyle({ backgroundColor: '#ffebe9' });
    expect(right).toHaveStyle({ backgroundColor: '#e6ffec' });
    const same = within(diff)
      .getAllByText('role: server-leaf', { exact: false })[0]
      .closest('tr')!;
    expect(same).toHaveAttribute('data-change', 'same');
    expect(
      within(same).getAllByText(/role: server-leaf/)[0],
    ).not.toHaveAttribute('data-highlighted');
    expect(screen.getByText(/1 line differs/)).toBeInTheDocument();

    // 8 fields hidden: five metadata fields, the tool's annotation, status and the tracking annotation
    const toggle = screen.getByRole('checkbox', {
      name: 'Show server fields (8)',
    });
    expect(toggle).not.toBeChecked();
    fireEvent.click(toggle);
    expect(toggle).toBeChecked();
    for (const noise of [
      'managedFields',
      'uid: 5f0c1c6e',
      'resourceVersion',
      'last-applied-configuration',
      'status:',
      'source-file: raw/wiring.yaml',
    ]) {
      expect(diff).toHaveTextContent(noise);
    }
    const uid = within(diff)
      .getByText('uid: 5f0c1c6e', { exact: false })
      .closest('tr')!;
    expect(uid).toHaveAttribute('data-change', 'added');
    fireEvent.click(toggle);
    expect(diff).not.toHaveTextContent('managedFields');
  });

  it('gives material-table an id per finding and difference', async () => {
    const table = recordTableWarnings();
    try {
      const api = mockHedgehogApi({ getResource: jest.fn(async () => leaf01) });
      await renderDetails(api, 'leaf-01');
      expect(await screen.findByText('spec.asn')).toBeInTheDocument();
      expect(screen.getByText('description is short')).toBeInTheDocument();
      expect(table.warnings()).not.toContainEqual(
        expect.stringMatching(/without id/),
      );
    } finally {
      table.restore();
    }
  });

  it('explains a resource missing in the cluster', async () => {
    const api = mockHedgehogApi({
      getResource: jest.fn(async () => ({
        ...leaf01,
        drift: { status: 'missing_in_cluster' as const, score: null },
        live: undefined,
        differences: [],
        findings: [],
      })),
    });
    await renderDetails(api, 'leaf-01');
    expect(await screen.findByText('Not in the cluster.')).toBeInTheDocument();
    expect(
      screen.getByText(
        'The resource is in Git but not in the cluster; applying creates it.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('Validation findings')).not.toBeInTheDocument();
  });

  it('says that a cluster-only resource has no Git path or source', async () => {
    const api = mockHedgehogApi({
      getResource: jest.fn(async () => ({
        ...leaf01,
        gitPath: '',
        source: undefined,
        desired: undefined,
        drift: { status: 'orphaned_in_cluster' as const, score: 1 },
        differences: [],
        findings: [],
      })),
    });
    await renderDetails(api, 'leaf-01');
    const origin = (await screen.findByText('Origin')).closest('tr')!;
    expect(within(origin).getByText('Only in the cluster')).toBeInTheDocument();
    expect(screen.getByText('Not in Git')).toBeInTheDocument();
    expect(
      screen.queryByText('Written in managed/ (not ingested from raw/)'),
    ).not.toBeInTheDocument();
  });

  it('says that a resource without a raw source was written in managed/', async () => {
    const api = mockHedgehogApi({
      getResource: jest.fn(async () => ({ ...leaf01, source: undefined })),
    });
    await renderDetails(api, 'leaf-01');
    const origin = (await screen.findByText('Origin')).closest('tr')!;
    expect(
      within(origin).getByText('Written in managed/ (not ingested from raw/)'),
    ).toBeInTheDocument();
  });

  it('explains a resource that was not compared', async () => {
    const api = mockHedgehogApi({
      getResource: jest.fn(async () => ({
        ...leaf01,
        drift: { status: 'unknown' as const, score: null },
        live: undefined,
        differences: [],
      })),
    });
    await renderDetails(api, 'leaf-01');
    expect(await screen.findByText(/Not compared yet/)).toBeInTheDocument();
    expect(
      screen.getByText(/live object has not been read/),
    ).toBeInTheDocument();
  });

  it('shows loading', async () => {
    const api = mockHedgehogApi({
      getResource: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderDetails(api, 'leaf-01');
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the backend message of an error', async () => {
    const error = await apiError(
      404,
      'NotFoundError',
      'No Switch named leaf-99 in fabric demo',
    );
    const api = mockHedgehogApi({
      getResource: jest.fn(async () => Promise.reject(error)),
    });
    await renderDetails(api, 'leaf-99');
    expect(
      await findApiErrorPanel(
        'No Switch named leaf-99 in fabric demo',
        'Could not load Switch leaf-99',
      ),
    ).toBeInTheDocument();
  });
});
