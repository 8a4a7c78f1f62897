import { LoggerService } from '@backstage/backend-plugin-api';
import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ClusterError } from '../../cluster/ClusterClient';
import { GitHubRepoClient } from '../../github/GitHubApi';
import { IngestPlan } from '../../gitops/plan';
import { TreeEntry } from '../../gitops/tree';
import { HeadPlanner } from './HeadPlanner';
import { planCommentMarker, planCommentText } from './planCommentText';

/**
 * Writes the plan comment of a pull request: what an apply of its head would do to
 * the fabric's cluster, in one comment the plugin updates in place as commits arrive.
 * Best effort after the commit status: a cluster that cannot be listed gives a
 * comment that says so in general words (the details stay in the log); a comment
 * GitHub refuses is logged. Nothing for a fabric without a cluster.
 */
export async function postPlanComment(input: {
  planner: HeadPlanner;
  client: GitHubRepoClient;
  fabric: FabricDefinition;
  number: number;
  head: string;
  result: { plan: IngestPlan; entries: TreeEntry[]; findings: Finding[] };
  portalUrl?: string;
  logger: LoggerService;
}): Promise<void> {
  const { planner, client, fabric, number, head, result, portalUrl, logger } = input;
  let body: string;
  try {
    const plan = await planner.plan(fabric, { commit: head, ...result });
    if (!plan) return;
    body = planCommentText({ fabric: fabric.name, head, plan, ...(portalUrl ? { portalUrl } : {}) });
  } catch (e) {
    if (!(e instanceof ClusterError)) throw e;
    logger.warn(`hedgehog: no plan for pull request #${number} of ${fabric.name}: ${e.message}`);
    body = planCommentText({
      fabric: fabric.name,
      head,
      failure: `cluster ${fabric.cluster} could not be listed; the Backstage backend's log has the details`,
      ...(portalUrl ? { portalUrl } : {}),
    });
  }
  try {
    const { action } = await client.upsertComment(number, planCommentMarker(fabric.name), body);
    logger.info(`hedgehog: plan comment of pull request #${number} for ${fabric.name}: ${action}`);
  } catch (e) {
    logger.warn(`hedgehog: the plan comment of pull request #${number} for ${fabric.name} could not be written: ${e instanceof Error ? e.message : e}`);
  }
}
