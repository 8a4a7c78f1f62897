import { classifyDocument } from '@fabric-gitops/plugin-hedgehog-common';
import { isDeepStrictEqual } from 'node:util';
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
  const canonical = canonicalResource(cls);
  parsed.managed = {
    doc: cls,
    canonical,
    source: sourceOf(canonical),
    key: key(cls.kind.kind, cls.name),
    target: managedPath(cls.kind, cls.name),
  };
  return parsed.managed;
}

/**
 * Whether a managed file holds exactly its resource's canonical form, however it
 * is written (key order, quoting, comments, blank lines, flow or block style, line
 * endings): then it is never rewritten. Remembered on the parsed file (per blob).
 */
export function isCanonical(parsed: ParsedFile & { ok: true }, memo: ManagedFileMemo): boolean {
  if (parsed.canonical === undefined) {
    const doc = parsed.documents.find(d => !d.empty);
    parsed.canonical = doc !== undefined && isDeepStrictEqual(doc.value, memo.canonical);
  }
  return parsed.canonical;
}

/** The comments of a managed file's one document. */
export function commentsOfManaged(parsed: ParsedFile & { ok: true }) {
  return parsed.documents.find(d => !d.empty)?.comments;
}
