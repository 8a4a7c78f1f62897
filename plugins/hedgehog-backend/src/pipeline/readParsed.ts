import { BlobRead } from '../git/CachedRepository';
import { ParseCache } from '../gitops/ParseCache';
import { DEFAULT_PARSE_LIMITS, ParsedFile, ParseLimits, tooLargeToParse } from '../gitops/parse';
import { parseBlobsOffThread } from '../gitops/parseInWorker';
import { entriesToParse } from '../gitops/plan';
import { TreeEntry } from '../gitops/tree';

/** Where blobs are read from: the fabric's workspace, or a scratch repository of a pull request. */
export interface BlobSource {
  /** Blobs of at most `maxBytes`; of larger ones only the size (their bytes are never read). */
  readBlobs(ids: string[], maxBytes: number): Promise<BlobRead>;
}

/**
 * Parses the YAML files the planner needs, reading only blobs not in the cache.
 * Cache hits are kept locally: the bounded cache may evict them while the missing
 * files are added. Files over the size limit are never read (Git tells their size
 * first); they read as too large, and the planner keeps them in unmanaged/. Large
 * files are parsed in a worker thread, so the backend keeps answering.
 */
export async function readParsed(source: BlobSource, cache: ParseCache, entries: TreeEntry[], limits: ParseLimits = DEFAULT_PARSE_LIMITS) {
  const local = new Map<string, ParsedFile>();
  const missing: string[] = [];
  for (const e of entriesToParse(entries)) {
    const hit = cache.get(e.blobId);
    if (hit) local.set(e.blobId, hit);
    else missing.push(e.blobId);
  }
  const { blobs, tooLarge } = await source.readBlobs(missing, limits.maxFileBytes);
  const done = (id: string, parsed: ParsedFile) => {
    cache.set(id, parsed);
    local.set(id, parsed);
  };
  for (const [id, size] of tooLarge) done(id, tooLargeToParse(size, limits));
  for (const [id, parsed] of await parseBlobsOffThread(blobs, { limits })) done(id, parsed);
  const parsed = (entry: TreeEntry): ParsedFile =>
    local.get(entry.blobId) ?? { ok: false, reason: 'the file could not be read from Git' };
  return { parsed, read: blobs.size };
}
