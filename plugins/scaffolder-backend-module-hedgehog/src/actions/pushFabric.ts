import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  MANAGED_DIR,
  MANIFEST_PATH,
  RAW_DIR,
  repositoryFileUrl,
} from '@fabric-gitops/plugin-hedgehog-common';
import { promises as fs } from 'fs';
import path from 'path';
import { GitRemote } from '../lib/gitRemote';
import { gitUrlFromRepoUrl } from '../lib/repoUrl';
import { listFiles, resolveWorkspaceDir } from '../lib/workspace';
import { CATALOG_INFO_FILE } from './bootstrapFabric';
import { pushExamples } from './gitActions.examples';

/**
 * Creates the `hedgehog:fabric:push` action: commits a fabric directory of the
 * workspace into a folder of an existing Git repository (any Git URL: https with
 * the credentials of `integrations`, ssh, git, `file://`) and pushes it, to the
 * branch or to a new review branch. With `newFabric`, refuses a folder that
 * already holds a fabric. An empty repository or a missing branch is started.
 *
 * @public
 */
export function createPushFabricAction(options: { config: Config }) {
  return createTemplateAction({
    id: 'hedgehog:fabric:push',
    description:
      'Commits a fabric directory of the workspace into a folder of an existing Git repository and pushes it ' +
      '(https with the credentials of integrations, ssh, git or file://); an empty repository is started.',
    examples: pushExamples,
    // a dry run reads the repository and checks the target folder, and pushes nothing
    supportsDryRun: true,
    schema: {
      input: {
        url: z =>
          z
            .string()
            .describe(
              'The repository: a Git URL (https://…, ssh://…, file:///…) or host?owner=&repo=',
            ),
        branch: z =>
          z.string().optional().describe('The branch (default main)'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe('The fabric directory in the workspace (default the workspace)'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe('The folder in the repository ("" or "." for its root)'),
        message: z => z.string().describe('The commit message'),
        toBranch: z =>
          z
            .string()
            .optional()
            .describe('Push to this branch instead (made from branch), e.g. for a review'),
        newFabric: z =>
          z
            .boolean()
            .optional()
            .describe('Refuse a target folder that already holds a fabric directory'),
      },
      output: {
        remoteUrl: z => z.string().describe('The repository'),
        branch: z => z.string().describe('The branch pushed to'),
        commit: z =>
          z.string().optional().describe('The commit pushed (none when nothing changed)'),
        catalogInfoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'The URL of catalog-info.yaml for catalog:register, for repositories the catalog can read (GitHub, GitLab)',
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const url = gitUrlFromRepoUrl(input.url);
      const branch = input.branch?.trim() || 'main';
      const toBranch = input.toBranch?.trim() || branch;
      const source = resolveWorkspaceDir(ctx.workspacePath, input.sourcePath, 'sourcePath');
      const target = repoFolder(input.targetPath);
      const files = await listFiles(source.abs);
      if (files.length === 0) {
        throw new InputError(`sourcePath "${source.rel || '.'}" holds no files to push`);
      }
      const remote = await GitRemote.open(options.config, url, branch);
      try {
        const dest = path.join(remote.dir, target);
        if (input.newFabric && (await holdsFabric(dest))) {
          throw new InputError(
            `${url} (branch ${branch}) already holds a fabric in "${target || '.'}" ` +
              `(${MANIFEST_PATH}, ${RAW_DIR}/ or ${MANAGED_DIR}/); choose another folder, or add that fabric from the Add fabric page`,
          );
        }
        const toCopy = files.filter(f => f !== '.git' && !f.startsWith('.git/'));
        if (input.newFabric) {
          // a new fabric never replaces a file of the repository (its README, say)
          const clashes: string[] = [];
          for (const file of toCopy) {
            const there = await fs.readFile(path.join(dest, file)).catch(() => undefined);
            if (there && !there.equals(await fs.readFile(path.join(source.abs, file)))) {
              clashes.push(target ? `${target}/${file}` : file);
            }
          }
          if (clashes.length > 0) {
            throw new InputError(
              `${url} (branch ${branch}) already has ${clashes.join(', ')}; choose an empty folder for the new fabric`,
            );
          }
        }
        for (const file of toCopy) {
          await fs.mkdir(path.dirname(path.join(dest, file)), { recursive: true });
          await fs.copyFile(path.join(source.abs, file), path.join(dest, file));
        }
        if (ctx.isDryRun) {
          ctx.logger.info(`[dry run] Would push ${toCopy.length} files to ${url} (branch ${toBranch}, folder "${target || '.'}")`);
          ctx.output('remoteUrl', url);
          ctx.output('branch', toBranch);
          return;
        }
        const commit = await remote.commitAndPush(input.message, toBranch);
        ctx.logger.info(
          commit
            ? `Pushed ${commit} to ${url} (branch ${toBranch}, folder "${target || '.'}")`
            : `Nothing to push to ${url}: branch ${branch} already holds these files`,
        );
        ctx.output('remoteUrl', url);
        ctx.output('branch', toBranch);
        if (commit) ctx.output('commit', commit);
        if (files.includes(CATALOG_INFO_FILE)) {
          const fileUrl = repositoryFileUrl({ url, branch: toBranch, path: target }, CATALOG_INFO_FILE);
          if (fileUrl) ctx.output('catalogInfoUrl', fileUrl);
        }
      } finally {
        await remote.dispose();
      }
    },
  });
}

/** A folder of the repository, normalized ('' for its root); never outside it. */
function repoFolder(given: string | undefined): string {
  const value = (given ?? '').trim();
  const posix = path.posix.normalize(value === '' ? '.' : value).replace(/\/+$/, '');
  const normalized = posix === '.' ? '' : posix;
  if (
    value.includes('\\') ||
    value.includes('\0') ||
    path.posix.isAbsolute(value) ||
    normalized === '..' ||
    normalized.startsWith('../') ||
    normalized.split('/').includes('.git')
  ) {
    throw new InputError(`targetPath "${given}" must be a folder inside the repository`);
  }
  return normalized;
}

async function holdsFabric(dir: string): Promise<boolean> {
  const manifest = await fs.stat(path.join(dir, MANIFEST_PATH)).catch(() => undefined);
  if (manifest) return true;
  for (const sub of [RAW_DIR, MANAGED_DIR]) {
    if ((await listFiles(path.join(dir, sub))).length > 0) return true;
  }
  return false;
}
