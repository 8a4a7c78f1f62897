import { screen, within } from '@testing-library/react';
import { apiError, demoPlan, mockHedgehogApi } from '../../__testUtils__/testUtils';
import { findApiErrorPanel, renderWithApis } from '../../__testUtils__/testRender';
import { PlanSummary, planCountsText } from './PlanSummary';


describe('PlanSummary', () => {
  it('shows the plan grouped by kind, each kind with its counts, and the changes of updates', async () => {
    const api = mockHedgehogApi({ planFabric: jest.fn(async () => demoPlan) });
    await renderWithApis(<PlanSummary fabric="demo" />, { api });
    const plan = await screen.findByTestId('apply-plan');
    expect(api.planFabric).toHaveBeenCalledWith('demo');
    expect(plan).toHaveTextContent('Plan: 1 create, 1 update, 1 delete, 1 blocked, 1 conflict; 20 unchanged');
    const vpcs = screen.getByTestId('plan-kind-VPC');
    expect(vpcs).toHaveTextContent('VPC (1 create, 1 blocked, 1 conflict)');
    expect(vpcs).toHaveTextContent('blocked vpc-4 — not applied: 1 validation error(s)');
    const switches = screen.getByTestId('plan-kind-Switch');
    expect(switches).toHaveTextContent('Switch (1 update)');
    expect(within(switches).getByText('spec.asn')).toBeInTheDocument();
    expect(switches).toHaveTextContent('spec.asn: 65199 → 65101');
    expect(screen.getByTestId('plan-kind-VPCAttachment')).toHaveTextContent('delete vpc-2--server-4 — no longer in Git');
  });

  it('says how much of a cut plan it shows', async () => {
    const cut = { ...demoPlan, totalItems: 4000, counts: { ...demoPlan.counts, create: 3996 } };
    await renderWithApis(<PlanSummary fabric="demo" />, { api: mockHedgehogApi({ planFabric: jest.fn(async () => cut) }) });
    expect(await screen.findByText('Showing 5 of 4000 objects; the counts are exact.')).toBeInTheDocument();
  });

  it('shows the backend\'s message when there is no plan', async () => {
    const api = mockHedgehogApi({
      planFabric: jest.fn(async () => {
        throw await apiError(409, 'ConflictError', 'Fabric demo has no cluster, so there is no apply to plan');
      }),
    });
    await renderWithApis(<PlanSummary fabric="demo" />, { api });
    const panel = await findApiErrorPanel('Fabric demo has no cluster, so there is no apply to plan', 'The plan failed');
    expect(panel).toBeInTheDocument();
  });

  it('counts only the actions the plan has', () => {
    expect(planCountsText({ create: 0, update: 2, delete: 0, blocked: 0, conflict: 0 })).toBe('2 update');
    expect(planCountsText({ create: 0, update: 0, delete: 0, blocked: 0, conflict: 0 })).toBe('nothing to do');
  });
});
