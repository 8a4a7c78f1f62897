import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  Fabric,
  HedgehogApi,
  ResourceItem,
} from '@fabric-gitops/plugin-hedgehog-common';

/** The part of the hedgehog API the provider reads. @public */
export type HedgehogReadApi = Pick<
  HedgehogApi,
  'listFabrics' | 'listResources' | 'getResource'
>;

const PAGE = 500;

/**
 * The entity ref of a fabric's entity: its source when that is an entity ref
 * (catalog-defined fabrics), otherwise `resource:default/<name>`.
 *
 * @public
 */
export function fabricRefOf(fabric: Fabric): string {
  if (fabric.source.includes(':') && fabric.source.includes('/')) {
    try {
      return stringifyEntityRef(parseEntityRef(fabric.source));
    } catch {
      // not an entity ref
    }
  }
  return `resource:default/${fabric.name}`;
}

/** Every resource of a kind in a fabric, with its desired object, page after page. */
export async function listAll(
  client: HedgehogReadApi,
  fabric: string,
  kind: string,
): Promise<ResourceItem[]> {
  const items: ResourceItem[] = [];
  for (;;) {
    const page = await client.listResources(fabric, {
      kind,
      offset: items.length,
      limit: PAGE,
      include: 'desired',
    });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.totalItems)
      return items;
  }
}

/** Runs `fn` over the items with at most `limit` at once; results in the items' order. */
export async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}
