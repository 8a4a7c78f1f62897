import { forwardRef } from 'react';
import { DrawnEdge, DrawnNode } from './topologyLayout';

const HIGHLIGHT_FILL = '#fff59d';
/** What fits in a box (150 wide): the bold name, the 10-pixel detail; the whole text is in the box's title. */
const LABEL_CHARS = 19;
const DETAIL_CHARS = 26;

/** The text, cut with an ellipsis when it is longer than `max` characters. */
export function fit(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
const HIGHLIGHT_STROKE = '#f9a825';

export interface TopologyDrawingProps {
  fabric: string;
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  width: number;
  height: number;
  /** Screen pixels per unit of the layout. */
  scale: number;
  /** The node a search found. */
  highlighted?: string;
  onNode(n: DrawnNode): void;
  onEdge(e: DrawnEdge): void;
}

/** The laid-out topology as SVG: links as polylines, devices as boxes, the node a search found haloed. */
export const TopologyDrawing = forwardRef<SVGSVGElement, TopologyDrawingProps>(
  function TopologySvg(props, ref) {
    const {
      fabric,
      nodes,
      edges,
      width,
      height,
      scale,
      highlighted,
      onNode,
      onEdge,
    } = props;
    const w = width + 20;
    const h = height + 20;
    return (
      <svg
        ref={ref}
        role="img"
        aria-label={`Topology of ${fabric}`}
        width={Math.round(w * scale)}
        height={Math.round(h * scale)}
        viewBox={`0 0 ${w} ${h}`}
        data-testid="hedgehog-topology"
      >
        <g transform="translate(10,10)">
          {edges.map(e => (
            <g
              key={e.id}
              role="button"
              aria-label={`${e.label}: ${e.edge.connection ?? e.id}`}
              onClick={() => onEdge(e)}
              style={{ cursor: e.edge.connection ? 'pointer' : 'default' }}
            >
              <polyline
                points={e.points.map(p => `${p.x},${p.y}`).join(' ')}
                fill="none"
                stroke={e.color}
                strokeWidth={e.width}
              >
                <title>{`${e.edge.connection ?? e.id} (${e.label})`}</title>
              </polyline>
            </g>
          ))}
          {nodes.map(n => {
            const found = n.id === highlighted;
            return (
              <g
                key={n.id}
                role="button"
                aria-label={`${n.node.type} ${n.label}`}
                aria-current={found ? 'true' : undefined}
                data-node-id={n.id}
                transform={`translate(${n.x},${n.y})`}
                onClick={() => onNode(n)}
                style={{ cursor: 'pointer' }}
              >
                {found && (
                  <rect
                    x={-6}
                    y={-6}
                    width={n.width + 12}
                    height={n.height + 12}
                    rx={9}
                    fill={HIGHLIGHT_FILL}
                    stroke={HIGHLIGHT_STROKE}
                    strokeWidth={3}
                  />
                )}
                <rect
                  width={n.width}
                  height={n.height}
                  rx={6}
                  fill="#fff"
                  stroke={n.color}
                  strokeWidth={found ? 3 : 2}
                  strokeDasharray={n.dashed ? '4 3' : undefined}
                />
                <text x={8} y={18} fontSize={12} fontWeight="bold">
                  {fit(n.label, LABEL_CHARS)}
                </text>
                <text x={8} y={34} fontSize={10} fill="#555">
                  {fit(n.detail, DETAIL_CHARS)}
                </text>
                {n.loopbacks.length > 0 && (
                  <text
                    x={n.width - 8}
                    y={18}
                    fontSize={10}
                    textAnchor="end"
                    fill={n.color}
                  >
                    ⟲{n.loopbacks.length}
                  </text>
                )}
                {n.node.type === 'servers' && (
                  <text
                    x={n.width - 8}
                    y={18}
                    fontSize={12}
                    textAnchor="end"
                    fill={n.color}
                  >
                    ⊕
                  </text>
                )}
                <title>{`${n.label}: ${n.detail}${
                  n.node.type === 'servers' ? ' (click to expand)' : ''
                }`}</title>
              </g>
            );
          })}
        </g>
      </svg>
    );
  },
);
