import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import { Finding, documentLabel } from '@fabric-gitops/plugin-hedgehog-common';

/** What `POST /api/hedgehog/validate` answers. @public */
export interface ValidationAnswer {
  valid: boolean;
  findings: Finding[];
}

/** The hedgehog backend's validation, on behalf of the task's initiator. @public */
export interface FabricValidator {
  validate(
    files: Array<{ path: string; content: string }>,
    credentials: BackstageCredentials,
    fabric?: string,
  ): Promise<ValidationAnswer>;
}

/** How many errors a refusal lists before it says how many more there are. */
const LISTED = 20;

/**
 * Validates files with the hedgehog backend's `POST /validate` — exactly the rules
 * of a sync — through discovery, with a token issued on behalf of the initiator
 * (so the route's `hedgehog.fabric.read` permission is theirs).
 *
 * @public
 */
export class BackendFabricValidator implements FabricValidator {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetch?: typeof fetch;
    },
  ) {}

  async validate(
    files: Array<{ path: string; content: string }>,
    credentials: BackstageCredentials,
    fabric?: string,
  ): Promise<ValidationAnswer> {
    const baseUrl = await this.deps.discovery.getBaseUrl('hedgehog');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'hedgehog',
    });
    const response = await (this.deps.fetch ?? fetch)(`${baseUrl}/validate`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ files, ...(fabric ? { fabric } : {}) }),
    });
    if (response.ok) return (await response.json()) as ValidationAnswer;
    const error = await ResponseError.fromResponse(response);
    const message = error.body?.error?.message ?? error.message;
    if (response.status === 403) {
      throw new NotAllowedError(
        `the hedgehog backend refused to validate the resources for you: ${message}`,
      );
    }
    if (response.status === 404 && fabric) {
      throw new NotFoundError(`the hedgehog backend: ${message}`);
    }
    throw error;
  }
}

/**
 * Throws an InputError listing the errors of an answer (file, document from 1,
 * JSON path, rule, message), or returns its warnings' count.
 */
export function refuseErrors(answer: ValidationAnswer, what: string): number {
  const errors = answer.findings.filter(f => f.severity === 'error');
  if (answer.valid && errors.length === 0) {
    return answer.findings.length;
  }
  const listed = errors.slice(0, LISTED).map(describeFinding);
  const rest = errors.length - listed.length;
  throw new InputError(
    `${what} did not pass the validation a sync runs (${errors.length} error${
      errors.length === 1 ? '' : 's'
    }): ${listed.join('; ')}${rest > 0 ? `; and ${rest} more` : ''}`,
  );
}

function describeFinding(f: Finding): string {
  const where = [
    f.file,
    f.document === undefined ? '' : documentLabel(f.document),
    f.path,
  ]
    .filter(Boolean)
    .join(', ');
  return `${where}: ${f.message} (${f.rule})`;
}
