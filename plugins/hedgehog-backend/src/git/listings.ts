import { TreeEntry } from '../gitops/tree';

/**
 * The last listing of each fabric directory (per clone and directory) that this
 * process read or computed, so that the next sync lists only what changed since
 * (GitWorkspace.listTreeSince). Bounded by the number of entries held: a W5k
 * fabric's directory fits; with many large fabrics the least recently used go.
 */
const MAX_ENTRIES = 12_000;
const listings = new Map<string, { commit: string; entries: TreeEntry[] }>();
let held = 0;

export function remember(key: string, commit: string, entries: TreeEntry[]) {
  forget(key);
  if (entries.length > MAX_ENTRIES) return;
  listings.set(key, { commit, entries });
  held += entries.length;
  for (const [k, v] of listings) {
    if (held <= MAX_ENTRIES) break;
    listings.delete(k);
    held -= v.entries.length;
  }
}

/** The entries remembered for the directory at exactly that commit (never to be mutated). */
export function recalled(key: string, commit: string): TreeEntry[] | undefined {
  const listing = listings.get(key);
  if (!listing || listing.commit !== commit) return undefined;
  // most recently used last
  listings.delete(key);
  listings.set(key, listing);
  return listing.entries;
}

function forget(key: string) {
  const listing = listings.get(key);
  if (!listing) return;
  listings.delete(key);
  held -= listing.entries.length;
}
