import { IngestPlan } from './plan';

const MAX_LINES = 200;

/**
 * The message of a sync's single commit: what happened, no timestamps. The title
 * sums up; the body has one line per thing done, among them one per document kept
 * in unmanaged/ or left in raw/ by a conflict, with why.
 */
export function commitMessage(fabric: string, plan: IngestPlan): string {
  const c = plan.counts;
  const parts: string[] = [];
  if (c.ingestedFiles > 0) parts.push(`ingest ${c.ingestedFiles} raw file(s), ${c.resourcesCreated} new resource(s)`);
  if (c.unmanagedFiles > 0) {
    const documents = c.unmanagedDocuments > 0 ? ` (${c.unmanagedDocuments} document(s))` : '';
    parts.push(`keep ${c.unmanagedFiles} file(s)${documents} in unmanaged/`);
  }
  if (c.conflictDocuments > 0) {
    parts.push(`leave ${c.conflictDocuments} document(s) in conflict in raw/`);
  }
  if (c.managedRewritten > 0) parts.push(`normalize ${c.managedRewritten} managed file(s)`);
  if (c.layoutRepaired > 0) parts.push('repair the directory layout');
  const title = `hedgehog(${fabric}): ${parts.join('; ') || 'update'}`;
  const lines = plan.log.slice(0, MAX_LINES).map(l => `- ${l}`);
  if (plan.log.length > MAX_LINES) lines.push(`- ... and ${plan.log.length - MAX_LINES} more`);
  return `${title}\n\n${lines.join('\n')}\n`;
}
