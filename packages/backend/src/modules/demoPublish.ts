/*
 * Development/demo only: a scaffolder action that publishes a task workspace as a
 * new local Git repository (beside the demo fabric's, outside the source tree) and
 * registers its catalog-info.yaml, so the "New Hedgehog fabric" template completes
 * in the demo app without GitHub. Real installations publish with publish:github.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_GITOPS_LOCATION,
  formatGitopsLocation,
  isValidLabel,
} from '@fabric-gitops/plugin-hedgehog-common';
import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { parseDocument } from 'yaml';

const exec = promisify(execFile);

/** Where the demo publishes a fabric: the local repository and the fabric entity's gitops location. */
function localTarget(root: string, name: string, fabricPathInput: string | undefined) {
  const fabricPath = String(fabricPathInput ?? '').replace(/^\.?\/?|\/+$/g, '');
  if (!isValidLabel(name)) throw new InputError(`"${name}" is not a valid repository name`);
  const repo = path.join(root, `${name}.git`);
  const remoteUrl = `file://${repo}`;
  const gitopsLocation = formatGitopsLocation({ url: remoteUrl, branch: 'main', path: fabricPath });
  return { repo, remoteUrl, gitopsLocation };
}

/**
 * `demo:publish:local-git:location`: where `demo:publish:local-git` will publish, before
 * anything is written, so the bootstrap step can point the fabric entity there (and check
 * it against the catalog fabric policy) rather than at the template's GitHub repository.
 */
export function createDemoLocationAction(options: { root: string }) {
  return createTemplateAction({
    id: 'demo:publish:local-git:location',
    description: 'Demo only: the local Git repository and gitops location demo:publish:local-git will publish to',
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('Repository name (an RFC 1123 label)'),
        fabricPath: z => z.string().optional().describe('Fabric directory inside the repository'),
      },
      output: {
        remoteUrl: z => z.string(),
        gitopsLocation: z => z.string(),
      },
    },
    async handler(ctx) {
      const { remoteUrl, gitopsLocation } = localTarget(options.root, ctx.input.name, ctx.input.fabricPath);
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('gitopsLocation', gitopsLocation);
    },
  });
}

export function createDemoPublishAction(options: {
  root: string;
  catalog: typeof catalogServiceRef.T;
}) {
  return createTemplateAction({
    id: 'demo:publish:local-git',
    description:
      'Demo only: publishes the workspace as a new local Git repository and registers its catalog-info.yaml',
    schema: {
      input: {
        name: z => z.string().describe('Repository name (an RFC 1123 label)'),
        fabricPath: z => z.string().optional().describe('Fabric directory inside the repository'),
        catalogInfoPath: z => z.string().describe('catalog-info.yaml inside the workspace'),
      },
      output: {
        remoteUrl: z => z.string(),
        gitopsLocation: z => z.string(),
        entityRef: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const { name, catalogInfoPath } = ctx.input;
      const { repo, remoteUrl, gitopsLocation } = localTarget(options.root, name, ctx.input.fabricPath);
      if (ctx.isDryRun) {
        ctx.output('remoteUrl', remoteUrl);
        ctx.output('gitopsLocation', gitopsLocation);
        return;
      }
      if (await exists(repo)) throw new InputError(`The local repository ${name} exists already`);

      // Point the fabric entity at the local repository.
      // catalogInfoPath is relative to the workspace (catalog:register style: '/dir/catalog-info.yaml')
      const infoFile = path.join(ctx.workspacePath, catalogInfoPath.replace(/^\/+/, ''));
      if (!infoFile.startsWith(ctx.workspacePath + path.sep)) throw new InputError('catalogInfoPath must stay inside the workspace');
      const doc = parseDocument(await fs.readFile(infoFile, 'utf8'));
      doc.setIn(['metadata', 'annotations', ANNOTATION_GITOPS_LOCATION], gitopsLocation);
      await fs.writeFile(infoFile, doc.toString());

      await ctx.checkpoint({
        key: `publish-${name}`,
        fn: async () => {
          const env = { ...process.env, GIT_AUTHOR_NAME: 'Backstage', GIT_AUTHOR_EMAIL: 'scaffolder@backstage.invalid', GIT_COMMITTER_NAME: 'Backstage', GIT_COMMITTER_EMAIL: 'scaffolder@backstage.invalid' };
          await fs.mkdir(options.root, { recursive: true });
          await exec('git', ['init', '--bare', '--quiet', '--initial-branch=main', repo], { env });
          const work = await fs.mkdtemp(path.join(os.tmpdir(), 'demo-publish-'));
          try {
            await fs.cp(ctx.workspacePath, work, { recursive: true });
            await exec('git', ['init', '--quiet', '--initial-branch=main'], { cwd: work, env });
            await exec('git', ['add', '-A'], { cwd: work, env });
            await exec('git', ['commit', '--quiet', '-m', `New Hedgehog fabric ${name}`], { cwd: work, env });
            await exec('git', ['push', '--quiet', repo, 'HEAD:refs/heads/main'], { cwd: work, env });
          } finally {
            await fs.rm(work, { recursive: true, force: true });
          }
          // The catalog reads the entity from a checkout beside the repository.
          const checkout = path.join(options.root, `${name}.catalog`);
          await fs.mkdir(checkout, { recursive: true });
          await fs.copyFile(infoFile, path.join(checkout, 'catalog-info.yaml'));
        },
      });
      const target = path.join(options.root, `${name}.catalog`, 'catalog-info.yaml');
      await options.catalog.addLocation(
        { type: 'file', target },
        { credentials: await ctx.getInitiatorCredentials() },
      );
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('gitopsLocation', gitopsLocation);
      // The catalog answers a registration without its entities (they are read
      // later): the fabric entity is the one of the file just registered.
      const entityName = doc.getIn(['metadata', 'name']);
      if (typeof entityName === 'string') {
        const namespace = doc.getIn(['metadata', 'namespace']);
        ctx.output('entityRef', `resource:${typeof namespace === 'string' ? namespace : 'default'}/${entityName}`);
      }
      ctx.logger.info(`Published fabric ${name} to ${remoteUrl} and registered ${target} in the catalog`);
    },
  });
}

async function exists(p: string) {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

export default createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'demo-publish',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, catalog, config }) {
        if (!config.getOptionalString('hedgehogDemo.examplesDir')) return;
        const root = path.resolve(
          config.getOptionalString('hedgehogDemo.publishRoot') ??
            path.join(os.homedir(), '.cache', 'fabric-gitops', 'published'),
        );
        scaffolder.addActions(createDemoLocationAction({ root }), createDemoPublishAction({ root, catalog }));
      },
    });
  },
});

