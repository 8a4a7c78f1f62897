import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  MANAGED_DIR,
  MANIFEST_PATH,
  RAW_DIR,
  managedPath,
  parseGitopsLocation,
} from '@fabric-gitops/plugin-hedgehog-common';
import path from 'path';
import { parse as parseYaml } from 'yaml';
import { FabricValidator, refuseErrors } from '../lib/backendValidation';
import { FabricEntityInfo, FabricEntityReader } from '../lib/fabricEntity';
import { repoUrlFromGitUrl } from '../lib/repoUrl';
import {
  CheckedResource,
  checkResource,
  checkResourcesYaml,
  describeProblems,
  toYaml,
} from '../lib/resources';
import {
  joinRel,
  listFiles,
  readIfExists,
  resolveWorkspaceDir,
  writeFilesNoClobber,
} from '../lib/workspace';
import { examples } from './addResource.examples';

/**
 * Creates the `hedgehog:resource:add` action: validates one Hedgehog resource and
 * writes it into `raw/` of a fabric directory checked out into the workspace
 * (for templates that then open a pull request adding a VPC, a server, ...).
 * With a `validator`, the resource also passes the hedgehog backend's validation
 * against the fabric's desired state (subnets, VLANs, references, ...).
 *
 * @public
 */
export function createAddResourceAction(options: {
  fabrics: FabricEntityReader;
  validator?: FabricValidator;
}) {
  return createTemplateAction({
    id: 'hedgehog:resource:add',
    description:
      "Validates a Hedgehog fabric resource (known kind, the kind's apiVersion, RFC 1123 name " +
      "within the kind's limit, namespace default; then the hedgehog backend's validation) and writes it " +
      'into raw/ of a fabric directory in the workspace; refuses a resource the fabric already defines.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        fabric: z =>
          z
            .string()
            .optional()
            .describe(
              'Entity ref of the fabric (e.g. resource:default/lab). When given, the fabric directory ' +
                'must belong to it, and the repository, branch and path of the fabric are output for the publish step.',
            ),
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'The checked-out fabric directory inside the workspace (default: the workspace root)',
            ),
        resource: z =>
          z
            .union([z.string(), z.record(z.unknown())])
            .describe('The resource: YAML text of one document, or an object'),
        fileName: z =>
          z
            .string()
            .optional()
            .describe(
              'File name inside raw/ (default <kind>-<name>.yaml, e.g. vpc-vpc-1.yaml)',
            ),
      },
      output: {
        filePath: z =>
          z.string().describe('The file written, relative to the workspace'),
        kind: z => z.string(),
        name: z => z.string(),
        fabric: z =>
          z.string().optional().describe('Name of the fabric, when known'),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "The fabric's repository as host?owner=&repo= (for publish:github:pull-request)",
            ),
        gitUrl: z =>
          z.string().optional().describe("The fabric's repository URL"),
        branch: z => z.string().optional().describe("The fabric's branch"),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              "The fabric directory inside its repository ('' for the root)",
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const resource = readResource(input.resource);
      const dir = resolveWorkspaceDir(ctx.workspacePath, input.path, 'path');

      let fabric: FabricEntityInfo | undefined;
      if (input.fabric?.trim()) {
        const ref = input.fabric.trim();
        // A read of the catalog: checkpointed so a retried task sees the same fabric.
        fabric = await ctx.checkpoint({
          key: `hedgehog.fabric.lookup.${ref}`,
          fn: async () =>
            options.fabrics.read(ref, await ctx.getInitiatorCredentials()),
        });
      }

      const fabricName = await checkFabricDirectory(dir, fabric);

      const kind = resource.resource.kind;
      const name = resource.resource.name;
      const existing = managedPath(kind, name);
      if ((await readIfExists(path.join(dir.abs, existing))) !== undefined) {
        throw new InputError(
          `${kind.kind} ${name} already exists in ${joinRel(
            dir.rel,
            existing,
          )}; change that file instead of adding the resource again`,
        );
      }
      const clash = await findInRaw(dir.abs, kind.kind, name);
      if (clash) {
        throw new InputError(
          `${kind.kind} ${name} is already defined in ${joinRel(
            dir.rel,
            `${RAW_DIR}/${clash}`,
          )} (not yet ingested); remove it there first`,
        );
      }

      const fileName = rawFileName(input.fileName, kind.kind, name);
      const filePath = `${RAW_DIR}/${fileName}`;
      if (options.validator) {
        const files = [{ path: filePath, content: resource.content }];
        const credentials = await ctx.getInitiatorCredentials();
        // against the fabric's desired state when the backend has the fabric, else alone
        const answer = await options.validator
          .validate(files, credentials, fabricName)
          .catch(e => {
            if (!fabricName || !(e instanceof NotFoundError)) throw e;
            ctx.logger.warn(`The hedgehog backend has no fabric ${fabricName}; validating ${filePath} alone`);
            return options.validator!.validate(files, credentials);
          });
        refuseErrors(answer, `${kind.kind} ${name}`);
      }
      await writeFilesNoClobber(dir, [
        { path: filePath, content: resource.content },
      ]);

      const written = joinRel(dir.rel, filePath);
      ctx.logger.info(
        `${ctx.isDryRun ? '[dry run] ' : ''}Wrote ${
          kind.kind
        } ${name} to ${written}${fabricName ? ` (fabric ${fabricName})` : ''}`,
      );
      ctx.output('filePath', written);
      ctx.output('kind', kind.kind);
      ctx.output('name', name);
      if (fabricName) ctx.output('fabric', fabricName);
      if (fabric) {
        const location = parseGitopsLocation(fabric.gitopsLocation);
        const repoUrl = repoUrlFromGitUrl(location.url);
        if (repoUrl) ctx.output('repoUrl', repoUrl);
        ctx.output('gitUrl', location.url);
        ctx.output('branch', location.branch);
        ctx.output('targetPath', location.path);
      }
    },
  });
}

