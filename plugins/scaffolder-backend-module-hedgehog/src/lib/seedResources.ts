import { InputError } from '@backstage/errors';
import {
  KindScopeSetting,
  describeKindScope,
  kindsOfScope,
  outOfScopeMessage,
  readKindScope,
} from '@fabric-gitops/plugin-hedgehog-common';
import { checkResourcesYaml, describeProblems, toYaml } from './resources';

/** The kinds the fabric manages, as asked: undefined when not asked (the manifest then says nothing). */
export function scopeOf(kinds: string | string[] | undefined): KindScopeSetting | undefined {
  if (kinds === undefined || (typeof kinds === 'string' && kinds.trim() === '')) return undefined;
  const read = readKindScope(kinds);
  if ('problem' in read) throw new InputError(`kinds: ${read.problem}`);
  return read.setting;
}

/**
 * The seed file's content and resource count, after checking every document's
 * structure and that its kind is one the fabric manages (the backend's validation
 * follows in the action).
 */
export function seedContent(
  resources: string | Array<Record<string, unknown>> | undefined,
  scope?: KindScopeSetting,
): { content: string; count: number } | undefined {
  if (resources === undefined) return undefined;
  const text = Array.isArray(resources)
    ? resources.map(r => toYaml(r)).join('---\n')
    : resources;
  if (text.trim() === '') return undefined;
  const { resources: valid, problems } = checkResourcesYaml(text);
  if (problems.length > 0) {
    throw new InputError(
      `the seed resources are not valid: ${describeProblems(problems, true)}`,
    );
  }
  if (valid.length === 0) return undefined;
  const managed = scope ? kindsOfScope(scope) : undefined;
  const outside = valid.filter(r => managed && !managed.includes(r.kind.kind));
  if (outside.length > 0) {
    const r = outside[0];
    throw new InputError(
      `the seed resources are not valid: document ${r.document + 1} (${r.kind.kind} ${r.name}): ${outOfScopeMessage(r.kind.kind)} ` +
        `(kinds: ${describeKindScope(scope!)})${outside.length > 1 ? `, and ${outside.length - 1} more` : ''}`,
    );
  }
  return {
    content: text.endsWith('\n') ? text : `${text}\n`,
    count: valid.length,
  };
}
