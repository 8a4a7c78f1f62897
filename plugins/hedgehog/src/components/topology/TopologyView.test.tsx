import { fireEvent, screen, waitFor } from '@testing-library/react';
import { FabricTopology } from '@fabric-gitops/plugin-hedgehog-common';
import { mockHedgehogApi } from '../../__testUtils__/testUtils';
import { renderWithApis } from '../../__testUtils__/testRender';
import { layOutTopology, TopologyView } from './TopologyView';
import { colorOf, DRIFT_COLORS, FAILED_COLOR, tierOf } from './topologyLayout';

const ok = { drift: 'in_sync', applyStatus: 'unchanged' } as const;

/** A small fabric as the API answers it: two spines, an ESLAG pair, a lone leaf, a group of servers, a loopback. */
const topology: FabricTopology = {
  nodes: [
    { id: 'switch:spine-1', type: 'switch', name: 'spine-1', kind: 'Switch', role: 'spine', status: ok },
    { id: 'switch:spine-2', type: 'switch', name: 'spine-2', kind: 'Switch', role: 'spine', status: ok },
    { id: 'switch:leaf-a', type: 'switch', name: 'leaf-a', kind: 'Switch', role: 'server-leaf', redundancy: { group: 'eslag-1', type: 'eslag' }, status: { drift: 'drifted', applyStatus: 'applied' } },
    { id: 'switch:leaf-c', type: 'switch', name: 'leaf-c', kind: 'Switch', role: 'server-leaf', status: ok },
    { id: 'switch:leaf-b', type: 'switch', name: 'leaf-b', kind: 'Switch', role: 'server-leaf', redundancy: { group: 'eslag-1', type: 'eslag' }, status: { drift: 'in_sync', applyStatus: 'failed' } },
    { id: 'servers:leaf-a,leaf-b', type: 'servers', name: '3 servers', switches: ['leaf-a', 'leaf-b'], count: 3, statusCounts: { drift: { in_sync: 2, missing_in_cluster: 1 }, applyStatus: { applied: 3 } } },
  ],
  edges: [
    ...['leaf-a', 'leaf-b', 'leaf-c'].flatMap(l =>
      ['spine-1', 'spine-2'].map(s => ({
        id: `${s}--fabric--${l}:switch:${s}->switch:${l}`, source: `switch:${s}`, target: `switch:${l}`, type: 'fabric',
        connection: `${s}--fabric--${l}`, links: [], linkCount: 2, status: ok,
      })),
    ),
    { id: 'servers:leaf-a,leaf-b->switch:leaf-a', source: 'servers:leaf-a,leaf-b', target: 'switch:leaf-a', type: 'servers', links: [], linkCount: 3, connections: 3, statusCounts: { drift: { in_sync: 3 }, applyStatus: {} } },
    { id: 'servers:leaf-a,leaf-b->switch:leaf-b', source: 'servers:leaf-a,leaf-b', target: 'switch:leaf-b', type: 'servers', links: [], linkCount: 3, connections: 3, statusCounts: { drift: { in_sync: 3 }, applyStatus: {} } },
    { id: 'leaf-c--vpc-loopback:switch:leaf-c->switch:leaf-c', source: 'switch:leaf-c', target: 'switch:leaf-c', type: 'vpc-loopback', connection: 'leaf-c--vpc-loopback', links: [], linkCount: 2, status: ok },
  ],
  notExpanded: [],
  skipped: [],
};

describe('topology layout (elkjs) and drawing', () => {
  it('puts spines above leaves above servers, and an ESLAG pair side by side', async () => {
    const drawing = await layOutTopology(topology);
    const y = (id: string) => drawing.nodes.find(n => n.id === id)!.y;
    const x = (id: string) => drawing.nodes.find(n => n.id === id)!.x;
    expect(y('switch:spine-1')).toBe(y('switch:spine-2'));
    expect(y('switch:spine-1')).toBeLessThan(y('switch:leaf-a'));
    expect(y('switch:leaf-a')).toBe(y('switch:leaf-b'));
    expect(y('switch:leaf-a')).toBeLessThan(y('servers:leaf-a,leaf-b'));
    // the pair's leaves are neighbours: the lone leaf is not between them
    const leaves = ['switch:leaf-a', 'switch:leaf-b', 'switch:leaf-c'].sort((a, b) => x(a) - x(b));
    expect(Math.abs(leaves.indexOf('switch:leaf-a') - leaves.indexOf('switch:leaf-b'))).toBe(1);
    // every edge but the loopback is routed; the loopback is the leaf's badge
    expect(drawing.edges).toHaveLength(topology.edges.length - 1);
    expect(drawing.nodes.find(n => n.id === 'switch:leaf-c')!.loopbacks.map(e => e.connection)).toEqual(['leaf-c--vpc-loopback']);
    for (const e of drawing.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
    expect(drawing.edges.find(e => e.edge.type === 'servers')!.label).toBe('servers 3 conn · 3 links');
  });

  it('colours by drift, a failed apply red, a group by its worst member', async () => {
    const drawing = await layOutTopology(topology);
    const color = (id: string) => drawing.nodes.find(n => n.id === id)!.color;
    expect(color('switch:spine-1')).toBe(DRIFT_COLORS.in_sync);
    expect(color('switch:leaf-a')).toBe(DRIFT_COLORS.drifted);
    expect(color('switch:leaf-b')).toBe(FAILED_COLOR);
    expect(color('servers:leaf-a,leaf-b')).toBe(DRIFT_COLORS.missing_in_cluster);
    expect(colorOf(undefined, undefined)).not.toBe(DRIFT_COLORS.in_sync);
    expect(tierOf({ id: 'gateway:g', type: 'gateway', name: 'g' })).toBe(0);
  });
});

describe('TopologyView', () => {
  it('draws the fabric, opens a switch and a link, and expands a group of servers on click', async () => {
    const api = mockHedgehogApi({ getTopology: jest.fn(async () => topology) });
    const onOpen = jest.fn();
    await renderWithApis(<TopologyView fabric="demo" onOpen={onOpen} />, { api });

    expect(await screen.findByRole('img', { name: 'Topology of demo' })).toBeInTheDocument();
    expect(api.getTopology).toHaveBeenCalledWith('demo', []);
    fireEvent.click(screen.getByRole('button', { name: 'switch leaf-a' }));
    expect(onOpen).toHaveBeenCalledWith({ kind: 'Switch', name: 'leaf-a' });
    fireEvent.click(screen.getByRole('button', { name: 'fabric 2×: spine-1--fabric--leaf-a' }));
    expect(onOpen).toHaveBeenCalledWith({ kind: 'Connection', name: 'spine-1--fabric--leaf-a' });
    fireEvent.click(screen.getByRole('button', { name: 'servers 3 servers' }));
    await waitFor(() => expect(api.getTopology).toHaveBeenLastCalledWith('demo', ['servers:leaf-a,leaf-b']));
    expect(onOpen).toHaveBeenCalledTimes(2);
  });
});
