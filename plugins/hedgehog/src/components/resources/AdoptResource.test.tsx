import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  AdoptResult,
  DriftStatus,
} from '@fabric-gitops/plugin-hedgehog-common';
import {
  apiError,
  fabric,
  leaf01,
  mockHedgehogApi,
  pullRequests,
  reviewedFabric,
} from '../../__testUtils__/testUtils';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { ResourceDetails } from './ResourceDetails';

jest.mock('@backstage/plugin-permission-react', () =>
  require('../../__testUtils__/testPermissions').uncachedPermissionReact(),
);

const adoptedByPullRequest: AdoptResult = {
  fabric: 'demo',
  kind: 'Switch',
  name: 'leaf-01',
  gitPath: 'managed/switches/leaf-01.yaml',
  writeMode: 'pull-request',
  changed: true,
  commit: '5d41402abc4b2a76b9719d911017c592ae5d41c0',
  pullRequest: pullRequests[1],
};

function resource(status: DriftStatus) {
  return {
    ...leaf01,
    drift: { status, score: status === 'drifted' ? 0.125 : null },
    desired: status === 'orphaned_in_cluster' ? null : leaf01.desired,
    live: status === 'missing_in_cluster' ? undefined : leaf01.live,
  };
}

async function render(options: {
  status?: DriftStatus;
  adoptResource?: jest.Mock;
  deny?: string[];
  git?: typeof fabric.git;
  onRunStarted?: jest.Mock;
}) {
  const api = mockHedgehogApi({
    getResource: jest.fn(async () => resource(options.status ?? 'drifted')),
    ...(options.adoptResource ? { adoptResource: options.adoptResource } : {}),
  });
  await renderWithApis(
    <ResourceDetails
      fabric="demo"
      kind="Switch"
      name="leaf-01"
      onBack={jest.fn()}
      git={options.git ?? reviewedFabric.git}
      onRunStarted={options.onRunStarted}
    />,
    { api, deny: options.deny },
  );
  expect(await screen.findByText('Switch leaf-01')).toBeInTheDocument();
  return api;
}

async function enabledAdoptButton() {
  const button = screen.getByRole('button', { name: 'Adopt into Git' });
  await waitFor(() => expect(button).toBeEnabled());
  return button;
}

