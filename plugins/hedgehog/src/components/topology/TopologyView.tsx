import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import {
  DRIFT_STATUS_WORDS,
  DriftStatus,
  FabricTopology,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useEffect, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { hedgehogApiRef } from '../../api';
import { ApiErrorPanel, errorMessage } from '../shared/errors';
import { TopologyDrawing } from './TopologyDrawing';
import {
  DRIFT_COLORS,
  DrawnEdge,
  DrawnNode,
  FAILED_COLOR,
  toDrawing,
} from './topologyLayout';
import { tierLayout } from './tierLayout';
import { savePng, saveSvg, topologySvgText } from './topologyExport';
import { searchTopology, TopologySearchResult } from './topologySearch';
import { TopologyToolbar } from './TopologyToolbar';

export interface TopologyViewProps {
  fabric: string;
  refreshKey?: number;
  /** Opens the resource of a node or an edge. */
  onOpen: (r: { kind: string; name: string }) => void;
}

/** Lays a topology out by tiers (no DOM needed) and returns what the SVG draws. */
export function layOutTopology(topology: FabricTopology) {
  return toDrawing(topology, tierLayout(topology));
}

function searchMessage(
  query: string,
  result: TopologySearchResult,
  expanding: boolean,
): string {
  if (result.found === 'node') {
    const more =
      result.matches > 1 ? ` (the first of ${result.matches} matches)` : '';
    return `Found ${result.node.type} ${result.node.name}${more}`;
  }
  if (result.found === 'group') {
    const on = result.group.switches?.join(', ') || 'no switch';
    return expanding
      ? `Expanding the servers on ${on} to show ${result.server}…`
      : `${result.server} is one of the ${result.group.name} on ${on}, which could not be expanded`;
  }
  return `Nothing named like “${query.trim()}” in this topology`;
}

/**
 * The fabric's topology: spines above leaves above servers, redundancy pairs side by side,
 * each device and link coloured by its drift (red: a failed apply). A node or a link opens
 * its resource; a group of servers expands on click. A search highlights a device and
 * scrolls it into the middle (expanding the group of servers it is in); the picture exports
 * as SVG or PNG.
 */
export function TopologyView({
  fabric,
  refreshKey,
  onOpen,
}: TopologyViewProps) {
  const api = useApi(hedgehogApiRef);
  const [expand, setExpand] = useState<string[]>([]);
  const [query, setQuery] = useState<string>();
  const [zoom, setZoom] = useState(1);
  const [exportError, setExportError] = useState<string>();
  const [exporting, setExporting] = useState(false);
  const svgRef = useRef<SVGSVGElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const drawing = useAsync(
    async () => layOutTopology(await api.getTopology(fabric, expand)),
    [api, fabric, expand, refreshKey],
  );

  const nodes = drawing.value?.nodes;
  const result = useMemo(
    () =>
      query && nodes
        ? searchTopology(
            nodes.map(n => n.node),
            query,
          )
        : undefined,
    [query, nodes],
  );
  const expanding =
    result?.found === 'group' &&
    (!expand.includes(result.group.id) || drawing.loading);
  const highlighted = result?.found === 'node' ? result.node.id : undefined;

  useEffect(() => {
    if (result?.found === 'group' && !expand.includes(result.group.id))
      setExpand(e => [...e, result.group.id]);
  }, [result, expand]);
  useEffect(() => {
    if (!highlighted) return;
    const g = svgRef.current?.querySelector(
      `[data-node-id="${highlighted.replace(/["\\]/g, '\\$&')}"]`,
    );
    g?.scrollIntoView?.({
      block: 'center',
      inline: 'center',
      behavior: 'smooth',
    });
  }, [highlighted, zoom]);

  if (drawing.error) return <ApiErrorPanel error={drawing.error} />;
  if (!drawing.value) return <Progress />;
  const { edges, width, height } = drawing.value;
  const openNode = (n: DrawnNode) => {
    if (n.node.type === 'servers') setExpand(e => [...e, n.id]);
    else if (n.node.kind && !n.node.missing)
      onOpen({ kind: n.node.kind, name: n.node.name });
  };
  const openEdge = (e: DrawnEdge) =>
    e.edge.connection &&
    onOpen({ kind: 'Connection', name: e.edge.connection });
  const onZoom = (z: number | 'fit') => {
    // the whole picture in the box: its width, and the 75 % of the window its height is capped at
    const available = boxRef.current?.clientWidth ?? 0;
    const high = window.innerHeight * 0.75 || Infinity;
    const fit =
      available > 0
        ? Math.min(1, available / (width + 20), high / (height + 20))
        : 1;
    setZoom(z === 'fit' ? fit : Math.min(4, Math.max(0.05, z)));
  };
  const onExport = async (format: 'svg' | 'png') => {
    if (!svgRef.current) return;
    setExportError(undefined);
    setExporting(true);
    try {
      const text = topologySvgText(svgRef.current, width + 20, height + 20);
      if (format === 'svg') saveSvg(text, fabric);
      else await savePng(text, width + 20, height + 20, fabric);
    } catch (e) {
      setExportError(`Export failed: ${errorMessage(e)}`);
    } finally {
      setExporting(false);
    }
  };

  return (
    <InfoCard
      title="Topology"
      subheader="Switches, servers and their Connections; colour: drift (red: apply failed)"
    >
      {nodes!.length === 0 ? (
        <Typography>
          No switches, servers or Connections in this fabric yet.
        </Typography>
      ) : (
        <>
          <TopologyToolbar
            searchMessage={
              query && result
                ? searchMessage(query, result, expanding)
                : undefined
            }
            searchFailed={
              result?.found === 'none' ||
              (result?.found === 'group' && !expanding)
            }
            onSearch={setQuery}
            zoom={zoom}
            onZoom={onZoom}
            onExport={onExport}
            exporting={exporting}
            onCollapse={expand.length > 0 ? () => setExpand([]) : undefined}
          />
          {exportError && (
            <Typography color="error" variant="body2" role="alert">
              {exportError}
            </Typography>
          )}
          <div
            ref={boxRef}
            // width 0 and min-width 100%: as wide as the card, whatever the drawing's width
            // (the card would otherwise grow to the drawing and widen the page)
            style={{
              overflow: 'auto',
              maxHeight: '75vh',
              width: 0,
              minWidth: '100%',
            }}
            data-testid="topology-scroll"
          >
            <TopologyDrawing
              ref={svgRef}
              fabric={fabric}
              nodes={nodes!}
              edges={edges}
              width={width}
              height={height}
              scale={zoom}
              highlighted={highlighted}
              onNode={openNode}
              onEdge={openEdge}
            />
          </div>
          <Typography variant="caption" component="div">
            {(Object.keys(DRIFT_COLORS) as DriftStatus[]).map(s => (
              <span key={s} style={{ color: DRIFT_COLORS[s], marginRight: 12 }}>
                ■ {DRIFT_STATUS_WORDS[s]}
              </span>
            ))}
            <span style={{ color: FAILED_COLOR }}>■ apply failed</span>
          </Typography>
        </>
      )}
    </InfoCard>
  );
}