/** The resource and the text to write, after the structural rules. */
function readResource(value: string | Record<string, unknown>): {
  resource: CheckedResource;
  content: string;
} {
  if (typeof value !== 'string') {
    const result = checkResource(value);
    if ('problem' in result) {
      throw new InputError(
        `the resource is not valid: ${describeProblems(
          [result.problem],
          false,
        )}`,
      );
    }
    return { resource: result.resource, content: toYaml(value) };
  }
  const { resources, problems } = checkResourcesYaml(value);
  if (problems.length > 0) {
    throw new InputError(
      `the resource is not valid: ${describeProblems(problems, false)}`,
    );
  }
  if (resources.length !== 1) {
    throw new InputError(
      resources.length === 0
        ? 'the resource is empty: give one YAML document'
        : `the resource holds ${resources.length} documents; give exactly one`,
    );
  }
  return {
    resource: resources[0],
    content: value.endsWith('\n') ? value : `${value}\n`,
  };
}

/**
 * Makes sure the folder is a fabric directory (it has a manifest, `raw/` or
 * `managed/`) and, when the fabric entity is known, that it is that fabric's.
 * Returns the fabric name when known.
 */
async function checkFabricDirectory(
  dir: { abs: string; rel: string },
  fabric: FabricEntityInfo | undefined,
): Promise<string | undefined> {
  const where = dir.rel || '.';
  const manifest = await readIfExists(path.join(dir.abs, MANIFEST_PATH));
  let manifestFabric: string | undefined;
  if (manifest !== undefined) {
    try {
      const parsed = parseYaml(manifest);
      if (parsed && typeof parsed.fabric === 'string')
        manifestFabric = parsed.fabric;
    } catch {
      // an unreadable manifest says nothing about the fabric; the sync repairs it
    }
  } else {
    const hasRaw = (await listFiles(path.join(dir.abs, RAW_DIR))).length > 0;
    const hasManaged =
      (await listFiles(path.join(dir.abs, MANAGED_DIR))).length > 0;
    if (!hasRaw && !hasManaged) {
      throw new InputError(
        `"${where}" in the workspace is not a fabric directory (it has no ${MANIFEST_PATH}, ${RAW_DIR}/ or ${MANAGED_DIR}/); ` +
          'check out the fabric directory first (e.g. with fetch:plain) and pass its folder as path',
      );
    }
  }
  if (fabric && manifestFabric && manifestFabric !== fabric.name) {
    throw new InputError(
      `"${where}" holds fabric ${manifestFabric}, not ${fabric.name} (${fabric.entityRef})`,
    );
  }
  return fabric?.name ?? manifestFabric;
}

/** The raw file (relative to raw/) that already defines kind/name, if any. */
async function findInRaw(
  fabricDir: string,
  kind: string,
  name: string,
): Promise<string | undefined> {
  const rawDir = path.join(fabricDir, RAW_DIR);
  for (const file of await listFiles(rawDir)) {
    if (!/\.ya?ml$/i.test(file)) continue;
    const text = await readIfExists(path.join(rawDir, file));
    if (!text) continue;
    const { resources } = checkResourcesYaml(text);
    if (resources.some(r => r.kind.kind === kind && r.name === name))
      return file;
  }
  return undefined;
}

/** The file name inside raw/: given (checked) or `<kind>-<name>.yaml`. */
function rawFileName(
  given: string | undefined,
  kind: string,
  name: string,
): string {
  if (!given?.trim()) return `${kind.toLowerCase()}-${name}.yaml`;
  const file = path.posix.normalize(given.trim());
  if (
    path.posix.isAbsolute(file) ||
    file.startsWith('../') ||
    file === '..' ||
    file.includes('\\') ||
    file.includes('\0') ||
    !/\.ya?ml$/i.test(file)
  ) {
    throw new InputError(
      `fileName "${given}" must be a relative path inside ${RAW_DIR}/ ending in .yaml or .yml`,
    );
  }
  return file;
}
