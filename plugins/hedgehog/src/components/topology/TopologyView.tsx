import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { DRIFT_STATUS_WORDS, DriftStatus, FabricTopology } from '@fabric-gitops/plugin-hedgehog-common';
import ELK from 'elkjs/lib/elk.bundled.js';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel } from '../shared/errors';
import { DRIFT_COLORS, DrawnEdge, DrawnNode, FAILED_COLOR, toDrawing, toElkGraph } from './topologyLayout';

export interface TopologyViewProps {
  fabric: string;
  refreshKey?: number;
  /** Opens the resource of a node or an edge. */
  onOpen: (r: { kind: string; name: string }) => void;
}

/** Lays a topology out with elkjs (no DOM needed) and returns what the SVG draws. */
export async function layOutTopology(topology: FabricTopology) {
  const laid = await new ELK().layout(toElkGraph(topology));
  return toDrawing(topology, laid);
}

/**
 * The fabric's topology: spines above leaves above servers, redundancy pairs side by side,
 * each device and link coloured by its drift (red: a failed apply). A node or a link opens
 * its resource; a group of servers expands on click.
 */
export function TopologyView({ fabric, refreshKey, onOpen }: TopologyViewProps) {
  const api = useApi(hedgehogApiRef);
  const [expand, setExpand] = useState<string[]>([]);
  const drawing = useAsync(async () => layOutTopology(await api.getTopology(fabric, expand)), [api, fabric, expand, refreshKey]);

  if (drawing.error) return <ApiErrorPanel error={drawing.error} />;
  if (!drawing.value) return <Progress />;
  const { nodes, edges, width, height } = drawing.value;
  const openNode = (n: DrawnNode) => {
    if (n.node.type === 'servers') setExpand(e => [...e, n.id]);
    else if (n.node.kind && !n.node.missing) onOpen({ kind: n.node.kind, name: n.node.name });
  };
  const openEdge = (e: DrawnEdge) => e.edge.connection && onOpen({ kind: 'Connection', name: e.edge.connection });

  return (
    <InfoCard title="Topology" subheader="Switches, servers and their Connections; colour: drift (red: apply failed)">
      {nodes.length === 0 ? (
        <Typography>No switches, servers or Connections in this fabric yet.</Typography>
      ) : (
        <div style={{ overflow: 'auto' }}>
          {expand.length > 0 && (
            <button type="button" onClick={() => setExpand([])}>
              Collapse servers
            </button>
          )}
          <svg role="img" aria-label={`Topology of ${fabric}`} width={width + 20} height={height + 20} data-testid="hedgehog-topology">
            <g transform="translate(10,10)">
              {edges.map(e => (
                <g key={e.id} role="button" aria-label={`${e.label}: ${e.edge.connection ?? e.id}`} onClick={() => openEdge(e)} style={{ cursor: e.edge.connection ? 'pointer' : 'default' }}>
                  <polyline points={e.points.map(p => `${p.x},${p.y}`).join(' ')} fill="none" stroke={e.color} strokeWidth={e.width}>
                    <title>{`${e.edge.connection ?? e.id} (${e.label})`}</title>
                  </polyline>
                </g>
              ))}
              {nodes.map(n => (
                <g key={n.id} role="button" aria-label={`${n.node.type} ${n.label}`} transform={`translate(${n.x},${n.y})`} onClick={() => openNode(n)} style={{ cursor: 'pointer' }}>
                  <rect width={n.width} height={n.height} rx={6} fill="#fff" stroke={n.color} strokeWidth={2} strokeDasharray={n.dashed ? '4 3' : undefined} />
                  <text x={8} y={18} fontSize={12} fontWeight="bold">{n.label}</text>
                  <text x={8} y={34} fontSize={10} fill="#555">{n.detail}</text>
                  {n.loopbacks.length > 0 && (
                    <text x={n.width - 8} y={18} fontSize={10} textAnchor="end" fill={n.color}>⟲{n.loopbacks.length}</text>
                  )}
                  <title>{n.detail}</title>
                </g>
              ))}
            </g>
          </svg>
          <Typography variant="caption" component="div">
            {(Object.keys(DRIFT_COLORS) as DriftStatus[]).map(s => (
              <span key={s} style={{ color: DRIFT_COLORS[s], marginRight: 12 }}>■ {DRIFT_STATUS_WORDS[s]}</span>
            ))}
            <span style={{ color: FAILED_COLOR }}>■ apply failed</span>
          </Typography>
        </div>
      )}
    </InfoCard>
  );
}
