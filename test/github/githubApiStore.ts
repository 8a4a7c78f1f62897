/*
 * The state one GitHub API test server shares between its parts: the resolved
 * options, the accepted tokens, the recorded requests, the pull requests,
 * commit statuses and comments in memory, the id counter and the clock.
 */
import path from 'node:path';
import { GitHubApiServerOptions, GitHubCommitStatus, GitHubIssueComment, GitHubPullRequest, RecordedRequest } from './githubTypes';

export interface GitHubApiStore {
  /** Directory holding the bare repositories as `<owner>/<repo>.git`. */
  repoRoot: string;
  /** Base URL of the web and Git server, without a trailing slash. */
  web: string;
  webHost: string;
  tokens: Set<string>;
  /** Login of the user every token belongs to. */
  login: string;
  requests: RecordedRequest[];
  pullsByRepo: Map<string, GitHubPullRequest[]>;
  statuses: GitHubCommitStatus[];
  comments: GitHubIssueComment[];
  /** Id of the next pull request, commit status or comment. */
  nextId: number;
  /** `http://127.0.0.1:<port>`, set once the server listens. */
  apiUrl: string;
  /** Strictly increasing timestamps, one second apart at least, as GitHub's are whole seconds. */
  now(): string;
}

export function createGitHubApiStore(opts: GitHubApiServerOptions): GitHubApiStore {
  const repoRoot = path.resolve(opts.repoRoot);
  const web = opts.webBaseUrl.replace(/\/+$/, '');
  const webHost = new URL(web).host;
  let lastTime = 0;
  return {
    repoRoot,
    web,
    webHost,
    tokens: new Set(opts.tokens),
    login: opts.login ?? 'hedgehog-bot',
    requests: [],
    pullsByRepo: new Map(),
    statuses: [],
    comments: [],
    nextId: 1000,
    apiUrl: '',
    now: () => {
      lastTime = Math.max(Math.floor(Date.now() / 1000) * 1000, lastTime + 1000);
      return new Date(lastTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
    },
  };
}
