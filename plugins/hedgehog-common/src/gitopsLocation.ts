import { InputError } from '@backstage/errors';

/* The `githedgehog.com/gitops-location` of a fabric: a tree URL of a Git host or `url:<git url>#<branch>:<path>`, parsed and written back. */

/**
 * Where a fabric's GitOps directory lives: a Git repository URL, a branch and the
 * directory inside the repository ('' for the root).
 *
 * @public
 */
export interface GitopsLocation {
  url: string;
  branch: string;
  path: string;
}

/** The accepted forms of a gitops location, for error messages. */
const LOCATION_FORMS =
  'use url:https://<host>/<owner>/<repo>/tree/<branch>/<path> (GitHub), ' +
  'url:https://<host>/<group>/<repo>/-/tree/<branch>/<path> (GitLab), ' +
  'url:https://<host>/<owner>/<repo>/src/branch/<branch>/<path> (Gitea) ' +
  'or url:<git url>#<branch>:<path>';

/**
 * Reads the value of the `githedgehog.com/gitops-location` annotation. Accepted
 * forms (the `url:` prefix is required):
 *
 * - GitHub: `url:https://github.com/<owner>/<repo>/tree/<branch>/<path>`
 *   (any host; exactly owner and repository before `/tree/`)
 * - GitLab: `url:https://gitlab.example.com/<group>[/<subgroup>…]/<repo>/-/tree/<branch>/<path>`
 * - Gitea / Forgejo: `url:https://<host>/<owner>/<repo>/src/branch/<branch>/<path>`
 * - any Git URL: `url:<git url>#<branch>` or `url:<git url>#<branch>:<path>`, for
 *   example `url:file:///srv/git/fabrics.git#main:fabrics/lab` or
 *   `url:https://git.example.com/net/fabrics.git#main:fabrics/lab`
 *
 * In the tree forms the branch is the single path segment after `tree` (or
 * `branch`); use the `#<branch>:<path>` form for branch names containing `/`.
 * The path may be empty (the repository root). Throws an `InputError` with a
 * message saying what is wrong.
 *
 * @public
 */
export function parseGitopsLocation(value: string): GitopsLocation {
  const bad = (why: string) =>
    new InputError(`gitops location "${value}" ${why}; ${LOCATION_FORMS}`);
  if (typeof value !== 'string' || !value.startsWith('url:')) {
    throw bad('must start with "url:"');
  }
  const raw = value.slice(4).trim();
  const hash = raw.indexOf('#');
  const beforeHash = hash >= 0 ? raw.slice(0, hash) : raw;
  // Checked on the text: the URL parser would drop credentials from a tree URL's
  // repository and resolve `..` segments silently.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(beforeHash)) {
    throw bad(
      'must not contain credentials (configure them in the integrations section)',
    );
  }
  if (/^file:\/\/(?!\/|localhost\/)/i.test(beforeHash)) {
    throw bad(
      'must name a local repository with an absolute path (file:///path/to/repo.git)',
    );
  }
  if (beforeHash.split('/').some(s => /^(\.|%2e){1,2}$/i.test(s))) {
    throw bad('has a path with "." or ".." segments');
  }
  let repo: string;
  let branch: string;
  let dir: string;
  if (hash >= 0) {
    repo = raw.slice(0, hash);
    const fragment = raw.slice(hash + 1);
    const colon = fragment.indexOf(':');
    branch = colon >= 0 ? fragment.slice(0, colon) : fragment;
    dir = colon >= 0 ? fragment.slice(colon + 1) : '';
  } else {
    let tree: TreeUrl | undefined;
    try {
      tree = matchTreeUrl(raw);
    } catch {
      tree = undefined;
    }
    if (!tree) {
      throw bad(
        'is neither a repository tree URL nor a Git URL with "#<branch>:<path>"',
      );
    }
    ({ repo, branch, dir } = tree);
  }
  let url: URL;
  try {
    url = new URL(repo);
  } catch {
    throw bad(`holds "${repo}", which is not a URL`);
  }
  if (!/^(https?|ssh|git|file):$/.test(url.protocol)) {
    throw bad('must use https, http, ssh, git or file');
  }
  if (url.username || url.password) {
    throw bad(
      'must not contain credentials (configure them in the integrations section)',
    );
  }
  if (url.protocol === 'file:' && url.host !== '' && url.host !== 'localhost') {
    throw bad(
      'must name a local repository with an absolute path (file:///path/to/repo.git)',
    );
  }
  if (url.protocol !== 'file:' && !url.host) {
    throw bad('must name a host');
  }
  if (url.search) {
    throw bad('must not have a query string');
  }
  if (
    !branch ||
    !/^[A-Za-z0-9._/-]+$/.test(branch) ||
    branch.includes('..') ||
    branch.startsWith('-') ||
    branch.startsWith('/') ||
    branch.endsWith('/')
  ) {
    throw bad(`names the branch "${branch}", which is not a valid branch name`);
  }
  let path: string;
  try {
    path = decodeURIComponent(dir).replace(/^\/+|\/+$/g, '');
  } catch {
    throw bad('has a path that is not valid URL encoding');
  }
  if (
    path.split('/').some(s => s === '..' || s === '.') ||
    path.includes('\\') ||
    path.includes('//')
  ) {
    throw bad(
      `has the path "${path}", which is not a relative folder inside the repository`,
    );
  }
  return { url: repo, branch, path };
}

