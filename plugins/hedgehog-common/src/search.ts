/**
 * Search of fabric resources by name, port, IP, subnet, VLAN or ASN
 * (`GET /search?q=`): what a match is, pure so that the backend's query and the
 * catalog module agree.
 */

/** One value of one resource that matched a search. @public */
export interface SearchHit {
  fabric: string;
  kind: string;
  name: string;
  /** Where in the resource the value is: `metadata.name`, `spec.unbundled.link.switch.port`, `spec.subnets.default.vlan`. */
  path: string;
  /** The value as the resource holds it. */
  value: string;
  /** The resource's file in the fabric's Git directory. */
  file?: string;
}

/** The answer of `GET /search`. @public */
export interface SearchResponse {
  items: SearchHit[];
  /** The matches found; when `truncated`, at least this many. */
  totalItems: number;
  /** Whether there are more matches than `items` holds (the limit, or the resources a search reads, was reached). */
  truncated: boolean;
}

/** The longest search query. @public */
export const SEARCH_QUERY_MAX_LENGTH = 100;
/** The most matches one search answers. @public */
export const SEARCH_LIMIT_MAX = 200;

/** A query as searches compare it: trimmed, lower case. @public */
export function searchKey(q: string): string {
  return q.trim().toLowerCase();
}

/**
 * Whether a value of a resource's spec matches a query (given as `searchKey`):
 * the whole value, or whole `/`-separated segments of it at its start or end or
 * in its middle — `E1/34` matches the port `leaf-01/E1/34`, `leaf-01` matches
 * it too, `10.0.1.5` matches the address `10.0.1.5/24`. A number (a VLAN, an
 * ASN) matches only a whole value: `24` matches neither `10.0.1.0/24` nor `1024`.
 *
 * @public
 */
export function matchesSearchValue(value: string, key: string): boolean {
  if (key === '') return false;
  const v = value.toLowerCase();
  if (v === key) return true;
  if (/^\d+$/.test(key)) return false;
  return v.startsWith(`${key}/`) || v.endsWith(`/${key}`) || v.includes(`/${key}/`);
}

/**
 * The matches of a query in one resource: its name when it contains the query,
 * and every value of its spec that `matchesSearchValue`, with its path.
 *
 * @public
 */
export function searchResource(
  object: unknown,
  key: string,
): Array<{ path: string; value: string }> {
  if (!isObject(object) || key === '') return [];
  const hits: Array<{ path: string; value: string }> = [];
  const name = isObject(object.metadata) ? object.metadata.name : undefined;
  if (typeof name === 'string' && name.toLowerCase().includes(key)) {
    hits.push({ path: 'metadata.name', value: name });
  }
  const walk = (node: unknown, path: string) => {
    if (typeof node === 'string' || typeof node === 'number') {
      const value = String(node);
      if (matchesSearchValue(value, key)) hits.push({ path, value });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (isObject(node)) {
      for (const [k, item] of Object.entries(node)) walk(item, `${path}.${k}`);
    }
  };
  walk(object.spec, 'spec');
  return hits;
}

/**
 * The port names a resource's spec holds (`leaf-01/E1/34`, and the switch's own
 * port `E1/34`): every string value of a field named `port` or `ports`, for
 * catalog entities and search indexes.
 *
 * @public
 */
export function portsOf(object: unknown): string[] {
  const ports = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value !== 'string' || value === '') return;
    ports.add(value);
    const slash = value.indexOf('/');
    if (slash > 0 && slash < value.length - 1) ports.add(value.slice(slash + 1));
  };
  const walk = (node: unknown, field: string) => {
    if (Array.isArray(node)) {
      node.forEach(item => walk(item, field));
    } else if (isObject(node)) {
      for (const [k, item] of Object.entries(node)) walk(item, k);
    } else if (field === 'port' || field === 'ports') {
      add(node);
    }
  };
  if (isObject(object)) walk(object.spec, 'spec');
  return [...ports];
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
