import { ParsedFile } from './parse';

export interface ParseCacheLimits {
  /** Bound of the estimated heap the cached files take (see `estimatedBytes`). */
  maxBytes: number;
  /** Bound of the number of entries (each costs a map slot and a blob id even when tiny). */
  maxEntries: number;
}

/**
 * 16 MiB of estimated heap: the managed files of one 5,000-resource fabric (about
 * 9.5 MiB; the estimate is close to the heap measured) or of many small ones, so
 * that a change re-reads only what changed, while a process serving many large
 * fabrics stays small (they cycle through the cache anyway).
 */
const DEFAULT_PARSE_CACHE_LIMITS: ParseCacheLimits = {
  maxBytes: 16 * 1024 * 1024,
  maxEntries: 100_000,
};

/**
 * What a parsed file costs on the heap, estimated from its text: the text itself
 * and the parsed documents (measured: about 4.3 bytes of heap per byte of YAML for
 * the objects and the text together; about 3.4 for a managed file), plus a fixed
 * cost per entry (map slot, blob id, memo).
 */
export function estimatedBytes(parsed: ParsedFile): number {
  return 256 + 5 * (parsed.ok ? parsed.text.length : parsed.reason.length);
}

interface Entry {
  parsed: ParsedFile;
  bytes: number;
  /** Tick of the last use (least recently used entries go first). */
  used: number;
}

/**
 * Parsed files by Git blob id. A blob id is the hash of the content, so an entry
 * never goes stale. Bounded by the estimated bytes of the entries (and by their
 * number): past a bound, the least recently used quarter is dropped at once, so
 * a lookup costs no reordering and eviction is rare.
 */
export class ParseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly limits: ParseCacheLimits;
  private tick = 0;
  private total = 0;

  constructor(limits: Partial<ParseCacheLimits> = {}) {
    this.limits = { ...DEFAULT_PARSE_CACHE_LIMITS, ...limits };
  }

  get(blobId: string): ParsedFile | undefined {
    const hit = this.entries.get(blobId);
    if (!hit) return undefined;
    hit.used = ++this.tick;
    return hit.parsed;
  }

  set(blobId: string, parsed: ParsedFile) {
    this.remove(blobId);
    const bytes = estimatedBytes(parsed);
    this.entries.set(blobId, { parsed, bytes, used: ++this.tick });
    this.total += bytes;
    if (this.total > this.limits.maxBytes || this.entries.size > this.limits.maxEntries) this.evict();
  }

  /** Forgets an entry (e.g. of a file that left the tree). */
  delete(blobId: string) {
    this.remove(blobId);
  }

  /** Number of entries. */
  get size() {
    return this.entries.size;
  }

  /** Estimated bytes of the entries. */
  get bytes() {
    return this.total;
  }

  private remove(blobId: string) {
    const old = this.entries.get(blobId);
    if (!old) return;
    this.entries.delete(blobId);
    this.total -= old.bytes;
  }

  /** Drops the least recently used entries until both bounds have a quarter to spare. */
  private evict() {
    const maxBytes = this.limits.maxBytes * 0.75;
    const maxEntries = Math.floor(this.limits.maxEntries * 0.75);
    const byAge = [...this.entries].sort((a, b) => a[1].used - b[1].used);
    for (const [id] of byAge) {
      if (this.total <= maxBytes && this.entries.size <= maxEntries) break;
      this.remove(id);
    }
  }
}
