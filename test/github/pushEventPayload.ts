/* The `push` webhook payload GitHub sends for a branch update, built from the bare repository. */
import { ZERO_SHA, gitText } from './githubHttp';

export interface PushEventContext {
  /** The bare repository. */
  dir: string;
  /** Web base URL, e.g. http://127.0.0.1:1234. */
  web: string;
  owner: string;
  repo: string;
  /** Who pushed. */
  login: string;
  /** The repository as GET /repos/{owner}/{repo} answers it. */
  repository: Record<string, any>;
  sender: object;
}

/** The payload of a push of `branch` from `before` to `after` (ZERO_SHA: created / deleted). */
export async function pushEventPayload(
  ctx: PushEventContext,
  input: { branch: string; before: string; after: string },
): Promise<Record<string, unknown>> {
  const { dir, web, owner, repo, login, repository } = ctx;
  const { before, after } = input;
  const created = before === ZERO_SHA;
  const deleted = after === ZERO_SHA;
  const shas = deleted
    ? []
    : (await gitText(dir, ['rev-list', '--reverse', created ? after : `${before}..${after}`])).split('\n').filter(Boolean);
  const commits = [];
  for (const sha of shas) {
    const [message, timestamp, name, email] = (await gitText(dir, ['show', '-s', '--format=%s%x00%aI%x00%an%x00%ae', sha])).split('\0');
    const files = await gitText(dir, ['diff-tree', '--no-commit-id', '--name-status', '-r', '--root', sha]);
    const added: string[] = [];
    const removed: string[] = [];
    const modified: string[] = [];
    for (const line of files.split('\n').filter(Boolean)) {
      const [status, file] = line.split('\t');
      if (status === 'A') added.push(file);
      else if (status === 'D') removed.push(file);
      else modified.push(file);
    }
    commits.push({
      id: sha,
      tree_id: await gitText(dir, ['rev-parse', `${sha}^{tree}`]),
      distinct: true,
      message,
      timestamp,
      url: `${web}/${owner}/${repo}/commit/${sha}`,
      author: { name, email, username: name },
      committer: { name, email, username: name },
      added,
      removed,
      modified,
    });
  }
  return {
    ref: `refs/heads/${input.branch}`,
    before,
    after,
    created,
    deleted,
    forced: false,
    base_ref: null,
    compare: `${web}/${owner}/${repo}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits,
    head_commit: commits[commits.length - 1] ?? null,
    repository: { ...repository, owner: { ...repository.owner, name: owner } },
    pusher: { name: login, email: `${login}@users.noreply.test` },
    sender: ctx.sender,
  };
}