/**
 * The `githedgehog.com/gitops-location` annotation value of a location (the
 * inverse of {@link parseGitopsLocation}): a tree URL on github.com and
 * gitlab.com (and hosts named `github.*` / `gitlab.*`), `url:<git url>#<branch>:<path>`
 * everywhere else and for branch names containing `/`.
 *
 * @public
 */
export function formatGitopsLocation(location: GitopsLocation): string {
  const path = location.path.replace(/^\/+|\/+$/g, '');
  const suffix = path
    ? `/${path.split('/').map(encodeURIComponent).join('/')}`
    : '';
  const web = webRepoUrl(location.url);
  if (web && !location.branch.includes('/')) {
    const tree = web.flavor === 'gitlab' ? '/-/tree/' : '/tree/';
    return `url:${web.base}${tree}${encodeURIComponent(
      location.branch,
    )}${suffix}`;
  }
  return `url:${location.url}#${location.branch}${path ? `:${path}` : ''}`;
}

/**
 * The web URL of a file of a fabric directory on GitHub or GitLab (what the
 * catalog registers as a `url` location), or undefined for other repositories
 * (`file://`, plain Git servers, branches with `/`).
 *
 * @public
 */
export function repositoryFileUrl(location: GitopsLocation, file: string): string | undefined {
  const web = webRepoUrl(location.url);
  if (!web || location.branch.includes('/')) return undefined;
  const dir = location.path.replace(/^\/+|\/+$/g, '');
  const parts = [...(dir ? dir.split('/') : []), file].map(encodeURIComponent).join('/');
  const blob = web.flavor === 'gitlab' ? '/-/blob/' : '/blob/';
  return `${web.base}${blob}${encodeURIComponent(location.branch)}/${parts}`;
}

/** A tree URL of a Git host: the repository, the branch and the folder. */
interface TreeUrl {
  repo: string;
  branch: string;
  dir: string;
}

function matchTreeUrl(raw: string): TreeUrl | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.search || url.hash) return undefined;
  const segments = url.pathname.split('/').filter(Boolean);
  const origin = `${url.protocol}//${url.host}`;
  const at = (marker: string[], from: number) =>
    segments.findIndex(
      (_, i) => i >= from && marker.every((m, j) => segments[i + j] === m),
    );
  // GitLab: <group>/<subgroups…>/<repo>/-/tree/<branch>/<path>
  const gitlab = at(['-', 'tree'], 2);
  if (gitlab >= 0 && segments.length > gitlab + 2) {
    return {
      repo: `${origin}/${segments.slice(0, gitlab).join('/')}`,
      branch: decodeURIComponent(segments[gitlab + 2]),
      dir: segments.slice(gitlab + 3).join('/'),
    };
  }
  // GitHub: <owner>/<repo>/tree/<branch>/<path>
  if (segments.length > 3 && segments[2] === 'tree') {
    return {
      repo: `${origin}/${segments[0]}/${segments[1]}`,
      branch: decodeURIComponent(segments[3]),
      dir: segments.slice(4).join('/'),
    };
  }
  // Gitea / Forgejo: <owner>/<repo>/src/branch/<branch>/<path>
  if (
    segments.length > 4 &&
    segments[2] === 'src' &&
    segments[3] === 'branch'
  ) {
    return {
      repo: `${origin}/${segments[0]}/${segments[1]}`,
      branch: decodeURIComponent(segments[4]),
      dir: segments.slice(5).join('/'),
    };
  }
  return undefined;
}

function webRepoUrl(
  gitUrl: string,
): { base: string; flavor: 'github' | 'gitlab' } | undefined {
  let url: URL;
  try {
    url = new URL(gitUrl);
  } catch {
    return undefined;
  }
  if (
    url.protocol !== 'https:' ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  )
    return undefined;
  const host = url.hostname.toLowerCase();
  const segments = url.pathname
    .replace(/\.git\/?$/, '')
    .split('/')
    .filter(Boolean);
  const base = `https://${url.host}/${segments.join('/')}`;
  if (
    (host === 'github.com' || host.startsWith('github.')) &&
    segments.length === 2
  ) {
    return { base, flavor: 'github' };
  }
  if (
    (host === 'gitlab.com' || host.startsWith('gitlab.')) &&
    segments.length >= 2 &&
    !segments.includes('-')
  ) {
    return { base, flavor: 'gitlab' };
  }
  return undefined;
}
