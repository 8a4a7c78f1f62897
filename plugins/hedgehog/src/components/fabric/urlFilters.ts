import { FindingsFilter } from '@fabric-gitops/plugin-hedgehog-common';

/** The findings filters of the fabric view's URL (`severity`, `rule`, `file`, `new`, `blocksApply`); other values are ignored. */
export function findingsFilterOf(params: URLSearchParams): FindingsFilter {
  const severity = params.get('severity');
  const isNew = params.get('new');
  const blocks = params.get('blocksApply');
  return {
    severity:
      severity === 'error' || severity === 'warning' ? severity : undefined,
    rule: params.get('rule') || undefined,
    file: params.get('file') || undefined,
    new: isNew === 'true' || isNew === 'false' ? isNew === 'true' : undefined,
    blocksApply:
      blocks === 'true' || blocks === 'false' ? blocks === 'true' : undefined,
  };
}

/** The resources table's findings filters of the URL (`findings` = errors | warnings, `rule`). */
export function resourceFindingsOf(params: URLSearchParams): {
  findings?: 'errors' | 'warnings';
  rule?: string;
} {
  const findings = params.get('findings');
  return {
    findings:
      findings === 'errors' || findings === 'warnings' ? findings : undefined,
    rule: params.get('rule') || undefined,
  };
}
