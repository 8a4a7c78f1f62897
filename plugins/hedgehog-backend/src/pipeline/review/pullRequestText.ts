import { countFindings, Difference, Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { RAW_DIR, isUnder } from '../../gitops/layout';
import { IngestPlan } from '../../gitops/plan';
import { documentLabel } from '@fabric-gitops/plugin-hedgehog-common';
import { cell, code, limit, value } from './markdown';

const MAX_ROWS = 100;

/** The first line of every pull request body the plugin writes (an HTML comment, invisible on GitHub). */
export function marker(fabric: string): string {
  return `<!-- backstage-hedgehog fabric=${fabric} -->`;
}

/** Where a fabric lives, for texts: `fabrics/lab` on `main`. */
function location(fabric: FabricDefinition): string {
  return `\`${fabric.git.path || '/'}\` on \`${fabric.git.branch}\``;
}

/**
 * Title and body of a sync's pull request: what was ingested, what was kept in
 * unmanaged/ and why, what else changed, and the validation findings. Nothing
 * volatile, so an unchanged sync renders an unchanged body. Pure.
 */
export function syncPullRequestText(
  fabric: FabricDefinition,
  plan: IngestPlan,
  findings: Finding[],
  commitMessage: string,
): { title: string; body: string } {
  const title = commitMessage.split('\n')[0];
  const out: string[] = [
    marker(fabric.name),
    `The Backstage Hedgehog plugin proposes this change to the GitOps directory of fabric **${fabric.name}** (${location(fabric)}). ` +
      `It is one commit on top of \`${fabric.git.branch}\`; merging it is your decision, and the next sync after the merge imports the result. ` +
      'While this pull request is open, every sync that would change the repository updates it in place.',
    '',
  ];

  const written = new Set(plan.writes.map(w => w.path));
  const rawDone = new Set([
    ...plan.deletes.filter(p => isUnder(p, RAW_DIR)),
    ...plan.moves.filter(m => isUnder(m.from, RAW_DIR)).map(m => m.from),
    // a raw file that now holds only its documents in conflict
    ...plan.writes.filter(w => isUnder(w.path, RAW_DIR)).map(w => w.path),
  ]);
  const ingested = [...rawDone].sort().flatMap(file => {
    const resources = plan.resources.filter(r => r.source?.file === file && written.has(r.gitPath));
    return resources.length ? [{ file, resources }] : [];
  });
  if (ingested.length > 0) {
    out.push(`### Ingested from ${RAW_DIR}/`, '', '| Raw file | Resources | Managed files |', '|---|---|---|');
    for (const { file, resources } of ingested.slice(0, MAX_ROWS)) {
      out.push(
        `| ${code(file)} | ${resources.length} | ${resources.map(r => `${r.kind} ${cell(r.name)} → ${code(r.gitPath)}`).join('<br>')} |`,
      );
    }
    more(out, ingested.length);
    out.push('');
  }

  const unmanaged = plan.unmanaged;
  if (unmanaged.length > 0) {
    out.push('### Kept in unmanaged/', '', '| File | Kept as | Why |', '|---|---|---|');
    for (const m of unmanaged.slice(0, MAX_ROWS)) {
      const reasons = findings.filter(f => f.file === m.from && f.rule.startsWith('unmanaged.'));
      const why = reasons.length
        ? reasons.map(r => `${r.document !== undefined ? `${documentLabel(r.document)}: ` : ''}${r.message}`).join('; ')
        : 'not a managed resource';
      // only some documents of the file: which
      let what = '';
      if (m.documents) what = m.documents.length > 5 ? ` (${m.documents.length} documents)` : ` (${m.documents.map(documentLabel).join(', ')})`;
      out.push(`| ${code(m.from)}${what} | ${code(m.to)} | ${cell(why)} |`);
    }
    more(out, unmanaged.length);
    out.push('');
  }

  const other = plan.log.filter(l => /^(normalized|moved|created|recognised) /.test(l));
  if (other.length > 0) {
    out.push('### Other changes', '', ...other.slice(0, MAX_ROWS).map(l => `- ${cell(l)}`));
    more(out, other.length);
    out.push('');
  }

  if (plan.conflicts.length > 0) {
    out.push(`### Conflicts (left in ${RAW_DIR}/, nothing overwritten)`, '', ...plan.conflicts.slice(0, MAX_ROWS).map(c => `- ${cell(c.message)}`));
    more(out, plan.conflicts.length);
    out.push('');
  }

  out.push('### Validation', '', ...findingsTable(findings));

  out.push('', '<details><summary>Everything this commit does</summary>', '', ...plan.log.slice(0, 500).map(l => `- ${cell(l)}`));
  if (plan.log.length > 500) out.push(`- … and ${plan.log.length - 500} more`);
  out.push('', '</details>', '');
  return { title, body: limit(out.join('\n'), 'the run in Backstage lists everything') };
}

/** Title and body of the pull request that adopts a cluster value into Git. Pure. */
export function adoptPullRequestText(input: {
  fabric: FabricDefinition;
  kind: string;
  name: string;
  gitPath: string;
  differences: Difference[];
  requestedBy?: string;
  findings: Finding[];
}): { title: string; body: string } {
  const { fabric, kind, name } = input;
  const fullPath = fabric.git.path ? `${fabric.git.path}/${input.gitPath}` : input.gitPath;
  const out = [
    marker(fabric.name),
    `Adopts the live value of ${kind} **${name}**${fabric.cluster ? ` from cluster \`${fabric.cluster}\`` : ''} into ${code(fullPath)} ` +
      `(fabric **${fabric.name}**, ${location(fabric)})${input.requestedBy ? `, as ${cell(input.requestedBy)} asked in Backstage` : ''}. ` +
      'Status, server-set metadata and the labels the Hedgehog webhooks compute are left out. Merging it is your decision.',
    '',
  ];
  if (input.differences.length > 0) {
    out.push('### What changes in Git', '', '| Path | Git now | Cluster (adopted) |', '|---|---|---|');
    for (const d of input.differences.slice(0, MAX_ROWS)) {
      out.push(`| ${code(d.path)} | ${value(d.desired)} | ${value(d.actual)} |`);
    }
    more(out, input.differences.length);
    out.push('');
  }
  out.push('### Validation of the adopted value', '', ...findingsTable(input.findings), '');
  return { title: `hedgehog(${fabric.name}): adopt ${kind} ${name} from the cluster`, body: limit(out.join('\n'), 'the run in Backstage lists everything') };
}

/** A commit status description (at most 140 characters): the counts. Pure. */
export function statusDescription(findings: Finding[], resources: number): string {
  const { errors, warnings } = countFindings(findings);
  const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  return errors > 0
    ? `${counts} in ${resources} resource${resources === 1 ? '' : 's'}`
    : `valid: ${resources} resource${resources === 1 ? '' : 's'}, ${counts}`;
}

function findingsTable(findings: Finding[]): string[] {
  if (findings.length === 0) return ['No findings.'];
  const errors = findings.filter(f => f.severity === 'error');
  const sorted = [...errors, ...findings.filter(f => f.severity !== 'error')];
  // exact: a summary finding counts the findings it says were left out
  const totals = countFindings(findings);
  const rows = [
    `**${totals.errors} error(s), ${totals.warnings} warning(s).**`,
    '',
    '| Severity | File | Path | Rule | Message |',
    '|---|---|---|---|---|',
    ...sorted
      .slice(0, MAX_ROWS)
      .map(
        f =>
          `| ${f.severity} | ${code(f.file)}${f.document !== undefined ? ` (${documentLabel(f.document)})` : ''} | ${f.path ? code(f.path) : ''} | ${cell(f.rule)} | ${cell(f.message)} |`,
      ),
  ];
  more(rows, findings.length);
  return rows;
}

function more(out: string[], total: number) {
  if (total > MAX_ROWS) out.push(`\n… and ${total - MAX_ROWS} more`);
}
