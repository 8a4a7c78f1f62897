import { screen, waitFor, within } from '@testing-library/react';
import { ResourceItem } from '@fabric-gitops/plugin-hedgehog-common';
import { mockHedgehogApi, resourceItem } from '../../__testUtils__/testUtils';
import { renderWithApis } from '../../__testUtils__/testRender';
import { ResourcesTable } from './ResourcesTable';

const gateway = resourceItem('Gateway', 'gateway-1', {
  gitPath: 'managed/gateways/gateway-1.yaml',
  desired: {
    apiVersion: 'gateway.githedgehog.com/v1alpha1',
    kind: 'Gateway',
    metadata: { name: 'gateway-1' },
    spec: {
      protocolIP: '172.30.8.2/32',
      vtepIP: '172.30.12.2/32',
      asn: 65534,
      interfaces: {
        enp2s1: { ips: ['172.30.128.1/31'] },
        enp2s2: { ips: ['172.30.128.3/31'] },
      },
      groups: [
        { name: 'default', priority: 10 },
        { name: 'edge', priority: 20 },
      ],
    },
  },
});

const peering = resourceItem('GatewayPeering', 'vpc-1--vpc-2', {
  gitPath: 'managed/gatewaypeerings/vpc-1--vpc-2.yaml',
  desired: {
    apiVersion: 'gateway.githedgehog.com/v1alpha1',
    kind: 'GatewayPeering',
    metadata: { name: 'vpc-1--vpc-2' },
    spec: {
      gatewayGroup: 'default',
      peering: {
        'vpc-1': { expose: [{ ips: [{ cidr: '10.0.1.0/24' }] }] },
        'vpc-2': { expose: [{ ips: [{ cidr: '10.0.2.0/24' }] }] },
      },
    },
  },
});

function render(kind: string | undefined, items: ResourceItem[]) {
  const api = mockHedgehogApi({
    listResources: jest.fn(async () => ({ items, totalItems: items.length })),
  });
  return renderWithApis(
    <ResourcesTable
      fabric="demo"
      counts={{ Gateway: 1, GatewayPeering: 1 }}
      filters={{ kind }}
      onFiltersChange={jest.fn()}
      onOpen={jest.fn()}
      debounceMs={0}
    />,
    { api },
  ).then(() => api);
}

const headers = () =>
  screen.getAllByRole('columnheader').map(h => h.textContent);

/** Filtered to one kind, the table shows the columns the kind's module in -common describes. */
describe('ResourcesTable: the columns of one kind', () => {
  it("shows a Gateway's protocol IP, VTEP IP, ASN, interfaces and groups, reading the objects", async () => {
    const api = await render('Gateway', [gateway]);
    const row = (await screen.findByText('gateway-1')).closest('tr')!;
    await waitFor(() =>
      expect(api.listResources).toHaveBeenCalledWith(
        'demo',
        expect.objectContaining({ kind: 'Gateway', include: 'desired' }),
      ),
    );
    expect(headers()).toEqual(
      expect.arrayContaining([
        'Protocol IP',
        'VTEP IP',
        'ASN',
        'Interfaces',
        'Groups',
      ]),
    );
    // the kind column is left out: every row is a Gateway
    expect(headers()).not.toContain('Kind');
    const cells = within(row)
      .getAllByRole('cell')
      .map(c => c.textContent);
    expect(cells).toEqual(
      expect.arrayContaining([
        '172.30.8.2/32',
        '172.30.12.2/32',
        '65534',
        '2',
        'default, edge',
      ]),
    );
  });

  it("shows a GatewayPeering's two peers and its gateway group", async () => {
    await render('GatewayPeering', [peering]);
    const row = (await screen.findByText('vpc-1--vpc-2')).closest('tr')!;
    expect(headers()).toEqual(
      expect.arrayContaining(['Peers', 'Gateway group']),
    );
    expect(within(row).getByText('vpc-1, vpc-2')).toBeInTheDocument();
    expect(within(row).getByText('default')).toBeInTheDocument();
  });

  it('shows the kind, and no kind columns, across all kinds; the objects are not asked for', async () => {
    const api = await render(undefined, [
      { ...gateway, desired: undefined },
      { ...peering, desired: undefined },
    ]);
    await screen.findByText('gateway-1');
    expect(headers()).toContain('Kind');
    expect(headers()).not.toContain('Protocol IP');
    expect(api.listResources).toHaveBeenCalledWith(
      'demo',
      expect.objectContaining({ include: undefined }),
    );
  });
});
