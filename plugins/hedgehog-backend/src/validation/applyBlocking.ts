import { Finding, blocksApply } from '@fabric-gitops/plugin-hedgehog-common';

/** Why an apply leaves a resource out, from its findings. */
export interface ApplyBlocking {
  /** Its error findings: such a resource is never applied. */
  errors: number;
  /** The first finding that blocks it (and how many more), when any does. */
  blockedReason?: string;
}

/**
 * Whether a resource's findings keep it from being applied, as the apply, its plan and
 * a pull request's plan all decide it: errors and the warnings that block (`blocksApply`,
 * e.g. wiring that is not hydrated). Pure.
 */
export function applyBlocking(findings: readonly Finding[]): ApplyBlocking {
  const blocking = findings.filter(blocksApply);
  return {
    errors: blocking.filter(f => f.severity === 'error').length,
    ...(blocking.length > 0
      ? { blockedReason: `not applied: ${blocking[0].message}${blocking.length > 1 ? ` (+${blocking.length - 1} more)` : ''}` }
      : {}),
  };
}
