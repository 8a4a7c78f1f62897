import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { ServiceUnavailableError } from '@backstage/errors';
import { countFindings, Finding, hedgehogFabricReadPermission } from '@fabric-gitops/plugin-hedgehog-common';
import { ValidationBusyError } from '../service/ValidationPool';
import { MAX_VALIDATE_BYTES, MAX_VALIDATE_FILES } from '../validation/validateRequest';
import { ActionDeps } from './actionDeps';
import { firstOf } from './bounded';
import { fabricNameSchema, findingSchema } from './fabricSchema';

/** The most findings one answer lists (`errors` and `warnings` count them all). */
export const VALIDATE_MAX_FINDINGS = 100;

/**
 * `hedgehog:validate-files`: YAML files validated before they are committed, as
 * `POST /validate` validates them (the same limits: 200 files, 5 MB of content; in
 * the validation pool's worker threads). Permission as the route: read on some
 * fabric (the policy asked once; denied outright, refused); with a fabric, read on it.
 */
export function registerValidateFilesAction(registry: ActionsRegistryService, deps: ActionDeps) {
  registry.register({
    name: 'validate-files',
    title: 'Validate Hedgehog YAML files',
    description: [
      'Validates Hedgehog Fabric YAML files (VPCs, Connections, Switches, ... one or more documents each) before they',
      'are committed, as a sync would: YAML errors, the kinds\' schemas and the Fabric rules (names, subnets, VLANs,',
      'ports, references between objects). With `fabric`, in that fabric\'s context: the files are checked against its',
      'desired state from Git, its FabricConfig and its cluster (a VPC that overlaps one of the fabric\'s is an error).',
      'Answers `valid` (no error finding), exact `errors` and `warnings` counts and the first findings, each with its',
      'file, document, JSON path, rule and whether it blocks an apply. `path` is how the file would be named in the',
      "fabric's directory (e.g. `raw/vpcs.yaml`). Nothing is stored. The MCP endpoint reads requests of at most about",
      '100 kB; validate larger sets in parts.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          fabric: fabricNameSchema(z).optional().describe('Validate in the context of this fabric (its desired state and cluster)'),
          files: z
            .array(
              z.object({
                path: z.string().min(1).max(1024).describe("The file's path in the fabric directory, e.g. raw/vpcs.yaml"),
                content: z.string().max(MAX_VALIDATE_BYTES).describe('The YAML text'),
              }),
            )
            .min(1)
            .max(MAX_VALIDATE_FILES)
            .describe(`The files, at most ${MAX_VALIDATE_FILES} and ${MAX_VALIDATE_BYTES / 1024 / 1024} MB of content in all`),
        }),
      output: z =>
        z.object({
          valid: z.boolean().describe('No finding is an error'),
          errors: z.number().describe('Error findings in all'),
          warnings: z.number().describe('Warning findings in all'),
          findings: z.array(findingSchema(z)).max(VALIDATE_MAX_FINDINGS).describe('The first findings, by file and document'),
          findingsLeftOut: z.number().describe('Findings left out of the list'),
        }),
    },
    action: async ({ input, credentials }) => {
      // as POST /validate: the policy first (denied outright: refused), then read on the
      // named fabric, checked when the validation asks for its context
      const decisions = await deps.authorizer.decide(credentials, [hedgehogFabricReadPermission]);
      // the route's body, checked again in the worker as the route's is (sizes, fabric name)
      const body = Buffer.from(JSON.stringify({ files: input.files, fabric: input.fabric }), 'utf8');
      let answer: Buffer;
      try {
        answer = await deps.service.validateRequest(body, undefined, fabric => decisions.require(fabric));
      } catch (e) {
        if (!(e instanceof ValidationBusyError)) throw e;
        throw new ServiceUnavailableError(e.message);
      }
      const { valid, findings } = JSON.parse(answer.toString('utf8')) as { valid: boolean; findings: Finding[] };
      const listed = firstOf(findings, VALIDATE_MAX_FINDINGS);
      return { output: { valid, ...countFindings(findings), findings: listed.items, findingsLeftOut: listed.leftOut } };
    },
  });
}
