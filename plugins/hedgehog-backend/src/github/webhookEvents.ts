import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { createHmac, timingSafeEqual } from 'crypto';

/**
 * Checks GitHub's `X-Hub-Signature-256` header (`sha256=<hex HMAC of the raw
 * body>`) in constant time. Pure.
 */
export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!secret || !header || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(header.trim().slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The repository fields of a webhook payload used to find fabrics. */
export interface WebhookRepository {
  full_name?: string;
  html_url?: string;
  clone_url?: string;
  ssh_url?: string;
  git_url?: string;
}

/**
 * A comparable form of a repository URL: lower-case `host/owner/repo`, without
 * scheme, user info, `.git` or a trailing slash. Accepts scp-like SSH
 * (`git@host:owner/repo.git`). Undefined for anything else. Pure.
 */
export function repositoryKey(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const scp = /^[^@/:\s]+@([^:/\s]+):(?!\/)(.+)$/.exec(url);
  let host: string;
  let pathname: string;
  if (scp) {
    host = scp[1];
    pathname = scp[2];
  } else {
    try {
      const u = new URL(url);
      if (!u.host) return undefined;
      host = u.protocol === 'ssh:' || u.protocol === 'git:' ? u.hostname : u.host;
      pathname = u.pathname;
    } catch {
      return undefined;
    }
  }
  const path = pathname.replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '');
  return path ? `${host}/${path}`.toLowerCase() : undefined;
}

/**
 * Whether a webhook's repository is the repository of a fabric URL: the same
 * clone, web, SSH or git URL, or the same host and `owner/repo` (full_name). Pure.
 */
export function sameRepository(fabricUrl: string, repository: WebhookRepository | undefined): boolean {
  if (!repository) return false;
  const key = repositoryKey(fabricUrl);
  if (!key) return false;
  const keys = [repository.clone_url, repository.html_url, repository.ssh_url, repository.git_url].map(repositoryKey);
  if (keys.includes(key)) return true;
  const webKey = repositoryKey(repository.html_url);
  const hostOf = (k: string | undefined) => k?.split('/')[0]?.replace(/:\d+$/, '');
  if (!repository.full_name || !webKey) return false;
  const path = key.slice(key.indexOf('/') + 1);
  return hostOf(webKey) === hostOf(key) && path === repository.full_name.toLowerCase();
}

function under(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** The result of matching an event to fabrics. */
export interface EventMatch {
  fabrics: string[];
  /** Why nothing matched, when nothing did. */
  ignored?: string;
}

/**
 * The fabrics a `push` event concerns: same repository, the fabric's branch,
 * and a changed path inside the fabric's directory. When the event cannot tell
 * which files changed (a new or force-pushed branch, or more commits than the
 * payload lists) every fabric on the branch is concerned. Pure.
 */
export function fabricsForPush(fabrics: FabricDefinition[], payload: any): EventMatch {
  const ref = typeof payload?.ref === 'string' ? payload.ref : '';
  if (!ref.startsWith('refs/heads/')) return { fabrics: [], ignored: `${ref || 'the ref'} is not a branch` };
  const branch = ref.slice('refs/heads/'.length);
  const inRepo = fabrics.filter(f => sameRepository(f.git.url, payload.repository));
  if (inRepo.length === 0) {
    return { fabrics: [], ignored: `no fabric uses the repository ${payload?.repository?.full_name ?? '(unknown)'}` };
  }
  const onBranch = inRepo.filter(f => f.git.branch === branch);
  if (onBranch.length === 0) return { fabrics: [], ignored: `no fabric watches the branch ${branch}` };
  const commits: any[] = Array.isArray(payload.commits) ? payload.commits : [];
  const unknownFiles =
    payload.created === true ||
    payload.forced === true ||
    payload.deleted === true ||
    commits.length === 0 ||
    commits.length >= 2048 ||
    commits.some(c => !Array.isArray(c?.added) || !Array.isArray(c?.removed) || !Array.isArray(c?.modified));
  const changed = unknownFiles
    ? []
    : commits.flatMap(c => [...c.added, ...c.removed, ...c.modified]).filter((p): p is string => typeof p === 'string');
  const hit = onBranch.filter(f => unknownFiles || changed.some(p => under(p, f.git.path)));
  if (hit.length === 0) {
    return { fabrics: [], ignored: `the push to ${branch} changes nothing inside ${onBranch.map(f => f.git.path || '/').join(', ')}` };
  }
  return { fabrics: hit.map(f => f.name) };
}

/** Pull request actions after which the head (or base) may have changed. */
const VALIDATED_ACTIONS = new Set(['opened', 'reopened', 'synchronize', 'ready_for_review']);

/**
 * The fabrics whose directory a `pull_request` event may touch: same repository
 * and a pull request into the fabric's branch, for actions that change what the
 * pull request holds. Whether it really touches the directory is decided on its
 * commits. Pure.
 */
export function fabricsForPullRequest(fabrics: FabricDefinition[], payload: any): EventMatch {
  const action = String(payload?.action ?? '');
  const baseChanged = action === 'edited' && payload?.changes?.base !== undefined;
  if (!VALIDATED_ACTIONS.has(action) && !baseChanged) {
    return { fabrics: [], ignored: `the pull request action ${action || '(none)'} changes nothing to validate` };
  }
  const pr = payload?.pull_request;
  if (!pr || typeof pr.number !== 'number' || typeof pr.head?.sha !== 'string') {
    return { fabrics: [], ignored: 'the event holds no pull request' };
  }
  if (pr.state && pr.state !== 'open') return { fabrics: [], ignored: `pull request #${pr.number} is ${pr.state}` };
  const inRepo = fabrics.filter(f => sameRepository(f.git.url, payload.repository));
  if (inRepo.length === 0) {
    return { fabrics: [], ignored: `no fabric uses the repository ${payload?.repository?.full_name ?? '(unknown)'}` };
  }
  const onBase = inRepo.filter(f => f.git.branch === pr.base?.ref);
  if (onBase.length === 0) return { fabrics: [], ignored: `no fabric watches the branch ${pr.base?.ref}` };
  return { fabrics: onBase.map(f => f.name) };
}
