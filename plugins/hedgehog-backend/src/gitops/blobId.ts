import { createHash } from 'crypto';

/** The id Git gives a blob with this content (SHA-1 of `blob <size>\0<content>`). */
export function gitBlobId(content: string | Buffer): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
