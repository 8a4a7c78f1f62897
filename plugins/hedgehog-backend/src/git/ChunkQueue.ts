/** Received chunks, taken from the front by line or by byte count without copying more than once. */
export class ChunkQueue {
  private chunks: Buffer[] = [];
  private size = 0;

  get length() {
    return this.size;
  }

  push(chunk: Buffer) {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  clear() {
    this.chunks = [];
    this.size = 0;
  }

  /** Drops up to `n` bytes from the front; returns how many it dropped. */
  skip(n: number): number {
    let dropped = 0;
    while (dropped < n && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const part = Math.min(chunk.length, n - dropped);
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
      dropped += part;
    }
    this.size -= dropped;
    return dropped;
  }

  /** The next line without its line feed, or undefined until it is complete. */
  takeLine(): string | undefined {
    let before = 0;
    for (const chunk of this.chunks) {
      const eol = chunk.indexOf(0x0a);
      if (eol >= 0) return this.take(before + eol + 1)!.subarray(0, before + eol).toString('utf8');
      before += chunk.length;
    }
    return undefined;
  }

  /** The next `n` bytes, or undefined until that many have arrived. */
  take(n: number): Buffer | undefined {
    if (n > this.size) return undefined;
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
    } else {
      out = Buffer.allocUnsafe(n);
      let at = 0;
      for (const chunk of this.chunks) {
        const part = Math.min(chunk.length, n - at);
        chunk.copy(out, at, 0, part);
        at += part;
        if (at === n) break;
      }
    }
    // drop what was taken
    let left = n;
    while (left > 0) {
      const chunk = this.chunks[0];
      if (chunk.length <= left) {
        this.chunks.shift();
        left -= chunk.length;
      } else {
        this.chunks[0] = chunk.subarray(left);
        left = 0;
      }
    }
    this.size -= n;
    return out;
  }
}
