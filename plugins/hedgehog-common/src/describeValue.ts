/**
 * What a YAML document that is not a mapping is, for messages: `a list`,
 * `empty`, `a tagged value (e.g. !!binary)`, `a string`, `a number`, ...
 *
 * @public
 */
export function describeNonObject(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'object') return 'a tagged value (e.g. !!binary)';
  return `a ${typeof value}`;
}
