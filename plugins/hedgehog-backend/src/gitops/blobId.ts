import { createHash } from 'crypto';

/** The id Git gives a blob with this content (SHA-1 of `blob <size>\0<content>`). */
export function gitBlobId(content: string | Buffer): string {
  // A string is hashed as UTF-8 without copying it into a buffer first.
  const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
  return createHash('sha1').update(`blob ${size}\0`).update(content).digest('hex');
}
