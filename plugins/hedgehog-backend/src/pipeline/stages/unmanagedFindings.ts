import { Finding, UnmanagedFile } from '@fabric-gitops/plugin-hedgehog-common';

/** The rule of a kept file's finding when its reason does not name one (older reason files, a file without one). */
const KEPT_RULE = 'kept';

/**
 * The findings of the files kept in unmanaged/, one warning per reason of each
 * (per document, or for the whole file), read from their reason files: so they
 * stay among the fabric's current findings as long as the files are kept, not
 * only on the sync that moved them. Each is located at the original file (and its
 * document), as the sync that moved it reported it. Pure.
 */
export function unmanagedFindings(kept: UnmanagedFile[]): Finding[] {
  return kept.flatMap(u =>
    u.reasons.map(r => ({
      severity: 'warning' as const,
      rule: `unmanaged.${r.rule ?? KEPT_RULE}`,
      file: u.originalPath,
      ...(r.document !== undefined ? { document: r.document } : {}),
      path: '',
      message: r.message,
    })),
  );
}

/**
 * A state's findings with those of its kept files: the plan's findings of files it
 * keeps in unmanaged/ are replaced by those of the kept files' reasons (the same,
 * read back), and every other kept file adds its own. Findings of files the plan
 * would keep but Git does not hold in unmanaged/ (a fabric that does not push)
 * stay as the plan has them. Pure.
 */
export function withUnmanagedFindings<F extends Finding>(findings: F[], kept: UnmanagedFile[]): Array<F | Finding> {
  const keptSources = new Set(kept.map(u => u.originalPath));
  const others = findings.filter(f => !(f.rule.startsWith('unmanaged.') && keptSources.has(f.file)));
  return [...others, ...unmanagedFindings(kept)];
}
