import { ParseCache } from '../gitops/ParseCache';
import { ParsedFile } from '../gitops/parse';
import { parseBlobsOffThread } from '../gitops/parseInWorker';
import { entriesToParse } from '../gitops/plan';
import { TreeEntry } from '../gitops/tree';

/** Where blobs are read from: the fabric's workspace, or a scratch repository of a pull request. */
export interface BlobSource {
  readBlobs(ids: string[]): Promise<Map<string, Buffer>>;
}

/**
 * Parses the YAML files the planner needs, reading only blobs not in the cache.
 * Cache hits are kept locally: the bounded cache may evict them while the missing
 * files are added. Large files are parsed in a worker thread, so the backend keeps
 * answering.
 */
export async function readParsed(source: BlobSource, cache: ParseCache, entries: TreeEntry[]) {
  const local = new Map<string, ParsedFile>();
  const missing: string[] = [];
  for (const e of entriesToParse(entries)) {
    const hit = cache.get(e.blobId);
    if (hit) local.set(e.blobId, hit);
    else missing.push(e.blobId);
  }
  const blobs = await source.readBlobs(missing);
  for (const [id, parsed] of await parseBlobsOffThread(blobs)) {
    cache.set(id, parsed);
    local.set(id, parsed);
  }
  const parsed = (entry: TreeEntry): ParsedFile =>
    local.get(entry.blobId) ?? { ok: false, reason: 'the file could not be read from Git' };
  return { parsed, read: blobs.size };
}
