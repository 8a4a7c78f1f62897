/* Small helpers of the planner. */

/** The planner's key of a resource: `kind/name`. */
export const key = (kind: string, name: string) => `${kind}/${name}`;

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function cmp(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
