/*
 * Issue comments of the GitHub API test server (a pull request's conversation
 * comments are issue comments on GitHub), in memory, checked as GitHub checks them:
 *
 *   GET   /repos/{owner}/{repo}/issues/{number}/comments   (per_page, page; oldest first)
 *   POST  /repos/{owner}/{repo}/issues/{number}/comments   {body}
 *   PATCH /repos/{owner}/{repo}/issues/comments/{id}        {body}
 */
import { GitHubApiStore } from './githubApiStore';
import { nodeId, notFound, validationFailed } from './githubHttp';
import { GitHubPulls } from './githubPulls';
import { GitHubRepositories } from './githubRepositories';
import { GitHubIssueComment } from './githubTypes';

/** GitHub refuses a comment body above this many characters. */
const MAX_COMMENT = 65536;

export type GitHubComments = ReturnType<typeof createGitHubComments>;

export function createGitHubComments(store: GitHubApiStore, repos: GitHubRepositories, pulls: GitHubPulls) {
  const { web, login, comments, now } = store;
  const { userJson } = repos;

  const checkBody = (input: Record<string, any>) => {
    if (typeof input.body !== 'string' || input.body === '') {
      throw validationFailed([{ resource: 'IssueComment', field: 'body', code: 'missing_field' }]);
    }
    if (input.body.length > MAX_COMMENT) {
      throw validationFailed([{ resource: 'IssueComment', field: 'body', code: 'custom', message: `body is too long (maximum is ${MAX_COMMENT} characters)` }]);
    }
    return input.body as string;
  };
  const ofIssue = (owner: string, repo: string, number: number) =>
    comments.filter(c => c.issue_url === `${store.apiUrl}/repos/${owner}/${repo}/issues/${number}`);

  const listComments = async (owner: string, repo: string, number: number, query: URLSearchParams) => {
    await pulls.findPull(owner, repo, number);
    const perPage = Math.min(Math.max(Number(query.get('per_page') ?? 30) || 30, 1), 100);
    const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
    return ofIssue(owner, repo, number).slice((page - 1) * perPage, page * perPage);
  };

  const createComment = async (owner: string, repo: string, number: number, input: Record<string, any>) => {
    await pulls.findPull(owner, repo, number);
    const body = checkBody(input);
    const id = store.nextId++;
    const time = now();
    const comment: GitHubIssueComment = {
      id,
      node_id: nodeId('IC', id),
      url: `${store.apiUrl}/repos/${owner}/${repo}/issues/comments/${id}`,
      html_url: `${web}/${owner}/${repo}/pull/${number}#issuecomment-${id}`,
      issue_url: `${store.apiUrl}/repos/${owner}/${repo}/issues/${number}`,
      body,
      user: userJson(login, 'Bot'),
      created_at: time,
      updated_at: time,
      author_association: 'NONE',
    };
    comments.push(comment);
    return comment;
  };

  const updateComment = async (owner: string, repo: string, id: number, input: Record<string, any>) => {
    const comment = comments.find(c => c.id === id && c.url.startsWith(`${store.apiUrl}/repos/${owner}/${repo}/`));
    if (!comment) throw notFound();
    comment.body = checkBody(input);
    comment.updated_at = now();
    return comment;
  };

  return { listComments, createComment, updateComment };
}
