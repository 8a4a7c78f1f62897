/**
 * What a YAML value that is not a mapping is, for messages: `a list`, `empty`,
 * `binary data (a !!binary value)`, `a tagged value (e.g. !!set)`,
 * `a string`, `a number`, ...
 *
 * @public
 */
export function describeNonObject(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'empty';
  if (ArrayBuffer.isView(value)) return 'binary data (a !!binary value)';
  if (typeof value === 'object') return 'a tagged value (e.g. !!set)';
  return `a ${typeof value}`;
}
