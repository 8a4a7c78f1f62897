import { IngestPlan } from './plan';

const MAX_LINES = 200;

/** The message of a sync's single commit: what happened, no timestamps. */
export function commitMessage(fabric: string, plan: IngestPlan): string {
  const c = plan.counts;
  const parts: string[] = [];
  if (c.ingestedFiles > 0) parts.push(`ingest ${c.ingestedFiles} raw file(s), ${c.resourcesCreated} new resource(s)`);
  else if (c.unmanagedFiles > 0) parts.push(`keep ${c.unmanagedFiles} file(s) in unmanaged/`);
  if (c.managedRewritten > 0) parts.push(`normalize ${c.managedRewritten} managed file(s)`);
  if (c.layoutRepaired > 0) parts.push('repair the directory layout');
  const title = `hedgehog(${fabric}): ${parts.join('; ') || 'update'}`;
  const lines = plan.log.slice(0, MAX_LINES).map(l => `- ${l}`);
  if (plan.log.length > MAX_LINES) lines.push(`- ... and ${plan.log.length - MAX_LINES} more`);
  return `${title}\n\n${lines.join('\n')}\n`;
}
