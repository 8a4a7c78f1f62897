import { fireEvent, screen, within } from '@testing-library/react';
import {
  apiError,
  demoPlan,
  fabric,
  mockHedgehogApi,
  pullRequests,
  reviewedFabric,
} from '../../__testUtils__/testUtils';
import { renderWithApis } from '../../__testUtils__/testRender';
import { FabricView } from './FabricView';
import { PullRequests } from './PullRequests';

jest.mock('@backstage/plugin-permission-react', () =>
  require('../../__testUtils__/testPermissions').uncachedPermissionReact(),
);

describe('PullRequests', () => {
  it('lists each open pull request with number, title, branch, purpose, state and links', async () => {
    const api = mockHedgehogApi({
      listPulls: jest.fn(async () => ({
        items: pullRequests,
        totalItems: pullRequests.length,
      })),
    });
    await renderWithApis(<PullRequests fabric={reviewedFabric} />, { api });

    const number = await screen.findByRole('link', {
      name: 'Pull request #12, Opens in a new window',
    });
    expect(number).toHaveAttribute(
      'href',
      'https://github.com/example/network/pull/12',
    );
    expect(api.listPulls).toHaveBeenCalledWith('demo');

    const row = number.closest('tr')!;
    expect(
      within(row).getByRole('link', {
        name: 'hedgehog(demo): ingest 3 resources, Opens in a new window',
      }),
    ).toHaveAttribute('href', 'https://github.com/example/network/pull/12');
    expect(within(row).getByText('hedgehog/demo')).toBeInTheDocument();
    expect(within(row).getByText('Sync review')).toBeInTheDocument();
    expect(within(row).getByText('Open, awaiting review')).toBeInTheDocument();
    expect(within(row).getByText('2 hours ago')).toBeInTheDocument();

    const adoption = screen
      .getByRole('link', { name: 'Pull request #15, Opens in a new window' })
      .closest('tr')!;
    expect(
      within(adoption).getByRole('link', {
        name: 'hedgehog(demo): adopt Switch leaf-01 from the cluster, Opens in a new window',
      }),
    ).toHaveAttribute('href', 'https://github.com/example/network/pull/15');
    expect(
      within(adoption).getByText('hedgehog-adopt/demo/switch-leaf-01'),
    ).toBeInTheDocument();
    expect(
      within(adoption).getByText('Adoption of a cluster value'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/No open pull requests/)).not.toBeInTheDocument();
  });

  it('with a cluster, shows the plan of a pull request\'s head on request', async () => {
    const api = mockHedgehogApi({
      listPulls: jest.fn(async () => ({ items: pullRequests, totalItems: pullRequests.length })),
      planFabric: jest.fn(async () => ({ ...demoPlan, target: { pullRequest: 12 } })),
    });
    await renderWithApis(<PullRequests fabric={{ ...reviewedFabric, cluster: 'lab' }} />, { api });
    fireEvent.click(await screen.findByRole('button', { name: 'Plan of pull request #12' }));
    expect(await screen.findByText('Pull request #12: what an apply would do once it is merged')).toBeInTheDocument();
    expect(await screen.findByTestId('apply-plan')).toHaveTextContent('Plan: 1 create, 1 update, 1 delete, 1 blocked, 1 conflict');
    expect(api.planFabric).toHaveBeenCalledWith('demo', { pullRequest: 12 });
  });

  it('offers no plan without a cluster', async () => {
    const api = mockHedgehogApi({
      listPulls: jest.fn(async () => ({ items: pullRequests, totalItems: pullRequests.length })),
    });
    await renderWithApis(<PullRequests fabric={{ ...reviewedFabric, cluster: undefined }} />, { api });
    await screen.findByRole('link', { name: 'Pull request #12, Opens in a new window' });
    expect(screen.queryByRole('button', { name: /^Plan of pull request/ })).toBeNull();
  });

  it('says so when the fabric has no open pull request', async () => {
    const api = mockHedgehogApi();
    await renderWithApis(<PullRequests fabric={reviewedFabric} />, { api });
    expect(
      await screen.findByText(
        'No open pull requests: nothing of fabric demo is waiting for review.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Pull requests')).toBeInTheDocument();
    expect(api.listPulls).toHaveBeenCalledWith('demo');
  });

  it('shows the backend message when the pull requests cannot be listed', async () => {
    const error = await apiError(
      503,
      'ServiceUnavailableError',
      'the GitHub integration is not available (no integrations config)',
    );
    const api = mockHedgehogApi({
      listPulls: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithApis(<PullRequests fabric={reviewedFabric} />, { api });
    expect(
      await screen.findByText(
        'Error: Could not load the pull requests: the GitHub integration is not available (no integrations config)',
      ),
    ).toBeInTheDocument();
  });

  it('shows nothing and asks nothing for a fabric that pushes', async () => {
    const api = mockHedgehogApi();
    const { container } = await renderWithApis(
      <PullRequests fabric={fabric} />,
      { api },
    );
    expect(container).toBeEmptyDOMElement();
    expect(api.listPulls).not.toHaveBeenCalled();
  });

  it('is a section of the fabric overview in write mode pull-request only', async () => {
    const clusterStatus = jest.fn(async () => ({
      cluster: 'lab',
      reachable: true,
      crds: [],
    }));
    const reviewed = mockHedgehogApi({
      getFabric: jest.fn(async () => reviewedFabric),
      clusterStatus,
      listPulls: jest.fn(async () => ({
        items: pullRequests,
        totalItems: pullRequests.length,
      })),
    });
    const first = await renderWithApis(<FabricView fabric="demo" />, {
      api: reviewed,
    });
    const section = await screen.findByTestId('pull-requests');
    expect(
      await within(section).findByRole('link', {
        name: 'Pull request #15, Opens in a new window',
      }),
    ).toBeInTheDocument();
    first.unmount();

    const pushing = mockHedgehogApi({
      getFabric: jest.fn(async () => fabric),
      clusterStatus,
    });
    await renderWithApis(<FabricView fabric="demo" />, { api: pushing });
    expect(await screen.findByText('Demo fabric')).toBeInTheDocument();
    expect(screen.getByTestId('kind-counts')).toBeInTheDocument();
    expect(screen.queryByTestId('pull-requests')).not.toBeInTheDocument();
    expect(pushing.listPulls).not.toHaveBeenCalled();
  });
});
