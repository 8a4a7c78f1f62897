import { fireEvent, screen, within } from '@testing-library/react';
import {
  FabricGitLocation,
  RestoreResult,
} from '@fabric-gitops/plugin-hedgehog-common';
import {
  apiError,
  demoPlan,
  mockHedgehogApi,
  syncRun,
} from '../../__testUtils__/testUtils';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { RestoreCommitButton, RestoreTargetContext } from './RestoreCommit';

const run = syncRun();
const commit = run.commitAfter!;
const push: FabricGitLocation = {
  url: 'file://demo.git',
  branch: 'main',
  path: 'fabrics/demo',
  writeMode: 'push',
};

function result(over: Partial<RestoreResult> = {}): RestoreResult {
  return {
    fabric: 'demo',
    commit,
    head: 'ffffeeeeddddccccbbbbaaaa9999888877776666',
    writeMode: 'push',
    dryRun: true,
    changed: true,
    files: [
      { path: 'managed/vpcs/vpc-3.yaml', change: 'added' },
      { path: 'managed/switches/leaf-01.yaml', change: 'changed' },
      { path: 'managed/vpcs/vpc-9.yaml', change: 'removed' },
    ],
    plan: demoPlan,
    ...over,
  };
}

async function render(
  options: {
    git?: FabricGitLocation;
    deny?: string[];
    restore?: jest.Mock;
    fabric?: string;
  } = {},
) {
  const onRestored = jest.fn();
  const api = mockHedgehogApi({
    restoreCommit:
      options.restore ??
      jest.fn(async (_f: string, body: { dryRun?: boolean }) =>
        body.dryRun
          ? result()
          : result({
              dryRun: false,
              runId: 'c0ffee00-0000-4000-8000-000000000001',
            }),
      ),
  });
  await renderWithApis(
    <RestoreTargetContext.Provider
      value={{
        fabric: options.fabric ?? 'demo',
        git: options.git ?? push,
        onRestored,
      }}
    >
      <RestoreCommitButton run={run} />
    </RestoreTargetContext.Provider>,
    { api, deny: options.deny },
  );
  return { api, onRestored };
}

const button = () =>
  screen.getByRole('button', { name: /Restore this commit/ });

describe('Restore this commit', () => {
  it('shows the dry run (files and plan) before anything is restored, then the run it queued', async () => {
    const { api, onRestored } = await render();
    fireEvent.click(button());
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByRole('heading')[0]).toHaveTextContent(
      `Restore managed/ to commit ${commit.slice(0, 12)}?`,
    );
    const files = await within(dialog).findByTestId('restore-files');
    expect(files.textContent).toContain('add managed/vpcs/vpc-3.yaml');
    expect(files.textContent).toContain('change managed/switches/leaf-01.yaml');
    expect(files.textContent).toContain('remove managed/vpcs/vpc-9.yaml');
    expect(within(dialog).getByTestId('apply-plan')).toHaveTextContent(
      'Plan: 1 create',
    );
    expect(
      within(dialog).getByText(/One commit pushed to main, then a sync/),
    ).toBeInTheDocument();
    // only the dry run so far
    expect(api.restoreCommit).toHaveBeenCalledTimes(1);
    expect(api.restoreCommit).toHaveBeenLastCalledWith('demo', {
      commit,
      dryRun: true,
    });
    expect(onRestored).not.toHaveBeenCalled();

    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Restore 3 files' }),
    );
    const outcome = await within(dialog).findByTestId('restore-outcome');
    expect(outcome).toHaveTextContent(
      'Restore run c0ffee00-0000-4000-8000-000000000001 queued',
    );
    expect(api.restoreCommit).toHaveBeenLastCalledWith('demo', { commit });
    expect(onRestored).toHaveBeenCalledTimes(1);
    expect(within(dialog).queryByTestId('restore-files')).toBeNull();
  });

  it('links the pull request in pull-request mode', async () => {
    const pr = { ...push, writeMode: 'pull-request' as const };
    const pullRequest = {
      number: 7,
      title: 't',
      url: 'https://github.example/acme/demo/pull/7',
      branch: `hedgehog-restore/demo/${commit.slice(0, 12)}`,
      updatedAt: '2026-12-07T09:00:00Z',
      purpose: 'restore' as const,
    };
    await render({
      git: pr,
      restore: jest.fn(async (_f: string, body: { dryRun?: boolean }) =>
        body.dryRun
          ? result({ writeMode: 'pull-request', plan: undefined })
          : result({ writeMode: 'pull-request', dryRun: false, pullRequest }),
      ),
    });
    fireEvent.click(button());
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/with a pull request into main/),
    ).toBeInTheDocument();
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Restore 3 files' }),
    );
    const outcome = await within(dialog).findByTestId('restore-outcome');
    expect(outcome).toHaveTextContent(
      /^Pull request #7.* restores managed\/ to 43387a09070b \(3 files\)\.$/,
    );
    expect(within(outcome).getByRole('link')).toHaveAttribute(
      'href',
      pullRequest.url,
    );
  });

  it("has nothing to confirm when managed/ already is the commit's, and shows a refusal", async () => {
    await render({
      restore: jest.fn(async () =>
        result({ changed: false, files: [], plan: undefined }),
      ),
    });
    fireEvent.click(button());
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/nothing to restore/),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByRole('button', { name: /^Restore \d/ }),
    ).toBeNull();
  });

  it("shows the backend's refusal of the dry run", async () => {
    const error = await apiError(
      404,
      'NotFoundError',
      `commit ${commit} is not a synced commit of fabric demo`,
    );
    await render({
      restore: jest.fn(async () => {
        throw error;
      }),
    });
    fireEvent.click(button());
    const panel = await findApiErrorPanel(
      `commit ${commit} is not a synced commit of fabric demo`,
      'Could not plan the restore',
    );
    expect(panel).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Restore \d/ })).toBeNull();
  });

  it('is disabled without the restore permission on the fabric, and says why', async () => {
    // another fabric than the other tests' (permission decisions are cached per fabric)
    const { api } = await render({
      fabric: 'lab',
      deny: ['hedgehog.fabric.restore@lab'],
    });
    expect(
      await screen.findByTitle(
        'You are not allowed to restore fabric lab (hedgehog.fabric.restore)',
      ),
    ).toBeInTheDocument();
    expect(button()).toBeDisabled();
    expect(api.restoreCommit).not.toHaveBeenCalled();
  });

  it('is disabled for a read-only fabric', async () => {
    await render({ git: { ...push, writeMode: 'none' } });
    expect(
      await screen.findByTitle(
        'Fabric demo has write mode "none": its repository is only read',
      ),
    ).toBeInTheDocument();
    expect(button()).toBeDisabled();
  });

  it('is not offered for a run that recorded no synced commit', async () => {
    await renderWithApis(
      <RestoreTargetContext.Provider value={{ fabric: 'demo', git: push }}>
        <RestoreCommitButton run={syncRun({ status: 'failed' })} />
        <RestoreCommitButton run={syncRun({ type: 'apply' })} />
      </RestoreTargetContext.Provider>,
      { api: mockHedgehogApi() },
    );
    expect(
      screen.queryByRole('button', { name: /Restore this commit/ }),
    ).toBeNull();
  });
});
