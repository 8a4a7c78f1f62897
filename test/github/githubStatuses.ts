/* Commit statuses of the GitHub API test server, in memory, checked as GitHub checks them. */
import { GitHubApiStore } from './githubApiStore';
import { DOCS, HttpError, gitOk, nodeId, validationFailed } from './githubHttp';
import { GitHubRepositories } from './githubRepositories';
import { GitHubCommitStatus } from './githubTypes';

export type GitHubStatuses = ReturnType<typeof createGitHubStatuses>;

export function createGitHubStatuses(store: GitHubApiStore, repos: GitHubRepositories) {
  const { login, statuses, now } = store;
  const { userJson, gitDirOf } = repos;

  const postStatus = async (owner: string, repo: string, sha: string, input: Record<string, any>) => {
    const states = ['error', 'failure', 'pending', 'success'];
    if (!states.includes(input.state)) {
      throw validationFailed([{ resource: 'Status', field: 'state', code: 'custom', message: `state is not included in the list` }]);
    }
    if (typeof input.description === 'string' && input.description.length > 140) {
      throw validationFailed([{ resource: 'Status', field: 'description', code: 'custom', message: 'description is too long (maximum is 140 characters)' }]);
    }
    const full = /^[0-9a-f]{40}$/.test(sha) ? await gitOk(gitDirOf(owner, repo), ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`]) : undefined;
    if (!full) throw new HttpError(422, { message: `No commit found for SHA: ${sha}`, documentation_url: DOCS, status: '422' });
    const id = store.nextId++;
    const time = now();
    const status: GitHubCommitStatus = {
      url: `${store.apiUrl}/repos/${owner}/${repo}/statuses/${sha}`,
      avatar_url: null,
      id,
      node_id: nodeId('SC', id),
      state: input.state,
      description: typeof input.description === 'string' ? input.description : null,
      target_url: typeof input.target_url === 'string' ? input.target_url : null,
      context: typeof input.context === 'string' && input.context ? input.context : 'default',
      created_at: time,
      updated_at: time,
      creator: userJson(login, 'Bot'),
      sha,
    };
    statuses.push(status);
    const { sha: _omit, ...response } = status;
    return { ...response, repository: `${owner}/${repo}` } as Record<string, unknown>;
  };

  return { postStatus };
}
