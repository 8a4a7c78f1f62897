import {
  Finding,
  apiVersionOf,
  checkResourceName,
  findKind,
} from '@fabric-gitops/plugin-hedgehog-common';

/** A resource to validate, with where it lives. */
export interface ValidationInput {
  gitPath: string;
  object: Record<string, unknown>;
}

/**
 * Structural rules over the whole desired state: a known kind at its supported
 * apiVersion, a valid RFC 1123 name within the kind's length limit, namespace
 * `default`, and no kind/name defined twice. Pure; reports every problem.
 */
export function validateStructure(resources: ValidationInput[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  for (const { gitPath, object } of resources) {
    const at = (rule: string, path: string, message: string) =>
      findings.push({ severity: 'error', rule, file: gitPath, document: 0, path, message });
    const kindName = String(object.kind);
    const kind = findKind(kindName);
    const metadata = (object.metadata ?? {}) as Record<string, unknown>;
    if (!kind) {
      at('structure.kind', 'kind', `kind ${kindName} is not one of the managed kinds`);
      continue;
    }
    if (object.apiVersion !== apiVersionOf(kind)) {
      at('structure.api-version', 'apiVersion', `${kind.kind} must use apiVersion ${apiVersionOf(kind)}, not ${String(object.apiVersion)}`);
    }
    const nameProblem = checkResourceName(metadata.name, kind.maxNameLength);
    if (nameProblem) at('structure.name', 'metadata.name', `${kind.kind}: ${nameProblem}`);
    if (metadata.namespace !== undefined && metadata.namespace !== 'default') {
      at('structure.namespace', 'metadata.namespace', `${kind.kind} ${String(metadata.name)}: namespace must be "default"`);
    }
    const key = `${kind.kind}/${String(metadata.name)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      at('structure.duplicate', 'metadata.name', `${kind.kind} ${String(metadata.name)} is also defined in ${first}`);
    } else {
      seen.set(key, gitPath);
    }
  }
  return findings;
}
