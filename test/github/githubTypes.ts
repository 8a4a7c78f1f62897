/* Request and response shapes of the GitHub API test server (GitHub REST v3 shapes). */
export interface GitHubApiServerOptions {
  /** Directory holding the bare repositories as `<owner>/<repo>.git` (the Git server's project root). */
  repoRoot: string;
  /**
   * Base URL of the web and Git server, e.g. `http://127.0.0.1:<gitPort>`:
   * `html_url` and `clone_url` of repositories are built on it, as on GitHub
   * Enterprise Server.
   */
  webBaseUrl: string;
  /** Tokens accepted at the start. */
  tokens: string[];
  /** Login of the user every token belongs to (default `hedgehog-bot`). */
  login?: string;
}

export interface GitHubUser {
  login: string;
  id: number;
  node_id: string;
  type: 'User' | 'Organization' | 'Bot';
  site_admin: boolean;
  html_url: string;
  url: string;
}

export interface GitHubRef {
  label: string;
  ref: string;
  sha: string;
  user: GitHubUser;
  repo: Record<string, unknown>;
}

export interface GitHubPullRequest {
  url: string;
  id: number;
  node_id: string;
  html_url: string;
  diff_url: string;
  patch_url: string;
  issue_url: string;
  number: number;
  state: 'open' | 'closed';
  locked: boolean;
  title: string;
  user: GitHubUser;
  body: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
  draft: boolean;
  head: GitHubRef;
  base: GitHubRef;
  author_association: string;
  merged: boolean;
  maintainer_can_modify: boolean;
}

export interface GitHubCommitStatus {
  url: string;
  avatar_url: string | null;
  id: number;
  node_id: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  target_url: string | null;
  context: string;
  created_at: string;
  updated_at: string;
  creator: GitHubUser;
  /** Not in GitHub's response: the commit the status belongs to (for assertions). */
  sha: string;
}

/** A comment of a pull request's conversation (an issue comment). */
export interface GitHubIssueComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: GitHubUser;
  created_at: string;
  updated_at: string;
  author_association: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the `/api/v3` prefix, with the query. */
  path: string;
  status: number;
  /** The token the request carried was accepted. */
  authenticated: boolean;
}

export interface GitHubApiServer {
  /** `http://127.0.0.1:<port>`; GitHub Enterprise clients may append `/api/v3`. */
  url: string;
  port: number;
  stop(): Promise<void>;
  addToken(token: string): void;
  /** Makes a token invalid from now on (401 Bad credentials). */
  revokeToken(token: string): void;
  /** Every request so far, oldest first. */
  readonly requests: RecordedRequest[];
  /** The pull requests of a repository (copies; heads refreshed from the bare repository). */
  pulls(owner: string, repo: string): Promise<GitHubPullRequest[]>;
  /** The commit statuses of a repository, oldest first, optionally of one commit. */
  statuses(owner: string, repo: string, sha?: string): GitHubCommitStatus[];
  /** The comments of a pull request (copies), oldest first. */
  comments(owner: string, repo: string, number: number): GitHubIssueComment[];
  /** Opens a pull request as a user would (same checks as the API). */
  createPull(owner: string, repo: string, input: { title: string; head: string; base: string; body?: string }): Promise<GitHubPullRequest>;
  /**
   * Merges a pull request as GitHub's merge button does: a merge commit on the
   * base branch (or a fast-forward when `fastForward`), then closes it.
   */
  mergePull(owner: string, repo: string, number: number, opts?: { fastForward?: boolean }): Promise<string>;
  /** A `push` webhook payload for commits pushed to a branch (`before` = the previous head). */
  pushEvent(owner: string, repo: string, input: { branch: string; before: string; after?: string }): Promise<Record<string, unknown>>;
  /** A `pull_request` webhook payload. */
  pullRequestEvent(owner: string, repo: string, number: number, action: string): Promise<Record<string, unknown>>;
}
