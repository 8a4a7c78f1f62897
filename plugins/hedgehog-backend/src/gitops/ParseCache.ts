import { ParsedFile } from './parse';

/**
 * Parsed files by Git blob id. A blob id is the hash of the content, so an entry
 * never goes stale; the least recently used entries are dropped past the bound.
 */
export class ParseCache {
  private readonly entries = new Map<string, ParsedFile>();

  constructor(private readonly maxEntries = 20_000) {}

  get(blobId: string): ParsedFile | undefined {
    const hit = this.entries.get(blobId);
    if (hit) {
      this.entries.delete(blobId);
      this.entries.set(blobId, hit);
    }
    return hit;
  }

  set(blobId: string, parsed: ParsedFile) {
    this.entries.delete(blobId);
    this.entries.set(blobId, parsed);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size() {
    return this.entries.size;
  }
}
