import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FabricTopology } from '@fabric-gitops/plugin-hedgehog-common';
import { mockHedgehogApi } from '../../__testUtils__/testUtils';
import { renderWithApis } from '../../__testUtils__/testRender';
import { layOutTopology, TopologyView } from './TopologyView';
import { colorOf, DRIFT_COLORS, FAILED_COLOR, tierOf } from './topologyLayout';
import { pngScale, topologyFileName } from './topologyExport';
import { searchTopology } from './topologySearch';

const ok = { drift: 'in_sync', applyStatus: 'unchanged' } as const;

/** A small fabric as the API answers it: two spines, an ESLAG pair, a lone leaf, a group of servers, a loopback. */
const topology: FabricTopology = {
  nodes: [
    {
      id: 'switch:spine-1',
      type: 'switch',
      name: 'spine-1',
      kind: 'Switch',
      role: 'spine',
      status: ok,
    },
    {
      id: 'switch:spine-2',
      type: 'switch',
      name: 'spine-2',
      kind: 'Switch',
      role: 'spine',
      status: ok,
    },
    {
      id: 'switch:leaf-a',
      type: 'switch',
      name: 'leaf-a',
      kind: 'Switch',
      role: 'server-leaf',
      redundancy: { group: 'eslag-1', type: 'eslag' },
      status: { drift: 'drifted', applyStatus: 'applied' },
    },
    {
      id: 'switch:leaf-c',
      type: 'switch',
      name: 'leaf-c',
      kind: 'Switch',
      role: 'server-leaf',
      status: ok,
    },
    {
      id: 'switch:leaf-b',
      type: 'switch',
      name: 'leaf-b',
      kind: 'Switch',
      role: 'server-leaf',
      redundancy: { group: 'eslag-1', type: 'eslag' },
      status: { drift: 'in_sync', applyStatus: 'failed' },
    },
    {
      id: 'servers:leaf-a,leaf-b',
      type: 'servers',
      name: '3 servers',
      switches: ['leaf-a', 'leaf-b'],
      count: 3,
      members: ['srv-1', 'srv-2', 'srv-3'],
      statusCounts: {
        drift: { in_sync: 2, missing_in_cluster: 1 },
        applyStatus: { applied: 3 },
      },
    },
  ],
  edges: [
    ...['leaf-a', 'leaf-b', 'leaf-c'].flatMap(l =>
      ['spine-1', 'spine-2'].map(s => ({
        id: `${s}--fabric--${l}:switch:${s}->switch:${l}`,
        source: `switch:${s}`,
        target: `switch:${l}`,
        type: 'fabric',
        connection: `${s}--fabric--${l}`,
        links: [],
        linkCount: 2,
        status: ok,
      })),
    ),
    {
      id: 'servers:leaf-a,leaf-b->switch:leaf-a',
      source: 'servers:leaf-a,leaf-b',
      target: 'switch:leaf-a',
      type: 'servers',
      links: [],
      linkCount: 3,
      connections: 3,
      statusCounts: { drift: { in_sync: 3 }, applyStatus: {} },
    },
    {
      id: 'servers:leaf-a,leaf-b->switch:leaf-b',
      source: 'servers:leaf-a,leaf-b',
      target: 'switch:leaf-b',
      type: 'servers',
      links: [],
      linkCount: 3,
      connections: 3,
      statusCounts: { drift: { in_sync: 3 }, applyStatus: {} },
    },
    {
      id: 'leaf-c--vpc-loopback:switch:leaf-c->switch:leaf-c',
      source: 'switch:leaf-c',
      target: 'switch:leaf-c',
      type: 'vpc-loopback',
      connection: 'leaf-c--vpc-loopback',
      links: [],
      linkCount: 2,
      status: ok,
    },
  ],
  notExpanded: [],
  skipped: [],
};