describe('Adopt into Git', () => {
  it.each<DriftStatus>(['in_sync', 'missing_in_cluster', 'unknown'])(
    'is not offered for a resource that is %s',
    async status => {
      await render({ status });
      expect(
        screen.queryByRole('button', { name: 'Adopt into Git' }),
      ).not.toBeInTheDocument();
    },
  );

  it('is disabled without the adopt permission on the fabric, and says why', async () => {
    const api = await render({ deny: ['hedgehog.fabric.adopt@demo'] });
    expect(
      await screen.findByTitle(
        'You are not allowed to adopt into Git in fabric demo (hedgehog.fabric.adopt)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Adopt into Git' }),
    ).toBeDisabled();
    expect(api.adoptResource).not.toHaveBeenCalled();
  });

  it('needs adopt, not sync: enabled with adopt alone, or with adopt denied on another fabric only', async () => {
    await render({
      deny: ['hedgehog.fabric.sync', 'hedgehog.fabric.adopt@other'],
    });
    expect(await enabledAdoptButton()).toBeEnabled();
  });

  it('is disabled for a fabric whose repository is only read', async () => {
    await render({ git: { ...fabric.git, writeMode: 'none' } });
    expect(
      await screen.findByTitle(
        'Fabric demo has write mode "none": its repository is only read',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Adopt into Git' }),
    ).toBeDisabled();
  });

  it('asks first, explains the pull request, then shows the pull request it opened', async () => {
    const adoptResource = jest.fn(async () => adoptedByPullRequest);
    await render({ adoptResource });
    fireEvent.click(await enabledAdoptButton());

    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(
        "Adopt the cluster's value of Switch leaf-01 into Git?",
      ),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent(
      'The live value from the cluster replaces the desired state in managed/switches/leaf-01.yaml in fabric demo, without status',
    );
    expect(dialog).toHaveTextContent(
      'a pull request into main is opened (or the open one updated)',
    );
    expect(dialog).toHaveTextContent('hedgehog-adopt/demo/switch-leaf-01');
    expect(adoptResource).not.toHaveBeenCalled();

    // Cancel does nothing
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(adoptResource).not.toHaveBeenCalled();

    fireEvent.click(await enabledAdoptButton());
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Adopt',
      }),
    );
    const outcome = await screen.findByTestId('adopt-outcome');
    expect(adoptResource).toHaveBeenCalledTimes(1);
    expect(adoptResource).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01');
    expect(within(outcome).getByTestId('adopt-pull-request')).toHaveAttribute(
      'href',
      'https://github.com/example/network/pull/15',
    );
    expect(outcome).toHaveTextContent(
      'Pull request #15 hedgehog(demo): adopt Switch leaf-01 from the cluster',
    );
    expect(outcome).toHaveTextContent(
      "(branch hedgehog-adopt/demo/switch-leaf-01) holds the cluster's value of Switch leaf-01 in managed/switches/leaf-01.yaml",
    );
  });

  it('in write mode push, shows the commit and follows the sync it queued', async () => {
    const onRunStarted = jest.fn();
    const adoptResource = jest.fn(async () => ({
      ...adoptedByPullRequest,
      writeMode: 'push' as const,
      pullRequest: undefined,
      runId: 'b81e0dfd-f57c-4149-8158-af6253c4abca',
    }));
    await render({ adoptResource, git: fabric.git, onRunStarted });
    fireEvent.click(await enabledAdoptButton());
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'It is committed and pushed straight to main, and a sync is queued to import it.',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Adopt' }));
    expect(await screen.findByTestId('adopt-outcome')).toHaveTextContent(
      "Commit 5d41402abc4b writes the cluster's value of Switch leaf-01 into managed/switches/leaf-01.yaml; a sync was queued to import it.",
    );
    expect(onRunStarted).toHaveBeenCalledWith(
      'b81e0dfd-f57c-4149-8158-af6253c4abca',
    );
  });

  it('says when Git already held the value', async () => {
    const adoptResource = jest.fn(async () => ({
      ...adoptedByPullRequest,
      changed: false,
      commit: undefined,
      pullRequest: undefined,
    }));
    await render({ adoptResource });
    fireEvent.click(await enabledAdoptButton());
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Adopt',
      }),
    );
    expect(await screen.findByTestId('adopt-outcome')).toHaveTextContent(
      "Git already holds the cluster's value of Switch leaf-01 in managed/switches/leaf-01.yaml: nothing was committed.",
    );
  });

  it('offers an object found only in the cluster as a new file', async () => {
    await render({ status: 'orphaned_in_cluster' });
    fireEvent.click(await enabledAdoptButton());
    expect(await screen.findByRole('dialog')).toHaveTextContent(
      'The object exists only in the cluster. Its live value becomes a new file managed/switches/leaf-01.yaml in fabric demo',
    );
  });

  it("shows the backend's error", async () => {
    const error = await apiError(
      409,
      'ConflictError',
      "the cluster's value of Switch leaf-01 is not known; run a drift check first",
    );
    const adoptResource = jest.fn(async () => Promise.reject(error));
    await render({ adoptResource });
    fireEvent.click(await enabledAdoptButton());
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Adopt',
      }),
    );
    expect(
      await findApiErrorPanel(
        "the cluster's value of Switch leaf-01 is not known; run a drift check first",
        'Could not adopt Switch leaf-01 into Git',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('adopt-outcome')).not.toBeInTheDocument();
    // the button is usable again
    await enabledAdoptButton();
  });
});
