import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_GITOPS_LOCATION,
  FABRIC_ENTITY_TYPE,
  KIND_SCOPE_PRESETS,
  MANIFEST_PATH,
  RAW_DIR,
  formatGitopsLocation,
  isValidLabel,
  layoutFiles,
  parseGitopsLocation,
} from '@fabric-gitops/plugin-hedgehog-common';
import {
  catalogFabricRefusal,
  readCatalogFabricPolicy,
  readHedgehogClusterNames,
} from '@fabric-gitops/plugin-hedgehog-node';
import { FabricValidator, refuseErrors } from '../lib/backendValidation';
import { gitUrlFromRepoUrl } from '../lib/repoUrl';
import { toYaml } from '../lib/resources';
import { scopeOf, seedContent } from '../lib/seedResources';
import {
  joinRel,
  readIfExists,
  resolveWorkspaceDir,
  writeFilesNoClobber,
} from '../lib/workspace';
import { examples } from './bootstrapFabric.examples';

/** File name of the fabric entity, inside the fabric directory. */
export const CATALOG_INFO_FILE = 'catalog-info.yaml';
/** File the seed resources are written to. */
export const SEED_FILE = `${RAW_DIR}/seed.yaml`;

/**
 * Creates the `hedgehog:fabric:bootstrap` action: writes a fabric's GitOps
 * directory (`raw/`, `managed/<plural>/` for the managed kinds,
 * `unmanaged/`, `.gitops/manifest.yaml`, `README.md`), optional seed resources in
 * `raw/seed.yaml` and the fabric's `catalog-info.yaml` into the task workspace.
 * Refuses (also in a dry run) a repository or cluster outside the catalog fabric
 * policy of app-config (`hedgehog.catalogFabrics`, `hedgehog.clusters[].allowCatalogFabrics`),
 * whose fabric the hedgehog plugin would never sync. With a `validator`, the seed
 * resources also pass the hedgehog backend's validation (the rules of a sync).
 *
 * @public
 */
