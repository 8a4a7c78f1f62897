import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseGitopsLocation } from '@fabric-gitops/plugin-hedgehog-common';
import { promises as fs } from 'fs';
import path from 'path';
import { checkoutExamples } from './gitActions.examples';
import { FabricEntityInfo, FabricEntityReader } from '../lib/fabricEntity';
import { GitRemote } from '../lib/gitRemote';
import { repoUrlFromGitUrl } from '../lib/repoUrl';
import { listFiles, resolveWorkspaceDir } from '../lib/workspace';

/** Which publish step a repository takes: a pull request on GitHub, a merge request on GitLab, else a push. */
export function gitProvider(config: Config, url: string): 'github' | 'gitlab' | 'git' {
  if (!/^https?:\/\//i.test(url)) return 'git';
  const host = new URL(url).host.toLowerCase();
  const hosts = (type: string) =>
    (config.getOptionalConfigArray(`integrations.${type}`) ?? []).map(c =>
      (c.getOptionalString('host') ?? `${type}.com`).toLowerCase(),
    );
  if (host === 'github.com' || hosts('github').includes(host)) return 'github';
  if (host === 'gitlab.com' || hosts('gitlab').includes(host)) return 'gitlab';
  return 'git';
}

/**
 * Creates the `hedgehog:fabric:checkout` action: copies a fabric's directory from
 * its Git repository (the entity's `githedgehog.com/gitops-location`: any Git
 * URL, also `file://`) into the workspace, and says where it came from for the
 * step that publishes a change (pull request on GitHub, else `hedgehog:fabric:push`).
 *
 * @public
 */
export function createCheckoutFabricAction(options: {
  config: Config;
  fabrics: FabricEntityReader;
}) {
  return createTemplateAction({
    id: 'hedgehog:fabric:checkout',
    description:
      "Copies a fabric's directory from its Git repository (the entity's githedgehog.com/gitops-location, " +
      'any Git URL) into the workspace.',
    examples: checkoutExamples,
    supportsDryRun: true,
    schema: {
      input: {
        fabric: z => z.string().describe('Entity ref of the fabric (e.g. resource:default/lab)'),
        targetPath: z =>
          z.string().optional().describe('Folder of the workspace to copy it to (default fabric)'),
      },
      output: {
        fabric: z => z.string().describe('Name of the fabric'),
        gitUrl: z => z.string().describe("The fabric's repository"),
        branch: z => z.string().describe("The fabric's branch"),
        path: z => z.string().describe("The fabric directory in its repository ('' for the root)"),
        repoUrl: z =>
          z.string().optional().describe('The repository as host?owner=&repo= (https repositories)'),
        provider: z =>
          z.string().describe('github, gitlab or git: how a change is published (pull request, merge request, push)'),
      },
    },
    async handler(ctx) {
      const ref = ctx.input.fabric.trim();
      const fabric: FabricEntityInfo = await ctx.checkpoint({
        key: `hedgehog.fabric.lookup.${ref}`,
        fn: async () => options.fabrics.read(ref, await ctx.getInitiatorCredentials()),
      });
      const location = parseGitopsLocation(fabric.gitopsLocation);
      const target = resolveWorkspaceDir(ctx.workspacePath, ctx.input.targetPath ?? 'fabric', 'targetPath');
      if ((await listFiles(target.abs)).length > 0) {
        throw new InputError(`targetPath "${target.rel || '.'}" is not empty in the workspace`);
      }
      const remote = await GitRemote.open(options.config, location.url, location.branch);
      try {
        if (!remote.branchExisted) {
          throw new InputError(`${location.url} has no branch ${location.branch} (fabric ${fabric.name})`);
        }
        const source = path.join(remote.dir, location.path);
        const files = (await listFiles(source)).filter(f => f !== '.git' && !f.startsWith('.git/'));
        if (files.length === 0) {
          throw new InputError(
            `the fabric directory "${location.path || '.'}" of ${location.url} (branch ${location.branch}) is empty or missing`,
          );
        }
        for (const file of files) {
          await fs.mkdir(path.dirname(path.join(target.abs, file)), { recursive: true });
          await fs.copyFile(path.join(source, file), path.join(target.abs, file));
        }
        ctx.logger.info(
          `Copied ${files.length} files of fabric ${fabric.name} from ${location.url} (branch ${location.branch}, ` +
            `"${location.path || '.'}") to ${target.rel || 'the workspace'}`,
        );
      } finally {
        await remote.dispose();
      }
      ctx.output('fabric', fabric.name);
      ctx.output('gitUrl', location.url);
      ctx.output('branch', location.branch);
      ctx.output('path', location.path);
      const repoUrl = repoUrlFromGitUrl(location.url);
      if (repoUrl) ctx.output('repoUrl', repoUrl);
      ctx.output('provider', gitProvider(options.config, location.url));
    },
  });
}
