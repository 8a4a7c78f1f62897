import { findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { gitBlobId } from './blobId';
import { commentLines } from './comments';
import { MANIFEST_PATH, managedPath } from './layout';
import { parseYamlFile } from './parse';
import { ParseCache } from './ParseCache';
import { IngestPlan } from './plan';
import { key } from './planUtil';
import { TreeEntry } from './tree';

/**
 * Puts the managed files (and the manifest) a commit of `plan` wrote into the parse cache, so the
 * next sync does not read back what this one wrote. A managed file the plan wrote
 * holds its canonical object (rendered, or as the user wrote it when it was only
 * moved), which its text parses back to; the entry also carries the planner's memo
 * (canonical content, the classified resource), so the next plan neither compares
 * nor classifies it again. `entries` are the tree the plan was made from.
 */
export function seedParseCache(cache: ParseCache, plan: IngestPlan, entries: TreeEntry[] = []) {
  // Files the commit removed or moved out of raw/ and managed/ (e.g. raw files, once
  // ingested) are not read again: their room in the cache goes to what is.
  // (and the earlier content of a path written again, e.g. a raw file that now holds only its conflicts)
  const gone = new Set([...plan.deletes, ...plan.moves.map(m => m.from), ...plan.writes.map(w => w.path)]);
  const kept = new Set(entries.filter(e => !gone.has(e.path)).map(e => e.blobId));
  for (const e of entries) if (gone.has(e.path) && !kept.has(e.blobId)) cache.delete(e.blobId);
  const byPath = new Map(plan.resources.map(r => [r.gitPath, r]));
  for (const w of plan.writes) {
    if (w.path === MANIFEST_PATH) {
      // a manifest the plan laid out: the next plan reads its scope (it has none) without Git
      cache.set(gitBlobId(w.content), parseYamlFile(Buffer.from(w.content)));
      continue;
    }
    const resource = byPath.get(w.path);
    if (!resource) continue;
    const kind = findKind(resource.kind)!;
    // Its comments, unplaced (the lexer's, not a parse): used only should the same bytes turn up in raw/.
    const comments = commentLines(w.content);
    cache.set(gitBlobId(w.content), {
      ok: true,
      text: w.content,
      documents: [
        {
          index: 0,
          empty: false,
          value: resource.object,
          range: [0, w.content.length],
          ...(comments.length > 0 ? { comments: { tail: comments.join('\n') } } : {}),
        },
      ],
      // written with the canonical object as its content: the next plan need not compare it again
      canonical: true,
      // ... nor classify it: it is the resource the plan classified
      managed: {
        doc: { type: 'managed', kind, name: resource.name, object: resource.object },
        canonical: resource.object,
        source: resource.source,
        key: key(resource.kind, resource.name),
        target: managedPath(kind, resource.name),
      },
    });
  }
}
