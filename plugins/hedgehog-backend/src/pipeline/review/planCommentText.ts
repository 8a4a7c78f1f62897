import { FabricPlan, PlanAction, PlanItem, groupPlanByKind } from '@fabric-gitops/plugin-hedgehog-common';
import { MAX_BODY, cell, code, limit, value } from './markdown';

/** The first line of the plan comment of a fabric: how the plugin finds its comment again to update it. */
export function planCommentMarker(fabric: string): string {
  return `<!-- backstage-hedgehog-plan fabric=${fabric} -->`;
}

/** The most items listed per kind; the counts stay exact. */
const MAX_PER_KIND = 50;
/** The most changes listed per update. */
const MAX_CHANGES = 5;
/** Room kept for the sections of the kinds still to come and the closing lines. */
const SECTION_RESERVE = 4000;

const VERB: Record<PlanAction, string> = {
  create: 'create',
  update: 'update',
  delete: 'delete (prune)',
  blocked: 'blocked',
  conflict: 'conflict',
};

const ORDER: PlanAction[] = ['create', 'update', 'delete', 'blocked', 'conflict'];

/** The outcome a plan comment shows: a plan, or why there is none for this head. */
export type PlanCommentInput =
  | { fabric: string; head: string; plan: FabricPlan; portalUrl?: string }
  | { fabric: string; head: string; failure: string; portalUrl?: string };

/**
 * The pull request comment with what applying the pull request's head would do to
 * the fabric's cluster: the counts, then one collapsed section per kind (in the
 * apply's order) listing its objects with their action, the changed fields of an
 * update and the reason of a blocked object, a conflict or a delete. Capped in size,
 * with the fabric's page in Backstage for the rest. Nothing volatile but the head,
 * so the same plan on the same head renders the same text. Pure.
 */
export function planCommentText(input: PlanCommentInput): string {
  const portal = input.portalUrl ? ` ([fabric ${cell(input.fabric)} in Backstage](${input.portalUrl}))` : '';
  const out = [
    planCommentMarker(input.fabric),
    `### Hedgehog plan for fabric **${cell(input.fabric)}**`,
    '',
  ];
  if ('failure' in input) {
    out.push(`No plan for ${code(input.head.slice(0, 12))}: ${cell(input.failure)}${portal}`, '');
    return out.join('\n');
  }
  const { plan } = input;
  const counts = ORDER.filter(a => plan.counts[a] > 0).map(a => `**${plan.counts[a]}** ${VERB[a]}`);
  out.push(
    `If this pull request is merged, the next apply to cluster ${code(plan.cluster)} ` +
      `(as of ${code(input.head.slice(0, 12))}) does: ${counts.length ? counts.join(', ') : 'nothing'}` +
      `; ${plan.unchanged} object${plan.unchanged === 1 ? '' : 's'} already match.${portal}`,
    '',
  );
  if (plan.prune.enabled && plan.prune.total > 0 && plan.prune.confirmationRequired) {
    out.push(
      `> The prune deletes ${plan.prune.total} of the fabric's ${plan.prune.owned} objects, more than its limit of ` +
        `${Math.round(plan.prune.limit * 100)}%: the apply deletes them only when confirmed.`,
      '',
    );
  }
  if (plan.prune.heldBack > 0) {
    out.push(`> ${plan.prune.heldBack} object(s) no longer in Git are kept: ${cell(plan.prune.heldBackReason ?? 'their kind is incomplete')}`, '');
  }
  // Every kind gets its section; rows stop where the comment would grow past its budget.
  let size = out.join('\n').length;
  for (const group of groupPlanByKind(plan.items)) {
    const summary = ORDER.filter(a => group.counts[a] > 0).map(a => `${group.counts[a]} ${VERB[a]}`).join(', ');
    const section = [`<details><summary>${cell(group.kind)}: ${summary}</summary>`, '', '| Object | Action | Details |', '|---|---|---|'];
    let listed = 0;
    for (const item of group.items.slice(0, MAX_PER_KIND)) {
      const row = itemRow(item);
      if (size + row.length + SECTION_RESERVE > MAX_BODY) break;
      section.push(row);
      size += row.length + 1;
      listed++;
    }
    if (group.items.length > listed) section.push('', `… and ${group.items.length - listed} more${portal}`);
    section.push('', '</details>', '');
    out.push(...section);
    size = out.join('\n').length;
  }
  if (plan.totalItems > plan.items.length) {
    out.push(`The plan has ${plan.totalItems} items; ${plan.items.length} are listed here${portal}.`, '');
  }
  return limit(out.join('\n'), `the full plan is on the fabric's page in Backstage${input.portalUrl ? `: ${input.portalUrl}` : ''}`);
}

function itemRow(item: PlanItem): string {
  const details =
    item.action === 'update'
      ? [
          ...item.changes.slice(0, MAX_CHANGES).map(c => `${code(c.path)}: ${value(c.from)} → ${value(c.to)}`),
          ...((item.changeTotal ?? item.changes.length) > MAX_CHANGES
            ? [`… ${(item.changeTotal ?? item.changes.length) - MAX_CHANGES} more change(s)`]
            : []),
        ].join('<br>')
      : cell(item.reason ?? '');
  return `| ${code(item.name)} | ${VERB[item.action]} | ${details} |`;
}
