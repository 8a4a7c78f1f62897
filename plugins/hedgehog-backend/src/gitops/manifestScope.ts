import { Finding, KindScopeSetting, MANIFEST_PATH, MANIFEST_SCOPE_KEY, isPlainObject, readKindScope } from '@fabric-gitops/plugin-hedgehog-common';
import { ParsedFile } from './parse';
import { TreeEntry } from './tree';

/** The manifest's entry among a fabric directory's entries, when it has one. */
export function manifestEntry(entries: TreeEntry[]): TreeEntry | undefined {
  return entries.find(e => e.path === MANIFEST_PATH);
}

/**
 * The kinds the fabric directory's `.gitops/manifest.yaml` says the fabric manages
 * (key `scope`: a preset or a list of kinds); none when it has no manifest or the
 * manifest no `scope`. A manifest that cannot be read, or a `scope` that is not a
 * preset or a list of managed kinds, says nothing, with an error finding naming
 * the file and field. Pure.
 */
export function readManifestScope(parsed: ParsedFile | undefined): { setting?: KindScopeSetting; finding?: Finding } {
  if (!parsed) return {};
  const problem = (message: string, path = ''): { finding: Finding } => ({
    finding: { severity: 'error', rule: 'manifest.scope', file: MANIFEST_PATH, path, message: `${MANIFEST_PATH}: ${message}` },
  });
  if (!parsed.ok) return problem(`${parsed.reason}; the kinds the fabric manages are taken from app-config, the catalog entity or the default (all)`);
  const doc = parsed.documents.find(d => !d.empty);
  if (!doc) return {};
  if (doc.error) return problem(`${doc.error}; its ${MANIFEST_SCOPE_KEY} is not read`);
  if (!isPlainObject(doc.value) || doc.value[MANIFEST_SCOPE_KEY] === undefined || doc.value[MANIFEST_SCOPE_KEY] === null) return {};
  const read = readKindScope(doc.value[MANIFEST_SCOPE_KEY]);
  if ('problem' in read) {
    return problem(`${MANIFEST_SCOPE_KEY} ${read.problem}; it is ignored (the kinds are taken from app-config, the catalog entity or the default, all)`, MANIFEST_SCOPE_KEY);
  }
  return { setting: read.setting };
}