export function createBootstrapFabricAction(options: {
  config: Config;
  validator?: FabricValidator;
}) {
  const clusterNames = () => readHedgehogClusterNames(options.config);

  return createTemplateAction({
    id: 'hedgehog:fabric:bootstrap',
    description:
      'Writes the GitOps directory of a new Hedgehog fabric (raw/, managed/<kind>/, unmanaged/, ' +
      '.gitops/manifest.yaml, README.md), optional seed resources and the catalog-info.yaml of the ' +
      'fabric entity into the workspace. Publish the workspace and register the catalog-info.yaml afterwards.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'Fabric name: an RFC 1123 label (lower-case letters, digits and "-", at most 63 characters). ' +
                'It is the fabric id in URLs and the name of the catalog entity.',
            ),
        title: z => z.string().min(1).describe('Display name of the fabric'),
        owner: z =>
          z
            .string()
            .min(1)
            .describe('Entity ref of the owner, e.g. group:default/network'),
        description: z => z.string().optional().describe('What the fabric is'),
        path: z =>
          z
            .string()
            .describe(
              'The fabric directory inside the workspace, which is also its path inside the ' +
                'published repository (e.g. fabrics/lab; "." for the repository root)',
            ),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'Where the template publishes the workspace: the RepoUrlPicker value ' +
                '(github.com?owner=<owner>&repo=<repo>) or a Git URL. Used for the ' +
                'githedgehog.com/gitops-location annotation. Required unless gitopsLocation is given.',
            ),
        branch: z =>
          z
            .string()
            .optional()
            .describe('Branch the template publishes to (default main)'),
        gitopsLocation: z =>
          z
            .string()
            .optional()
            .describe(
              'The githedgehog.com/gitops-location annotation as is (url:<tree URL> or ' +
                'url:<git url>#<branch>:<path>), instead of repoUrl and branch',
            ),
        cluster: z =>
          z
            .string()
            .optional()
            .describe('Name of a cluster from hedgehog.clusters in app-config'),
        kinds: z =>
          z
            .union([z.string(), z.array(z.string())])
            .optional()
            .describe(
              `The kinds the fabric manages, written into .gitops/manifest.yaml (scope): ${KIND_SCOPE_PRESETS.join(', ')} — all (default), ` +
                'day2 (VPCs, externals, their attachments and peerings; the wiring comes from the installer), ' +
                'wiring, or a list of kind names',
            ),
        resources: z =>
          z
            .union([z.string(), z.array(z.record(z.unknown()))])
            .optional()
            .describe(
              'Seed resources: YAML text (several documents allowed) or a list of objects. ' +
                'They are validated and written to raw/seed.yaml; the first sync ingests them.',
            ),
      },
      output: {
        fabricPath: z =>
          z
            .string()
            .describe(
              'The fabric directory relative to the workspace ("." for the root)',
            ),
        catalogInfoPath: z =>
          z
            .string()
            .describe(
              'Path of catalog-info.yaml for catalog:register (starts with "/")',
            ),
        gitopsLocation: z =>
          z.string().describe('The githedgehog.com/gitops-location annotation'),
        entityRef: z => z.string().describe('Entity ref of the fabric entity'),
        files: z =>
          z
            .array(z.string())
            .describe('Files written, relative to the workspace'),
        resourceCount: z =>
          z.number().describe('Number of seed resources written'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const name = input.name.trim();
      if (!isValidLabel(name)) {
        throw new InputError(
          `name "${input.name}" is not a valid fabric name: use an RFC 1123 label ` +
            '(lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)',
        );
      }
      const title = input.title.trim();
      const owner = input.owner.trim();
      if (!title) throw new InputError('title must not be empty');
      if (!owner || /\s/.test(owner)) {
        throw new InputError(
          `owner "${input.owner}" is not an entity ref (e.g. group:default/network)`,
        );
      }

      const dir = resolveWorkspaceDir(ctx.workspacePath, input.path, 'path');

      if (input.cluster !== undefined && input.cluster.trim() !== '') {
        const known = clusterNames();
        if (!known.includes(input.cluster.trim())) {
          throw new InputError(
            known.length === 0
              ? `cluster "${input.cluster}" is not defined: no clusters are configured in hedgehog.clusters`
              : `cluster "${
                  input.cluster
                }" is not defined in hedgehog.clusters (known: ${known.join(
                  ', ',
                )})`,
          );
        }
      }
      const cluster = input.cluster?.trim() || undefined;

      const gitopsLocation = locationOf(input, dir.rel);
      // The hedgehog plugin syncs a fabric entity only inside its catalog fabric policy:
      // refuse one it would block now (also in a dry run) rather than after publishing.
      const refusal = catalogFabricRefusal(
        readCatalogFabricPolicy(options.config),
        { git: parseGitopsLocation(gitopsLocation), cluster },
      );
      if (refusal) {
        throw new InputError(
          `the fabric would never be synced: ${refusal}. The hedgehog plugin syncs fabrics of ` +
            'catalog entities only inside hedgehog.catalogFabrics of app-config; choose an allowed ' +
            'repository and cluster, or ask an operator to allow them',
        );
      }

      if ((await readIfExists(`${dir.abs}/${MANIFEST_PATH}`)) !== undefined) {
        throw new InputError(
          `${joinRel(
            dir.rel,
            MANIFEST_PATH,
          )} exists: the workspace already holds a fabric directory at "${
            dir.rel || '.'
          }"`,
        );
      }

      const scope = scopeOf(input.kinds);
      const seed = seedContent(input.resources, scope);
      if (seed && options.validator) {
        // the rules of a sync, by the hedgehog backend (read-only; also in a dry run)
        const seedPath = joinRel(dir.rel, SEED_FILE);
        const answer = await options.validator.validate(
          [{ path: seedPath, content: seed.content }],
          await ctx.getInitiatorCredentials(),
        );
        const warnings = refuseErrors(answer, 'the seed resources');
        ctx.logger.info(
          `The hedgehog backend validated ${seedPath}: no errors, ${warnings} warning(s)`,
        );
      }

      const entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name,
          title,
          ...(input.description?.trim()
            ? { description: input.description.trim() }
            : {}),
          annotations: {
            [ANNOTATION_GITOPS_LOCATION]: gitopsLocation,
            ...(cluster ? { [ANNOTATION_CLUSTER]: cluster } : {}),
          },
        },
        spec: { type: FABRIC_ENTITY_TYPE, owner },
      };

      const files = [
        ...layoutFiles(name, scope),
        ...(seed ? [{ path: SEED_FILE, content: seed.content }] : []),
        { path: CATALOG_INFO_FILE, content: toYaml(entity) },
      ];
      const written = await writeFilesNoClobber(dir, files);

      ctx.logger.info(
        `${ctx.isDryRun ? '[dry run] ' : ''}Bootstrapped fabric ${name} in ${
          dir.rel || 'the workspace root'
        }: ` +
          `${written.length} files, ${
            seed?.count ?? 0
          } seed resource(s), gitops location ${gitopsLocation}`,
      );
      ctx.output('fabricPath', dir.rel || '.');
      ctx.output('catalogInfoPath', `/${joinRel(dir.rel, CATALOG_INFO_FILE)}`);
      ctx.output('gitopsLocation', gitopsLocation);
      ctx.output('entityRef', `resource:default/${name}`);
      ctx.output(
        'files',
        written.map(f => joinRel(dir.rel, f)),
      );
      ctx.output('resourceCount', seed?.count ?? 0);
    },
  });
}

/** The annotation value: given as is, or built from repoUrl, branch and path. */
function locationOf(
  input: { repoUrl?: string; branch?: string; gitopsLocation?: string },
  fabricPath: string,
): string {
  if (input.gitopsLocation?.trim()) {
    const value = input.gitopsLocation.trim();
    const parsed = parseGitopsLocation(value);
    if (parsed.path !== fabricPath) {
      throw new InputError(
        `gitopsLocation points at "${
          parsed.path || '.'
        }" but the fabric is written to "${
          fabricPath || '.'
        }"; they must be the same folder`,
      );
    }
    return value;
  }
  if (!input.repoUrl?.trim()) {
    throw new InputError(
      'repoUrl (where the template publishes the fabric) or gitopsLocation is required to point the fabric entity at its Git location',
    );
  }
  const branch = input.branch?.trim() || 'main';
  const value = formatGitopsLocation({
    url: gitUrlFromRepoUrl(input.repoUrl),
    branch,
    path: fabricPath,
  });
  parseGitopsLocation(value); // refuses credentials in the URL, bad branch names, ...
  return value;
}
