import { isNode, parseDocument, stringify } from 'yaml';

/** YAML of an object as the user would write it (no line folding). */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/**
 * Splits a difference path (`spec.subnets.default.vlan`,
 * `spec.links[0].leaf.port`) into the segments of `value`. Object keys may
 * contain dots (labels, annotations), so the keys are matched against the object
 * greedily. Returns undefined when the path does not resolve.
 */
export function resolvePath(
  value: unknown,
  path: string,
): Array<string | number> | undefined {
  const tokens: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1] !== '') tokens.push(m[1]);
    for (const idx of m[2].match(/\d+/g) ?? []) tokens.push(Number(idx));
  }
  const out: Array<string | number> = [];
  let current: unknown = value;
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (typeof t === 'number') {
      if (!Array.isArray(current) || t >= current.length) return undefined;
      current = current[t];
      out.push(t);
      i++;
      continue;
    }
    if (
      current === null ||
      typeof current !== 'object' ||
      Array.isArray(current)
    ) {
      return undefined;
    }
    // the longest run of string tokens that is a key
    let matched = -1;
    let key = '';
    let candidate = '';
    for (let j = i; j < tokens.length && typeof tokens[j] === 'string'; j++) {
      candidate = j === i ? String(tokens[j]) : `${candidate}.${tokens[j]}`;
      if (Object.prototype.hasOwnProperty.call(current, candidate)) {
        matched = j;
        key = candidate;
      }
    }
    if (matched < 0) return undefined;
    current = (current as Record<string, unknown>)[key];
    out.push(key);
    i = matched + 1;
  }
  return out;
}

/**
 * 1-based line numbers in `toYaml(value)` of the fields at `paths` (for
 * highlighting differences in the YAML view).
 */
export function linesOf(
  value: unknown,
  text: string,
  paths: string[],
): number[] {
  if (!value || paths.length === 0) return [];
  const parsed = parseDocument(text);
  const lines = new Set<number>();
  for (const path of paths) {
    const segments = resolvePath(value, path);
    if (!segments) continue;
    const node = parsed.getIn(segments, true);
    if (isNode(node) && node.range) {
      lines.add(text.slice(0, node.range[0]).split('\n').length);
    }
  }
  return [...lines].sort((a, b) => a - b);
}
