/*
 * Repositories of the GitHub API test server: the bare repositories
 * `<repoRoot>/<owner>/<repo>.git` of the Git server, their branches, and the
 * repository, user and ref objects in GitHub's shapes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GitHubApiStore } from './githubApiStore';
import { gitOk, nodeId, stableId } from './githubHttp';
import { GitHubRef, GitHubUser } from './githubTypes';

export type GitHubRepositories = ReturnType<typeof createGitHubRepositories>;

export function createGitHubRepositories(store: GitHubApiStore) {
  const { repoRoot, web, webHost } = store;

  const userJson = (name: string, type: GitHubUser['type'] = 'User'): GitHubUser => {
    const id = stableId(`user:${name}`);
    return { login: name, id, node_id: nodeId('U', id), type, site_admin: false, html_url: `${web}/${name}`, url: `${store.apiUrl}/users/${name}` };
  };

  const gitDirOf = (owner: string, repo: string) => path.join(repoRoot, owner, `${repo}.git`);

  const repoExists = (owner: string, repo: string) =>
    /^[A-Za-z0-9_.-]+$/.test(owner) && /^[A-Za-z0-9_.-]+$/.test(repo) && fs.existsSync(path.join(gitDirOf(owner, repo), 'HEAD'));

  const repoJson = async (owner: string, repo: string) => {
    const id = stableId(`repo:${owner}/${repo}`);
    const head = await gitOk(gitDirOf(owner, repo), ['symbolic-ref', '--short', 'HEAD']);
    return {
      id,
      node_id: nodeId('R', id),
      name: repo,
      full_name: `${owner}/${repo}`,
      private: true,
      owner: userJson(owner, 'Organization'),
      html_url: `${web}/${owner}/${repo}`,
      description: null,
      fork: false,
      url: `${store.apiUrl}/repos/${owner}/${repo}`,
      pulls_url: `${store.apiUrl}/repos/${owner}/${repo}/pulls{/number}`,
      statuses_url: `${store.apiUrl}/repos/${owner}/${repo}/statuses/{sha}`,
      git_url: `git://${webHost}/${owner}/${repo}.git`,
      ssh_url: `git@${webHost}:${owner}/${repo}.git`,
      clone_url: `${web}/${owner}/${repo}.git`,
      default_branch: head ?? 'main',
      visibility: 'private',
      archived: false,
      disabled: false,
      permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    };
  };

  const branchSha = (owner: string, repo: string, branch: string) =>
    gitOk(gitDirOf(owner, repo), ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);

  const refJson = async (owner: string, repo: string, branch: string, sha: string): Promise<GitHubRef> => ({
    label: `${owner}:${branch}`,
    ref: branch,
    sha,
    user: userJson(owner, 'Organization'),
    repo: await repoJson(owner, repo),
  });

  return { userJson, gitDirOf, repoExists, repoJson, branchSha, refJson };
}
