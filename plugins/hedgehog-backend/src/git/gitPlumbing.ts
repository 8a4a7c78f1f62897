import { askpassEnvironment } from '@fabric-gitops/plugin-hedgehog-node';
import { TreeEntry } from '../gitops/tree';
import { GitCommandError, GitCredentials, GitResult, lastLines } from './runGit';

/** Parses `git ls-tree -r -z` output; paths are made relative to `prefix` ('' or 'dir/'). */
export function parseLsTree(out: string, prefix: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, , blobId] = record.slice(0, tab).split(' ');
    const full = record.slice(tab + 1);
    if (!full.startsWith(prefix)) continue;
    entries.push({ path: full.slice(prefix.length), mode, blobId });
  }
  return entries;
}

/** Parses `git config --get-regexp` output of a remote's `url` and `fetch` keys. */
export function parseRemoteConfig(out: string): { url?: string; fetch: string[] } {
  const result: { url?: string; fetch: string[] } = { fetch: [] };
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key.endsWith('.url')) result.url = value;
    else if (key.endsWith('.fetch')) result.fetch.push(value);
  }
  return result;
}

/** Parses `git cat-file --batch-check` output: the type and size of each object by id (missing ones are left out). */
export function parseBatchCheck(out: Buffer): Map<string, { type: string; size: number }> {
  const result = new Map<string, { type: string; size: number }>();
  for (const line of out.toString('utf8').split('\n')) {
    const [id, type, size] = line.split(' ');
    if (!id || type === 'missing' || type === 'ambiguous' || !/^\d+$/.test(size ?? '')) continue;
    result.set(id, { type, size: Number(size) });
  }
  return result;
}

/** Parses `git cat-file --batch` output into blobs by id (missing objects are left out). */
export function parseCatFileBatch(out: Buffer): Map<string, Buffer> {
  const result = new Map<string, Buffer>();
  let pos = 0;
  while (pos < out.length) {
    const eol = out.indexOf(0x0a, pos);
    const [id, type, size] = out.subarray(pos, eol).toString().split(' ');
    if (type === 'missing') {
      pos = eol + 1;
      continue;
    }
    const len = Number(size);
    result.set(id, out.subarray(eol + 1, eol + 1 + len));
    pos = eol + 1 + len + 1;
  }
  return result;
}

/**
 * Environment of a git process that talks to the remote: the askpass helper and
 * the credentials it answers with (never in the URL or argv), and a low-speed
 * limit so a stalled HTTP remote fails within the timeout. `secrets` are the
 * values to scrub from anything git prints.
 */
export function networkEnv(
  askpass: string,
  credentials: GitCredentials | undefined,
  timeoutMs: number,
): { env: Record<string, string>; secrets: string[] } {
  const env: Record<string, string> = {
    GIT_ASKPASS: askpass,
    GIT_HTTP_LOW_SPEED_LIMIT: '1000',
    GIT_HTTP_LOW_SPEED_TIME: String(Math.max(5, Math.round(timeoutMs / 1000))),
  };
  const secrets: string[] = [];
  if (credentials) {
    Object.assign(env, askpassEnvironment(credentials));
    secrets.push(credentials.password);
  }
  return { env, secrets };
}

/**
 * The outcome of `git push --porcelain`: `rejected` when the remote moved (the
 * caller decides whether to retry); any other failure throws with git's reason.
 */
export function pushOutcome(result: GitResult, what: string): 'pushed' | 'rejected' {
  if (result.code === 0) return 'pushed';
  const text = `${result.stdout.toString()}\n${result.stderr}`;
  if (/\[rejected\]|stale info|non-fast-forward|fetch first|\[remote rejected\].*(cannot lock ref|failed to update ref)/i.test(text)) {
    return 'rejected';
  }
  throw new GitCommandError(`pushing to ${what} failed: ${lastLines(result.stderr || text)}`, result.code, result.stderr);
}
