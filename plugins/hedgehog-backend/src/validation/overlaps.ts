import { IPv4Prefix } from './ipam';

/*
 * Overlapping IPv4 prefixes, in time and space that do not grow with the number of
 * overlapping pairs (n prefixes that all overlap make n²/2 pairs). Two prefixes
 * overlap only when one holds the other, so the distinct prefixes form a forest
 * (each under the smallest one holding it): what an item overlaps is the items of
 * its own prefix, of the prefixes above it and of those below it, and how many
 * they are is counted in the forest without listing them.
 */

interface Node<T> {
  prefix: IPv4Prefix;
  /** Items of exactly this prefix, as input positions. */
  members: number[];
  parent?: Node<T>;
  children: Node<T>[];
  /** Items of the prefixes above it. */
  above: number;
  /** Items of the prefixes below it. */
  below: number;
}

interface Forest<T> {
  nodes: Node<T>[];
  /** The node of each input position. */
  nodeOf: Node<T>[];
}

function buildForest<T>(items: ReadonlyArray<{ prefix: IPv4Prefix; item: T }>, positions: number[]): Forest<T> {
  const sorted = positions
    .slice()
    .sort((a, b) => items[a].prefix.network - items[b].prefix.network || items[b].prefix.last - items[a].prefix.last || a - b);
  const nodes: Node<T>[] = [];
  const nodeOf: Node<T>[] = [];
  const stack: Node<T>[] = [];
  for (const i of sorted) {
    const { prefix } = items[i];
    const top = stack[stack.length - 1];
    if (top && top.prefix.network === prefix.network && top.prefix.last === prefix.last) {
      top.members.push(i);
      nodeOf[i] = top;
      continue;
    }
    while (stack.length > 0 && stack[stack.length - 1].prefix.last < prefix.network) stack.pop();
    const parent = stack[stack.length - 1];
    const node: Node<T> = { prefix, members: [i], parent, children: [], above: 0, below: 0 };
    parent?.children.push(node);
    nodes.push(node);
    nodeOf[i] = node;
    stack.push(node);
  }
  // parents come before their children in `nodes`
  for (const n of nodes) n.above = n.parent ? n.parent.above + n.parent.members.length : 0;
  for (let k = nodes.length - 1; k >= 0; k--) {
    const n = nodes[k];
    if (n.parent) n.parent.below += n.below + n.members.length;
  }
  return { nodes, nodeOf };
}

/** How many items each item overlaps (itself not counted), by input position. */
function countOverlaps<T>(forest: Forest<T>, positions: number[], out: Map<number, number>) {
  for (const i of positions) {
    const n = forest.nodeOf[i];
    out.set(i, (out.get(i) ?? 0) + n.above + n.members.length - 1 + n.below);
  }
}

/** Up to `max` input positions an item overlaps (those `skip` rejects not counted), looking at most at `budget` items. */
function someOverlapping<T>(forest: Forest<T>, i: number, max: number, skip: (j: number) => boolean): number[] {
  const found: number[] = [];
  let budget = 8 * max + 64;
  const take = (j: number) => {
    budget--;
    if (j !== i && !skip(j)) found.push(j);
    return found.length >= max || budget <= 0;
  };
  const own = forest.nodeOf[i];
  for (let n: Node<T> | undefined = own; n; n = n.parent) {
    for (const j of n.members) if (take(j)) return found;
  }
  const below = [...own.children];
  while (below.length > 0) {
    const n = below.shift()!;
    for (const j of n.members) if (take(j)) return found;
    below.push(...n.children);
  }
  return found;
}

/** What one item overlaps: up to `max` of the others (input order not kept) and how many they are in all. */
export interface ItemOverlaps<T> {
  item: T;
  others: T[];
  count: number;
}

/**
 * For each item that overlaps others: up to `max` of them and their number. Items
 * of the same `group` (e.g. subnets of one document) are neither listed nor counted.
 * In input order; items that overlap nothing are left out.
 */
export function overlapsOf<T>(
  items: ReadonlyArray<{ prefix: IPv4Prefix; item: T }>,
  max: number,
  group?: (item: T) => unknown,
): Array<ItemOverlaps<T>> {
  const all = items.map((_, i) => i);
  const forest = buildForest(items, all);
  const counts = new Map<number, number>();
  countOverlaps(forest, all, counts);
  // what each item overlaps within its own group, counted the same way and taken off
  const same = new Map<number, number>();
  if (group) {
    const groups = new Map<unknown, number[]>();
    for (const i of all) {
      const g = group(items[i].item);
      const list = groups.get(g);
      if (list) list.push(i);
      else groups.set(g, [i]);
    }
    for (const positions of groups.values()) countOverlaps(buildForest(items, positions), positions, same);
  }
  const out: Array<ItemOverlaps<T>> = [];
  for (const i of all) {
    const count = counts.get(i)! - (same.get(i) ?? 0);
    if (count <= 0) continue;
    const g = group?.(items[i].item);
    const skip = group ? (j: number) => group(items[j].item) === g : () => false;
    const others = someOverlapping(forest, i, max, skip).map(j => items[j].item);
    out.push({ item: items[i].item, others, count });
  }
  return out;
}

/**
 * Overlapping pairs, each once as [earlier, later] in input order: at most `max`
 * of them, and how many there are in all.
 */
export function findOverlaps<T>(items: ReadonlyArray<{ prefix: IPv4Prefix; item: T }>, max: number): { pairs: Array<[T, T]>; total: number } {
  const all = items.map((_, i) => i);
  const forest = buildForest(items, all);
  const counts = new Map<number, number>();
  countOverlaps(forest, all, counts);
  let twice = 0;
  for (const c of counts.values()) twice += c;
  const pairs: Array<[T, T]> = [];
  for (const i of all) {
    if (pairs.length >= max) break;
    if (counts.get(i)! === 0) continue;
    // pairs with an earlier item, so that each pair comes once
    for (const j of someOverlapping(forest, i, max - pairs.length, k => k > i)) pairs.push([items[j].item, items[i].item]);
  }
  return { pairs, total: twice / 2 };
}
