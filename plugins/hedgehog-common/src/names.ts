import { describeNonObject } from './describeValue';

/**
 * RFC 1123 subdomain, as Kubernetes requires for `metadata.name` of custom
 * resources: lower-case alphanumerics, '-' and '.', starting and ending with an
 * alphanumeric, at most 253 characters.
 */
const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 1123 label: like a subdomain without dots, at most 63 characters. */
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks a resource name. Returns a human-readable problem, or undefined when the
 * name is valid.
 *
 * @public
 */
export function checkResourceName(
  name: unknown,
  maxLength = 253,
): string | undefined {
  if (typeof name !== 'string' || name === '') return nameNotAString(name);
  if (name.length > maxLength) {
    return `name "${truncate(name)}" is ${name.length} characters long; at most ${maxLength} are allowed`;
  }
  if (!RFC1123_SUBDOMAIN.test(name)) {
    return `name "${truncate(name)}" is not a valid RFC 1123 name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)`;
  }
  return undefined;
}

/**
 * Whether a string is a valid RFC 1123 label (fabric names are labels: they are
 * used in URLs, branch names and entity names).
 *
 * @public
 */
export function isValidLabel(name: string): boolean {
  return name.length > 0 && name.length <= 63 && RFC1123_LABEL.test(name);
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * What is wrong with a `metadata.name` that is not a non-empty string: missing,
 * empty, or a YAML scalar of another type (`name: 123` is a number).
 *
 * @public
 */
export function nameNotAString(name: unknown): string {
  if (name === undefined || name === null) return 'metadata.name is required';
  if (name === '') return 'metadata.name is empty';
  if (typeof name === 'number' || typeof name === 'boolean') {
    return `metadata.name is the ${typeof name} ${String(name)}, not a string; quote it ("${String(name)}") if that is the name`;
  }
  const mapping = typeof name === 'object' && Object.getPrototypeOf(name) === Object.prototype;
  return `metadata.name must be a string, not ${mapping ? 'a mapping' : describeNonObject(name)}`;
}
