import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  FabricPlan,
  PLAN_ACTIONS,
  PlanAction,
  PlanItem,
  PlanTarget,
  groupPlanByKind,
} from '@fabric-gitops/plugin-hedgehog-common';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel } from '../shared/errors';
import { formatValue } from '../shared/format';

/** "1 create, 2 update": the actions with a count, in the plan's order. */
export function planCountsText(counts: Record<PlanAction, number>): string {
  const parts = PLAN_ACTIONS.filter(a => counts[a] > 0).map(
    a => `${counts[a]} ${a}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'nothing to do';
}

const ACTION_COLOR: Record<PlanAction, string> = {
  create: '#2e7d32',
  update: '#1565c0',
  delete: '#c62828',
  blocked: '#6d4c41',
  conflict: '#ef6c00',
};

function Item(props: { item: PlanItem }) {
  const { item } = props;
  return (
    <li>
      <Typography variant="body2" component="span">
        <strong style={{ color: ACTION_COLOR[item.action] }}>
          {item.action}
        </strong>{' '}
        <code>{item.name}</code>
        {item.reason ? ` — ${item.reason}` : ''}
      </Typography>
      {item.changes.length > 0 && (
        <Box component="ul" m={0} pl={2}>
          {item.changes.map(c => (
            <li key={c.path}>
              <Typography variant="caption">
                <code>{c.path}</code>: {formatValue(c.from)} →{' '}
                {formatValue(c.to)}
              </Typography>
            </li>
          ))}
          {item.changeTotal && item.changeTotal > item.changes.length ? (
            <li>
              <Typography variant="caption">
                … and {item.changeTotal - item.changes.length} more change(s)
              </Typography>
            </li>
          ) : null}
        </Box>
      )}
    </li>
  );
}

/** A plan: its counts, then its items grouped by kind (in the apply's order), each kind with its counts. */
export function PlanView(props: { plan: FabricPlan }) {
  const { plan } = props;
  const groups = groupPlanByKind(plan.items);
  return (
    <Box data-testid="apply-plan">
      <Typography variant="subtitle2">
        Plan: {planCountsText(plan.counts)}
        {plan.unchanged > 0 ? `; ${plan.unchanged} unchanged` : ''}
      </Typography>
      <Box style={{ maxHeight: 320, overflowY: 'auto' }}>
        {groups.map(g => (
          <Box key={g.kind} mt={1} data-testid={`plan-kind-${g.kind}`}>
            <Typography variant="body2">
              <strong>{g.kind}</strong> ({planCountsText(g.counts)})
            </Typography>
            <Box component="ul" m={0} pl={2}>
              {g.items.map(i => (
                <Item key={`${i.action}/${i.name}`} item={i} />
              ))}
            </Box>
          </Box>
        ))}
      </Box>
      {plan.totalItems > plan.items.length && (
        <Typography variant="caption">
          Showing {plan.items.length} of {plan.totalItems} objects; the counts
          are exact.
        </Typography>
      )}
      {plan.prune.heldBackReason && (
        <Typography variant="body2" color="textSecondary">
          {plan.prune.heldBackReason}
        </Typography>
      )}
    </Box>
  );
}

/** The plan of an apply of the fabric (`POST .../plan`), or of a branch's or pull request's head, as it loads. */
export function PlanSummary(props: { fabric: string; target?: PlanTarget }) {
  const { fabric, target } = props;
  const api = useApi(hedgehogApiRef);
  const key = JSON.stringify(target ?? null);
  const state = useAsync(
    () => (target ? api.planFabric(fabric, target) : api.planFabric(fabric)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, fabric, key],
  );
  if (state.loading) {
    return (
      <Box>
        <Typography variant="body2">Planning the apply…</Typography>
        <Progress />
      </Box>
    );
  }
  if (state.error) {
    return <ApiErrorPanel error={state.error} title="The plan failed" />;
  }
  return <PlanView plan={state.value!} />;
}
