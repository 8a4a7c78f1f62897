/* A resource's history in Git (`GET /fabrics/:fabric/resources/:kind/:name/history`) and links to the Git host. */

/** One commit that changed a resource's managed file. @public */
export interface ResourceHistoryEntry {
  commit: string;
  author: string;
  /** ISO 8601, the author's date. */
  date: string;
  message: string;
  /** The commit's change of the file: a unified diff, cut at the answer's size limit (`truncated`). */
  changes: string;
  /** The diff was cut. */
  truncated?: boolean;
  /** The path of the file in this commit (it may have been renamed since). */
  path: string;
  /** The commit on the Git host, when the host is a known one (GitHub, GitLab). */
  url?: string;
}

/** @public */
export interface ResourceHistory {
  items: ResourceHistoryEntry[];
  /** More commits changed the file than `items` holds (the limit, or the size limit, was reached). */
  more: boolean;
}

/** The most commits a history lists by default, and at most. @public */
export const HISTORY_DEFAULT_LIMIT = 20;
/** @public */
export const HISTORY_MAX_LIMIT = 100;

/**
 * The web page of a commit on its Git host, from the repository's URL: GitHub
 * (`https://<host>/<owner>/<repo>/commit/<sha>`) for github.com and hosts named
 * `github.*`, GitLab (`https://<host>/<group>[/<subgroup>…]/<repo>/-/commit/<sha>`)
 * for gitlab.com and hosts named `gitlab.*`; HTTPS and SSH (`git@host:owner/repo.git`,
 * `ssh://git@host/owner/repo.git`) URLs. Undefined for other hosts and for
 * `file://` repositories (the UI shows the commit as text). Pure.
 *
 * @public
 */
export function commitUrl(repositoryUrl: string, commit: string): string | undefined {
  if (!/^[0-9a-f]{7,64}$/i.test(commit)) return undefined;
  const located = hostAndPath(repositoryUrl.trim());
  if (!located) return undefined;
  const { host, repoPath } = located;
  const segments = repoPath.replace(/\.git$/, '').split('/').filter(Boolean);
  if (segments.some(s => s === '.' || s === '..')) return undefined;
  const name = host.split(':')[0].toLowerCase();
  if ((name === 'github.com' || name.startsWith('github.')) && segments.length === 2) {
    return `https://${host}/${segments.join('/')}/commit/${commit}`;
  }
  if ((name === 'gitlab.com' || name.startsWith('gitlab.')) && segments.length >= 2) {
    return `https://${host}/${segments.join('/')}/-/commit/${commit}`;
  }
  return undefined;
}

/** The host (without user info) and the repository's path of an HTTPS or SSH Git URL. */
function hostAndPath(url: string): { host: string; repoPath: string } | undefined {
  const scp = /^(?:[^@/\s]+@)?([a-z0-9.-]+):(?!\/\/)([^\s]+)$/i.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return { host: scp[1], repoPath: scp[2] };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!['https:', 'http:', 'ssh:'].includes(parsed.protocol) || !parsed.hostname) return undefined;
  // an SSH URL's port is not the web's
  const host = parsed.protocol === 'ssh:' ? parsed.hostname : parsed.host;
  return { host, repoPath: decodeURIComponent(parsed.pathname) };
}
