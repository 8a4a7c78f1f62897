/* HTTP and Git helpers of the GitHub API test server. */
import crypto from 'node:crypto';
import http from 'node:http';
import { runGit } from '../servers/gitRepos';

export const ZERO_SHA = '0000000000000000000000000000000000000000';
export const DOCS = 'https://docs.github.com/rest';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

export const notFound = () => new HttpError(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
export const validationFailed = (errors: Array<Record<string, unknown>>) =>
  new HttpError(422, { message: 'Validation Failed', errors, documentation_url: DOCS, status: '422' });

export function stableId(text: string): number {
  return crypto.createHash('sha256').update(text).digest().readUInt32BE(0) % 1_000_000_000;
}

export function nodeId(prefix: string, id: number): string {
  return `${prefix}_${Buffer.from(String(id)).toString('base64')}`;
}

export async function gitText(gitDir: string, args: string[]): Promise<string> {
  const { stdout } = await runGit([`--git-dir=${gitDir}`, ...args]);
  return stdout.toString('utf8').trim();
}

export async function gitOk(gitDir: string, args: string[]): Promise<string | undefined> {
  try {
    return await gitText(gitDir, args);
  } catch {
    return undefined;
  }
}

export function readBody(req: http.IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, { message: 'Payload too large' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A JSON object request body; GitHub answers 400 to anything else. */
export function parseJson(buf: Buffer): Record<string, any> {
  if (buf.length === 0) return {};
  try {
    const value = JSON.parse(buf.toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch {
    throw new HttpError(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
  }
}
