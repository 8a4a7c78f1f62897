import { fireEvent, screen, waitFor } from '@testing-library/react';
import { RunDetail, RunStage } from '@fabric-gitops/plugin-hedgehog-common';
import {
  apiError,
  demoPlan,
  fabric,
  mockHedgehogApi,
  syncRun,
} from '../../__testUtils__/testUtils';
import { renderWithApis } from '../../__testUtils__/testRender';
import { ApplyDialog } from './ApplyDialog';

const DRY_RUN_ID = '11111111-2222-4333-8444-555555555555';

function applyStage(over: Partial<RunStage> = {}): RunStage {
  return {
    name: 'apply',
    status: 'succeeded',
    startedAt: '2026-11-23T02:57:31.000Z',
    finishedAt: '2026-11-23T02:57:32.000Z',
    counts: { applied: 3, unchanged: 20, blocked: 0 },
    errors: [],
    message: 'dry run: 3 object(s) would change',
    ...over,
  };
}

function dryRun(stage: RunStage): RunDetail {
  return syncRun({ id: DRY_RUN_ID, type: 'apply', stages: [stage] });
}

async function render(
  run: RunDetail | (() => Promise<RunDetail>),
  onApply = jest.fn(),
) {
  const api = mockHedgehogApi({
    apply: jest.fn(async () => ({ runId: DRY_RUN_ID })),
    planFabric: jest.fn(async () => demoPlan),
    getRun: jest.fn(typeof run === 'function' ? run : async () => run),
  });
  await renderWithApis(
    <ApplyDialog
      fabric={fabric}
      open
      pollIntervalMs={5}
      onClose={() => {}}
      onApply={onApply}
    />,
    { api },
  );
  return { api, onApply };
}

describe('ApplyDialog', () => {
  it('runs a dry run first and lists every object the apply would delete; deletes are confirmed with their number', async () => {
    const prune = {
      objects: [
        { kind: 'VPCAttachment', name: 'vpc-2--server-4' },
        { kind: 'VPC', name: 'vpc-2' },
      ],
      total: 2,
      deleted: false,
      owned: 10,
      limit: 0.1,
      confirmationRequired: true,
      heldBack: [],
    };
    const { api, onApply } = await render(dryRun(applyStage({ prune })));
    expect(
      await screen.findByText(
        /2 object\(s\) would be deleted \(no longer in Git\): more than 10% of the fabric's 10 object\(s\)/,
      ),
    ).toBeInTheDocument();
    expect(api.apply).toHaveBeenCalledWith('demo', { dryRun: true });
    // the plan comes first, grouped by kind
    expect(await screen.findByTestId('apply-plan')).toHaveTextContent('Plan: 1 create, 1 update, 1 delete');
    expect(api.planFabric).toHaveBeenCalledWith('demo');
    expect(screen.getByTestId('plan-kind-VPC')).toHaveTextContent('VPC (1 create, 1 blocked, 1 conflict)');
    expect(screen.getByTestId('prune-list').textContent).toBe(
      'VPCAttachment/vpc-2--server-4VPC/vpc-2',
    );
    expect(
      screen.getByText(
        /3 object\(s\) would be created or changed, 20 are unchanged/,
      ),
    ).toBeInTheDocument();

    const apply = screen.getByRole('button', { name: 'Apply and delete 2' });
    expect(apply).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Number of objects to delete'), {
      target: { value: '3' },
    });
    expect(apply).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Number of objects to delete'), {
      target: { value: '2' },
    });
    expect(apply).toBeEnabled();
    fireEvent.click(apply);
    expect(onApply).toHaveBeenCalledWith({ confirmPrune: 2 });
  });

  it('applies without a confirmation when nothing would be deleted, and says why prune is held back', async () => {
    const prune = {
      objects: [],
      total: 0,
      deleted: false,
      owned: 4,
      limit: 0.1,
      confirmationRequired: false,
      heldBack: [
        {
          kind: 'VPC',
          files: ['managed/vpcs/typo.yaml'],
          fileCount: 1,
          kept: 1,
        },
      ],
    };
    const { onApply } = await render(dryRun(applyStage({ prune })));
    expect(
      await screen.findByText('Nothing would be deleted.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Prune of VPC is held back \(1 object\(s\) kept\): managed\/vpcs\/typo.yaml/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByLabelText('Number of objects to delete'),
    ).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(onApply).toHaveBeenCalledWith({});
  });

  it('says that nothing is pruned while the desired state is not known to be complete', async () => {
    const prune = {
      objects: [],
      total: 0,
      deleted: false,
      owned: 4,
      limit: 0.1,
      confirmationRequired: false,
      heldBack: [],
      completenessUnknown: true,
    };
    await render(dryRun(applyStage({ prune })));
    expect(
      await screen.findByText(/Nothing is pruned until a sync has imported/),
    ).toBeInTheDocument();
  });

  it('says when prune is off, and shows objects of another fabric', async () => {
    await render(
      dryRun(
        applyStage({
          status: 'partial',
          errors: [
            {
              message:
                'VPC shared in the cluster belongs to fabric dc2 (label hedgehog.backstage.io/fabric=dc2); fabric demo does not change, delete or adopt it',
              file: 'VPC/shared',
            },
          ],
        }),
      ),
    );
    expect(
      await screen.findByText(
        'Prune is off for this fabric: nothing is deleted.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Warning: 1 object(s) belong to another fabric and are not applied',
      ),
    ).toBeInTheDocument();
  });

  it('waits for the dry run, and offers no apply when it failed', async () => {
    const running = syncRun({
      id: DRY_RUN_ID,
      type: 'apply',
      status: 'running',
      finishedAt: undefined,
      stages: [],
    });
    let reads = 0;
    const failed = syncRun({
      id: DRY_RUN_ID,
      type: 'apply',
      status: 'failed',
      error: 'listing vpcs on cluster lab failed: ECONNREFUSED',
      stages: [],
    });
    const { api } = await render(async () => (++reads < 3 ? running : failed));
    expect(
      await screen.findByText(
        'listing vpcs on cluster lab failed: ECONNREFUSED',
      ),
    ).toBeInTheDocument();
    expect(reads).toBe(3);
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Dry run again' }));
    await waitFor(() => expect(api.apply).toHaveBeenCalledTimes(2));
  });

  it("shows the backend's message when the dry run cannot start", async () => {
    const api = mockHedgehogApi({
      apply: jest.fn(async () => {
        throw await apiError(400, 'InputError', 'Fabric demo has no cluster');
      }),
    });
    await renderWithApis(
      <ApplyDialog
        fabric={fabric}
        open
        pollIntervalMs={5}
        onClose={() => {}}
        onApply={() => {}}
      />,
      { api },
    );
    expect(
      await screen.findByText('Fabric demo has no cluster'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
  });
});