describe('topology layout (tiers) and drawing', () => {
  it('puts spines above leaves above servers, and an ESLAG pair side by side', async () => {
    const drawing = await layOutTopology(topology);
    const y = (id: string) => drawing.nodes.find(n => n.id === id)!.y;
    const x = (id: string) => drawing.nodes.find(n => n.id === id)!.x;
    expect(y('switch:spine-1')).toBe(y('switch:spine-2'));
    expect(y('switch:spine-1')).toBeLessThan(y('switch:leaf-a'));
    expect(y('switch:leaf-a')).toBe(y('switch:leaf-b'));
    expect(y('switch:leaf-a')).toBeLessThan(y('servers:leaf-a,leaf-b'));
    // the pair's leaves are neighbours: the lone leaf is not between them
    const leaves = ['switch:leaf-a', 'switch:leaf-b', 'switch:leaf-c'].sort(
      (a, b) => x(a) - x(b),
    );
    expect(
      Math.abs(
        leaves.indexOf('switch:leaf-a') - leaves.indexOf('switch:leaf-b'),
      ),
    ).toBe(1);
    // every edge but the loopback is routed; the loopback is the leaf's badge
    expect(drawing.edges).toHaveLength(topology.edges.length - 1);
    expect(
      drawing.nodes
        .find(n => n.id === 'switch:leaf-c')!
        .loopbacks.map(e => e.connection),
    ).toEqual(['leaf-c--vpc-loopback']);
    for (const e of drawing.edges)
      expect(e.points.length).toBeGreaterThanOrEqual(2);
    expect(drawing.edges.find(e => e.edge.type === 'servers')!.label).toBe(
      'servers 3 conn · 3 links',
    );
  });

  it('colours by drift, a failed apply red, a group by its worst member', async () => {
    const drawing = await layOutTopology(topology);
    const color = (id: string) => drawing.nodes.find(n => n.id === id)!.color;
    expect(color('switch:spine-1')).toBe(DRIFT_COLORS.in_sync);
    const detail = (id: string) => drawing.nodes.find(n => n.id === id)!.detail;
    expect(detail('switch:leaf-a')).toBe('server-leaf · eslag-1');
    expect(detail('servers:leaf-a,leaf-b')).toBe('on leaf-a, leaf-b');
    expect(color('switch:leaf-a')).toBe(DRIFT_COLORS.drifted);
    expect(color('switch:leaf-b')).toBe(FAILED_COLOR);
    expect(color('servers:leaf-a,leaf-b')).toBe(
      DRIFT_COLORS.missing_in_cluster,
    );
    expect(colorOf(undefined, undefined)).not.toBe(DRIFT_COLORS.in_sync);
    expect(tierOf({ id: 'gateway:g', type: 'gateway', name: 'g' })).toBe(0);
  });
});

describe('TopologyView', () => {
  it('draws the fabric, opens a switch and a link, and expands a group of servers on click', async () => {
    const api = mockHedgehogApi({ getTopology: jest.fn(async () => topology) });
    const onOpen = jest.fn();
    await renderWithApis(<TopologyView fabric="demo" onOpen={onOpen} />, {
      api,
    });

    expect(
      await screen.findByRole('img', { name: 'Topology of demo' }),
    ).toBeInTheDocument();
    expect(api.getTopology).toHaveBeenCalledWith('demo', []);
    fireEvent.click(screen.getByRole('button', { name: 'switch leaf-a' }));
    expect(onOpen).toHaveBeenCalledWith({ kind: 'Switch', name: 'leaf-a' });
    fireEvent.click(
      screen.getByRole('button', {
        name: 'fabric 2×: spine-1--fabric--leaf-a',
      }),
    );
    expect(onOpen).toHaveBeenCalledWith({
      kind: 'Connection',
      name: 'spine-1--fabric--leaf-a',
    });
    fireEvent.click(screen.getByRole('button', { name: 'servers 3 servers' }));
    await waitFor(() =>
      expect(api.getTopology).toHaveBeenLastCalledWith('demo', [
        'servers:leaf-a,leaf-b',
      ]),
    );
    expect(onOpen).toHaveBeenCalledTimes(2);
  });
});

/** The topology with the group of servers expanded: its three servers, each on both leaves. */
const expanded: FabricTopology = {
  ...topology,
  nodes: [
    ...topology.nodes.filter(n => n.type !== 'servers'),
    ...['srv-1', 'srv-2', 'srv-3'].map(name => ({
      id: `server:${name}`,
      type: 'server' as const,
      name,
      kind: 'Server',
      status: ok,
    })),
  ],
  edges: [
    ...topology.edges.filter(e => e.type !== 'servers'),
    ...['srv-1', 'srv-2', 'srv-3'].flatMap(name =>
      ['leaf-a', 'leaf-b'].map(leaf => ({
        id: `${name}--eslag:server:${name}->switch:${leaf}`,
        source: `server:${name}`,
        target: `switch:${leaf}`,
        type: 'eslag',
        connection: `${name}--eslag`,
        links: [],
        linkCount: 1,
        status: ok,
      })),
    ),
  ],
};

async function find(query: string) {
  fireEvent.change(
    screen.getByRole('textbox', { name: 'Find a switch or server' }),
    { target: { value: query } },
  );
  fireEvent.click(screen.getByRole('button', { name: 'Find' }));
}

