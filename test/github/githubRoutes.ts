/*
 * Routes of the GitHub API test server: one authenticated request (path
 * without the `/api/v3` prefix) to the repository, pull request, comment,
 * status or ref it is about; answers `[status, payload]` or throws an HttpError.
 */
import http from 'node:http';
import { GitHubApiStore } from './githubApiStore';
import { GitHubComments } from './githubComments';
import { nodeId, notFound, parseJson, readBody, stableId } from './githubHttp';
import { GitHubPulls } from './githubPulls';
import { GitHubRepositories } from './githubRepositories';
import { GitHubStatuses } from './githubStatuses';

export function createGitHubRouter(
  store: GitHubApiStore,
  repos: GitHubRepositories,
  pulls: GitHubPulls,
  statuses: GitHubStatuses,
  comments: GitHubComments,
) {
  const { repoExists, repoJson, branchSha } = repos;
  const { listPulls, createPull, findPull, updatePull } = pulls;
  const { postStatus } = statuses;

  const route = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string, query: URLSearchParams) => {
    const method = req.method ?? 'GET';
    const body = method === 'GET' ? {} : parseJson(await readBody(req));
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
    if (!m) throw notFound();
    const [, owner, repo, rest = ''] = m;
    if (!repoExists(owner, repo)) throw notFound();
    if (rest === '' && method === 'GET') return [200, await repoJson(owner, repo)] as const;
    if (rest === '/pulls' && method === 'GET') return [200, await listPulls(owner, repo, query, res)] as const;
    if (rest === '/pulls' && method === 'POST') return [201, await createPull(owner, repo, body)] as const;
    const pull = /^\/pulls\/(\d+)$/.exec(rest);
    if (pull) {
      if (method === 'GET') return [200, await findPull(owner, repo, Number(pull[1]))] as const;
      if (method === 'PATCH') return [200, await updatePull(owner, repo, Number(pull[1]), body)] as const;
    }
    const issueComments = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (issueComments && method === 'GET') return [200, await comments.listComments(owner, repo, Number(issueComments[1]), query)] as const;
    if (issueComments && method === 'POST') return [201, await comments.createComment(owner, repo, Number(issueComments[1]), body)] as const;
    const comment = /^\/issues\/comments\/(\d+)$/.exec(rest);
    if (comment && method === 'PATCH') return [200, await comments.updateComment(owner, repo, Number(comment[1]), body)] as const;
    const status = /^\/statuses\/([^/]+)$/.exec(rest);
    if (status && method === 'POST') {
      return [201, await postStatus(owner, repo, status[1], body)] as const;
    }
    const gitRef = /^\/git\/ref\/(.+)$/.exec(rest);
    if (gitRef && method === 'GET') {
      // Clients send `heads/a/b` or, URL-encoded, `heads%2Fa%2Fb`: GitHub accepts both.
      const ref = decodeURIComponent(gitRef[1]);
      if (!ref.startsWith('heads/')) throw notFound();
      const branch = ref.slice('heads/'.length);
      const sha = await branchSha(owner, repo, branch);
      if (!sha) throw notFound();
      const refUrl = `${store.apiUrl}/repos/${owner}/${repo}/git/refs/heads/${branch}`;
      return [
        200,
        {
          ref: `refs/heads/${branch}`,
          node_id: nodeId('REF', stableId(`${owner}/${repo}/${branch}`)),
          url: refUrl,
          object: { sha, type: 'commit', url: `${store.apiUrl}/repos/${owner}/${repo}/git/commits/${sha}` },
        },
      ] as const;
    }
    throw notFound();
  };

  return route;
}
