/*
 * A GitHub on loopback for the reliability suite: the Git server (`git
 * http-backend` behind basic auth with the token) and the GitHub REST API test
 * server beside it (test/github), with repositories `acme/<repo>.git`, and the
 * `integrations.github` config the plugin uses for them.
 */
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GitHubApiServer, startGitHubApiServer } from '../../github';
import { createBareRepo, GitHttpServer, pushFiles, runGit, startGitHttpServer } from '../../servers';

export interface LoopbackGitHub {
  git: GitHttpServer;
  api: GitHubApiServer;
  token: string;
  /** The Git URL of `acme/<repo>`. */
  url(repo: string): string;
  /** The bare repository of `acme/<repo>` on disk. */
  dir(repo: string): string;
  /** Commits files to a branch of `acme/<repo>` (a new branch starts at main; a new repository is created). */
  push(repo: string, files: Record<string, string>, branch?: string): Promise<string>;
  /** `integrations` for the plugin's app-config. */
  integrations: { github: Array<{ host: string; apiBaseUrl: string; token: string }> };
  stop(): Promise<void>;
}

export async function startLoopbackGitHub(root: string, token = `ghp_${crypto.randomBytes(12).toString('hex')}`): Promise<LoopbackGitHub> {
  await fs.mkdir(root, { recursive: true });
  const git = await startGitHttpServer({ projectRoot: root, username: 'x-access-token', password: token });
  const api = await startGitHubApiServer({ repoRoot: root, webBaseUrl: `http://127.0.0.1:${git.port}`, tokens: [token] });
  const askpass = path.join(root, 'askpass.sh');
  await fs.writeFile(askpass, '#!/bin/sh\ncase "$1" in Username*) echo x-access-token;; *) echo "$T_PASS";; esac\n', { mode: 0o700 });
  const dir = (repo: string) => path.join(root, 'acme', `${repo}.git`);
  const url = (repo: string) => git.url(`acme/${repo}.git`);
  return {
    git,
    api,
    token,
    url,
    dir,
    async push(repo, files, branch = 'main') {
      await fs.access(dir(repo)).catch(() => createBareRepo(dir(repo)));
      const heads = (await runGit([`--git-dir=${dir(repo)}`, 'for-each-ref', '--format=%(refname)', 'refs/heads/'])).stdout.toString();
      if (branch !== 'main' && !heads.includes(`refs/heads/${branch}\n`)) {
        await runGit([`--git-dir=${dir(repo)}`, 'update-ref', `refs/heads/${branch}`, 'refs/heads/main']);
      }
      return pushFiles(url(repo), files, { branch, env: { GIT_ASKPASS: askpass, T_PASS: token } });
    },
    integrations: { github: [{ host: `127.0.0.1:${git.port}`, apiBaseUrl: `${api.url}/api/v3`, token }] },
    async stop() {
      await api.stop();
      await git.stop();
    },
  };
}