describe('TopologyView search and export', () => {
  const scrolled = jest.fn();
  beforeEach(() => {
    scrolled.mockReset();
    Object.assign(Element.prototype, { scrollIntoView: scrolled });
  });

  it('highlights the device a search finds and scrolls it into the middle; says when nothing matches', async () => {
    const api = mockHedgehogApi({ getTopology: jest.fn(async () => topology) });
    await renderWithApis(<TopologyView fabric="demo" onOpen={jest.fn()} />, {
      api,
    });
    await screen.findByRole('img', { name: 'Topology of demo' });
    expect(
      screen.getByRole('button', { name: 'switch leaf-c' }),
    ).not.toHaveAttribute('aria-current');

    await find('LEAF-C');
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Found switch leaf-c',
    );
    const leafC = screen.getByRole('button', { name: 'switch leaf-c' });
    expect(leafC).toHaveAttribute('aria-current', 'true');
    expect(
      screen.getByRole('button', { name: 'switch leaf-a' }),
    ).not.toHaveAttribute('aria-current');
    await waitFor(() =>
      expect(scrolled).toHaveBeenCalledWith(
        expect.objectContaining({ block: 'center', inline: 'center' }),
      ),
    );
    expect(scrolled.mock.contexts[0]).toBe(leafC);

    await find('spine');
    expect(screen.getByRole('status')).toHaveTextContent(
      'Found switch spine-1 (the first of 2 matches)',
    );
    expect(
      screen.getByRole('button', { name: 'switch spine-1' }),
    ).toHaveAttribute('aria-current', 'true');

    await find('border-9');
    expect(screen.getByRole('status')).toHaveTextContent(
      'Nothing named like “border-9” in this topology',
    );
    expect(
      screen
        .getByRole('img', { name: 'Topology of demo' })
        .querySelector('[aria-current]'),
    ).toBeNull();
  });

  it('finds a server in a collapsed group: expands the group, then highlights the server', async () => {
    const getTopology = jest.fn(async (_f: string, expand?: string[]) =>
      expand?.length ? expanded : topology,
    );
    const api = mockHedgehogApi({ getTopology });
    await renderWithApis(<TopologyView fabric="demo" onOpen={jest.fn()} />, {
      api,
    });
    await screen.findByRole('img', { name: 'Topology of demo' });
    await find('srv-2');
    await waitFor(() =>
      expect(getTopology).toHaveBeenLastCalledWith('demo', [
        'servers:leaf-a,leaf-b',
      ]),
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'server srv-2' }),
      ).toHaveAttribute('aria-current', 'true'),
    );
    expect(screen.getByRole('status')).toHaveTextContent('Found server srv-2');
    expect(
      screen.queryByRole('button', { name: 'servers 3 servers' }),
    ).toBeNull();
  });

  it('exports the drawing as an SVG file named after the fabric', async () => {
    const blobs: Blob[] = [];
    Object.assign(URL, {
      createObjectURL: jest.fn((b: Blob) => {
        blobs.push(b);
        return 'blob:topology';
      }),
      revokeObjectURL: jest.fn(),
    });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    const names = () =>
      click.mock.contexts.map(a => (a as HTMLAnchorElement).download);
    try {
      const api = mockHedgehogApi({
        getTopology: jest.fn(async () => topology),
      });
      await renderWithApis(<TopologyView fabric="demo" onOpen={jest.fn()} />, {
        api,
      });
      await screen.findByRole('img', { name: 'Topology of demo' });
      fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
      expect(
        screen.getByRole('button', { name: 'Actual size' }),
      ).toHaveTextContent('125 %');
      fireEvent.click(screen.getByRole('button', { name: 'Export SVG' }));
      await waitFor(() => expect(names()).toEqual(['demo-topology.svg']));
      expect(blobs[0].type).toBe('image/svg+xml');
      const text = await blobs[0].text();
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const svg = doc.documentElement;
      expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
      expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
      // the natural size, not the zoomed one on screen
      const drawn = screen.getByRole('img', { name: 'Topology of demo' });
      expect(Number(svg.getAttribute('width'))).toBeCloseTo(
        Number(drawn.getAttribute('width')) / 1.25,
        -1,
      );
      expect(
        within(svg as unknown as HTMLElement).getByText('leaf-a'),
      ).toBeTruthy();
      expect(svg.querySelectorAll('polyline')).toHaveLength(
        topology.edges.length - 1,
      );
    } finally {
      click.mockRestore();
    }
  });

  it('names files after the fabric and keeps the PNG within canvas limits', () => {
    expect(topologyFileName('demo', 'png')).toBe('demo-topology.png');
    expect(topologyFileName('a b/c', 'svg')).toBe('a_b_c-topology.svg');
    expect(pngScale(800, 400)).toBe(2);
    const wide = pngScale(12_000, 900);
    expect(12_000 * wide).toBeLessThanOrEqual(16_000);
    expect(wide).toBeGreaterThan(1);
    expect(40_000 * 3_000 * pngScale(40_000, 3_000) ** 2).toBeLessThanOrEqual(
      64_000_001,
    );
  });

  it('searches names exactly first, then by part, then the members of groups', () => {
    expect(searchTopology(topology.nodes, 'leaf-a')).toMatchObject({
      found: 'node',
      node: { id: 'switch:leaf-a' },
      matches: 1,
    });
    expect(searchTopology(topology.nodes, 'leaf')).toMatchObject({
      found: 'node',
      node: { id: 'switch:leaf-a' },
      matches: 3,
    });
    expect(searchTopology(topology.nodes, 'SRV-3')).toMatchObject({
      found: 'group',
      group: { id: 'servers:leaf-a,leaf-b' },
      server: 'srv-3',
    });
    // the group's label is not a device
    expect(searchTopology(topology.nodes, '3 servers')).toEqual({
      found: 'none',
    });
    expect(searchTopology(topology.nodes, '  ')).toEqual({ found: 'none' });
  });
});
