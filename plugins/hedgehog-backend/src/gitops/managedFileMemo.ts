import { classifyDocument } from '@fabric-gitops/plugin-hedgehog-common';
import { managedPath } from './layout';
import { canonicalResource, sourceOf } from './normalize';
import { ManagedFileMemo, ParsedFile } from './parse';
import { key } from './planUtil';

/* What the planner remembers of a managed file on its parsed form (per blob). */

/**
 * A managed file holding exactly one valid managed resource: that resource in
 * canonical form, remembered on the parsed file (per blob). Undefined otherwise.
 */
export function readManagedFile(parsed: ParsedFile & { ok: true }): ManagedFileMemo | undefined {
  const docs = parsed.documents.filter(d => !d.empty);
  if (docs.length !== 1 || docs[0].error) return undefined;
  const cls = classifyDocument(docs[0].value);
  if (cls.type !== 'managed') return undefined;
  // A file known to be canonical already holds its canonical form (no deep copy needed).
  const canonical = parsed.canonical ? cls.object : canonicalResource(cls);
  parsed.managed = {
    doc: cls,
    canonical,
    source: sourceOf(canonical),
    key: key(cls.kind.kind, cls.name),
    target: managedPath(cls.kind, cls.name),
  };
  return parsed.managed;
}

/** Whether a managed file's text is its canonical rendering; remembered on the parsed file (per blob). */
export function isCanonical(parsed: ParsedFile & { ok: true }, text: () => string): boolean {
  if (parsed.canonical === undefined) parsed.canonical = parsed.text === text();
  return parsed.canonical;
}
