import { InputError } from '@backstage/errors';

/**
 * The Git URL of a repository given as the scaffolder's `RepoUrlPicker` value
 * (`github.com?owner=network&repo=fabrics`; for GitLab `owner` may hold
 * subgroups) or as a Git URL (`https://…`, `ssh://…`, `file:///…`).
 */
export function gitUrlFromRepoUrl(repoUrl: string): string {
  const value = repoUrl.trim();
  if (value.includes('://')) return value;
  let parsed: URL;
  try {
    parsed = new URL(`https://${value}`);
  } catch {
    throw new InputError(
      `repoUrl "${repoUrl}" is neither a Git URL nor of the form <host>?owner=<owner>&repo=<repo>`,
    );
  }
  const owner =
    parsed.searchParams.get('owner') ?? parsed.searchParams.get('organization');
  const repo = parsed.searchParams.get('repo');
  if (
    !parsed.host ||
    !owner ||
    !repo ||
    (parsed.pathname !== '/' && parsed.pathname !== '')
  ) {
    throw new InputError(
      `repoUrl "${repoUrl}" must be of the form <host>?owner=<owner>&repo=<repo> (as the RepoUrlPicker writes it) or a Git URL`,
    );
  }
  const segments = [...owner.split('/'), repo];
  if (
    segments.some(s => !/^[A-Za-z0-9._-]+$/.test(s) || s === '.' || s === '..')
  ) {
    throw new InputError(
      `repoUrl "${repoUrl}" holds an invalid owner or repository name`,
    );
  }
  return `https://${parsed.host}/${segments.join('/')}`;
}

/**
 * The `RepoUrlPicker` form (`host?owner=…&repo=…`) of an https Git URL, for the
 * publish actions; undefined for URLs that have no such form (file://, ssh://).
 */
export function repoUrlFromGitUrl(gitUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(gitUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const segments = url.pathname
    .replace(/\.git\/?$/, '')
    .split('/')
    .filter(Boolean);
  if (segments.length < 2) return undefined;
  const repo = segments[segments.length - 1];
  const owner = segments.slice(0, -1).join('/');
  return `${url.host}?owner=${encodeURIComponent(
    owner,
  )}&repo=${encodeURIComponent(repo)}`;
}
