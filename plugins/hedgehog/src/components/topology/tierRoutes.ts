import { FabricTopology } from '@fabric-gitops/plugin-hedgehog-common';
import { LaidOutTopology, NODE_H, NODE_W } from './topologyLayout';

/* The edges of a tier layout (tierLayout.ts), routed orthogonally. Pure. */

/** Between a row and the row of the tier below (room for the channels). */
export const GAP_TIER = 60;
/** Spines' buses apart (lanes and gutter columns), before they repeat. */
export const BUSES = 8;
export const collator = new Intl.Collator('en', { numeric: true });

/** A node's top left corner. */
export interface Placed {
  x: number;
  y: number;
}

/**
 * Orthogonal edges from the upper node's bottom to the lower node's top (same row: bottom to
 * bottom, under the row). A spine's edges leave from its middle and run on a bus of their own (one channel above
 * each row of leaves, joined down the gutter on the left). Other edges turn in a channel just
 * above the lower node's row, or, when rows lie between, just below the upper node's row and
 * then straight down into the lower node's middle (a group between its leaves: through the gap
 * between the groups under each leaf), or, for a server in a block, down the gap left of it into
 * its left side. The ends of the other edges spread over a side by the
 * other end's place.
 */
export function routeEdges(
  edges: FabricTopology['edges'],
  pos: Map<string, Placed>,
  frame: {
    topIndex: Map<string, number>;
    firstLeafY: number;
    /** nodes in blocks (an expanded group's servers): entered from the left, through the gap between columns */
    stacked: Set<string>;
  },
): LaidOutTopology['edges'] {
  const { topIndex, firstLeafY, stacked } = frame;
  const ends = [...edges]
    .sort((p, q) => collator.compare(p.id, q.id))
    .map(e => {
      const [a, b] =
        pos.get(e.source)!.y <= pos.get(e.target)!.y
          ? [e.source, e.target]
          : [e.target, e.source];
      const pa = pos.get(a)!;
      const pb = pos.get(b)!;
      const bus = topIndex.has(a) && !topIndex.has(b);
      const same = pa.y === pb.y;
      const deep = !bus && !same && pb.y - (pa.y + NODE_H) > GAP_TIER;
      return { e, a, b, pa, pb, bus, same, deep };
    });
  // each side of each node: its edges, by the other end's place
  const sides = new Map<string, Array<{ id: string; other: number }>>();
  const side = (node: string, where: string, id: string, other: string) => {
    const key = `${where}\u0000${node}`;
    if (!sides.has(key)) sides.set(key, []);
    sides.get(key)!.push({ id, other: pos.get(other)!.x });
  };
  for (const { e, a, b, bus, same, deep } of ends) {
    if (!bus) side(a, 'bottom', e.id, b);
    if (!deep) side(b, same ? 'bottom' : 'top', e.id, a);
  }
  const port = new Map<string, number>();
  for (const [key, list] of sides) {
    const { x } = pos.get(key.slice(key.indexOf('\u0000') + 1))!;
    list
      .sort((p, q) => p.other - q.other || collator.compare(p.id, q.id))
      .forEach((p, i) =>
        port.set(
          `${key}\u0000${p.id}`,
          x + (NODE_W * (i + 1)) / (list.length + 1),
        ),
      );
  }
  const at = (node: string, where: string, id: string) =>
    port.get(`${where}\u0000${node}\u0000${id}`)!;
  /** an edge alone on the lower node's top comes straight down when the upper end is above it */
  const alone = (node: string) => sides.get(`top\u0000${node}`)!.length === 1;
  /** edges within a row: each under the row in its own lane (above the lanes of the edges going down) */
  let lanes = 0;

  return ends.map(({ e, a, b, pa, pb, bus, same, deep }) => {
    const start = {
      x: bus ? pa.x + NODE_W / 2 : at(a, 'bottom', e.id),
      y: pa.y + NODE_H,
    };
    const fromLeft = deep && stacked.has(b);
    let end = { x: deep ? pb.x + NODE_W / 2 : at(b, 'top', e.id), y: pb.y };
    if (same) end = { x: at(b, 'bottom', e.id), y: pb.y + NODE_H };
    if (fromLeft) end = { x: pb.x, y: pb.y + NODE_H / 2 };
    if (!deep && !same && alone(b) && start.x > pb.x && start.x < pb.x + NODE_W)
      end.x = start.x;
    let bendPoints: Array<{ x: number; y: number }>;
    if (bus) {
      const k = topIndex.get(a)! % BUSES;
      const lane = (rowY: number) => rowY - 12 - 5 * k;
      bendPoints =
        pb.y <= firstLeafY
          ? [
              { x: start.x, y: lane(pb.y) },
              { x: end.x, y: lane(pb.y) },
            ]
          : [
              { x: start.x, y: lane(firstLeafY) },
              { x: 6 + 6 * k, y: lane(firstLeafY) },
              { x: 6 + 6 * k, y: lane(pb.y) },
              { x: end.x, y: lane(pb.y) },
            ];
    } else if (fromLeft) {
      const gap = pb.x - 10;
      bendPoints = [
        { x: start.x, y: start.y + 20 },
        { x: gap, y: start.y + 20 },
        { x: gap, y: end.y },
      ];
    } else {
      let channel = pb.y - 12;
      if (same) channel = start.y + 6 + 3 * (lanes++ % 4);
      else if (deep) channel = start.y + 20;
      bendPoints =
        start.x === end.x && !same
          ? []
          : [
              { x: start.x, y: channel },
              { x: end.x, y: channel },
            ];
    }
    return { id: e.id, points: [start, ...bendPoints, end] };
  });
}
