import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createGitHome, gitEnv, removeGitHome, runGit } from './gitRepos';

/**
 * Commits a file whose bytes a shell pipeline prints (e.g. `head -c 3G /dev/zero`
 * or `yes 'vlan: 1000' | head -c 3G`) on top of `branch` of a bare repository:
 * git reads them from the pipe (`hash-object -w --stdin`), so the test process
 * never holds them, however large. Returns the commit and the file's blob id.
 */
export async function commitGeneratedFile(
  repoDir: string,
  filePath: string,
  pipeline: string,
  opts: { branch?: string; message?: string } = {},
): Promise<{ commit: string; blobId: string }> {
  const branch = opts.branch ?? 'main';
  const gitDir = `--git-dir=${repoDir}`;
  const blobId = await hashFromPipeline(repoDir, pipeline);
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'git-generated-'));
  try {
    const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
    const parent = await runGit([gitDir, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`])
      .then(r => r.stdout.toString().trim())
      .catch(() => '');
    if (parent) await runGit([gitDir, 'read-tree', parent], { env });
    await runGit([gitDir, 'update-index', '--add', '--cacheinfo', `100644,${blobId},${filePath}`], { env });
    const tree = (await runGit([gitDir, 'write-tree'], { env })).stdout.toString().trim();
    const args = [gitDir, 'commit-tree', tree, '-m', opts.message ?? `add ${filePath}`];
    if (parent) args.push('-p', parent);
    const commit = (await runGit(args)).stdout.toString().trim();
    await runGit([gitDir, 'update-ref', `refs/heads/${branch}`, commit, ...(parent ? [parent] : [])]);
    return { commit, blobId };
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

/** `<pipeline> | git hash-object -w --stdin` in the repository; the blob's id. */
async function hashFromPipeline(repoDir: string, pipeline: string): Promise<string> {
  const home = await createGitHome();
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = spawn('sh', ['-c', `${pipeline} | git --git-dir="$REPO" hash-object -w --stdin`], {
        env: { ...gitEnv(home), REPO: repoDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', d => (out += d));
      child.stderr.on('data', d => (err += d));
      child.on('error', reject);
      child.on('close', code => {
        const id = out.trim();
        if (code === 0 && /^[0-9a-f]{40}$/.test(id)) resolve(id);
        else reject(new Error(`hashing the output of "${pipeline}" failed (${code}): ${err.trim()}`));
      });
    });
  } finally {
    await removeGitHome(home);
  }
}
