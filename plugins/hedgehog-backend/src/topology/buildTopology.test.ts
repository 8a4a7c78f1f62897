import { FabricTopology, TOPOLOGY_EXPANDED_SERVERS_MAX, TopologyEdge, TopologyNode } from '@fabric-gitops/plugin-hedgehog-common';
import { sampleDocuments } from '../validation/__testUtils__/samples';
import { buildTopology, TopologyResource } from './buildTopology';

/** How many servers a node stands for. */
const serversIn = (node: TopologyNode) => (node.type === 'servers' ? node.count ?? 0 : Number(node.type === 'server'));

function fromSample(file: string): TopologyResource[] {
  return sampleDocuments(file).map(d => ({
    kind: (d.object as any).kind,
    name: (d.object as any).metadata.name,
    object: d.object as Record<string, any>,
    drift: 'in_sync',
    applyStatus: 'unchanged',
  }));
}

function resource(kind: string, name: string, spec: Record<string, unknown>, drift: TopologyResource['drift'] = 'in_sync'): TopologyResource {
  return { kind, name, object: { kind, metadata: { name }, spec }, drift, applyStatus: 'applied' };
}

const edgesOf = (t: FabricTopology, connection: string) => t.edges.filter(e => e.connection === connection);
const ends = (e: TopologyEdge) => `${e.source} -> ${e.target}`;

describe('buildTopology on the HNP vlab wiring (sample 04: fabric, vpc-loopback, mclag-domain, mclag, eslag, bundled, unbundled)', () => {
  const resources = fromSample('04-hnp-vlab-prepop.yaml');
  const expandAll = ['servers:leaf-01,leaf-02', 'servers:leaf-03,leaf-04', 'servers:leaf-05'];
  const full = buildTopology(resources, { expand: expandAll });

  it('makes a node per switch with role, groups and redundancy', () => {
    const leaf1 = full.nodes.find(n => n.id === 'switch:leaf-01');
    expect(leaf1).toMatchObject({
      type: 'switch',
      kind: 'Switch',
      role: 'server-leaf',
      groups: ['mclag-1'],
      redundancy: { group: 'mclag-1', type: 'mclag' },
      status: { drift: 'in_sync', applyStatus: 'unchanged' },
    });
    expect(full.nodes.find(n => n.id === 'switch:spine-01')).toMatchObject({ role: 'spine', redundancy: undefined });
    expect(full.nodes.filter(n => n.type === 'switch')).toHaveLength(7);
    expect(full.nodes.filter(n => n.type === 'server')).toHaveLength(10);
    expect(full.skipped).toEqual([]);
    expect(full.notExpanded).toEqual([]);
  });

  it('draws a fabric Connection as one spine -> leaf edge with its links', () => {
    const [edge] = edgesOf(full, 'spine-01--fabric--leaf-03');
    expect(ends(edge)).toBe('switch:spine-01 -> switch:leaf-03');
    expect(edge).toMatchObject({ type: 'fabric', linkCount: 2 });
    expect(edge.links[0].ports).toHaveLength(2);
    expect(edge.links[0].ports[0]).toMatch(/^spine-01\//);
    expect(edge.links[0].ports[1]).toMatch(/^leaf-03\//);
    expect(full.edges.filter(e => e.type === 'fabric')).toHaveLength(10);
  });

  it('draws an MCLAG domain as one edge between the pair, peer and session links told apart', () => {
    const [edge] = edgesOf(full, 'leaf-01--mclag-domain--leaf-02');
    expect(ends(edge)).toBe('switch:leaf-01 -> switch:leaf-02');
    expect(edge).toMatchObject({ type: 'mclag-domain', linkCount: 4 });
    expect(edge.links.map(l => l.purpose)).toEqual(['peer', 'peer', 'session', 'session']);
  });

  it('draws a VPC loopback as an edge from the switch to itself', () => {
    const [edge] = edgesOf(full, 'leaf-05--vpc-loopback');
    expect(ends(edge)).toBe('switch:leaf-05 -> switch:leaf-05');
    expect(edge).toMatchObject({ type: 'vpc-loopback', linkCount: 2 });
  });

  it('draws MCLAG and ESLAG Connections as one edge per switch, grouped by the Connection', () => {
    for (const [name, type, a, b] of [
      ['server-01--mclag--leaf-01--leaf-02', 'mclag', 'leaf-01', 'leaf-02'],
      ['server-05--eslag--leaf-03--leaf-04', 'eslag', 'leaf-03', 'leaf-04'],
    ]) {
      const edges = edgesOf(full, name);
      expect(edges.map(ends).sort()).toEqual([
        `server:${name.split('--')[0]} -> switch:${a}`,
        `server:${name.split('--')[0]} -> switch:${b}`,
      ]);
      for (const e of edges) {
        expect(e).toMatchObject({ type, linkCount: 1, bundle: { connection: name, type, switches: 2 } });
      }
    }
  });

  it('draws bundled and unbundled Connections as one server -> switch edge', () => {
    const [bundled] = edgesOf(full, 'server-04--bundled--leaf-02');
    expect(ends(bundled)).toBe('server:server-04 -> switch:leaf-02');
    expect(bundled).toMatchObject({ type: 'bundled', linkCount: 2, bundle: { connection: 'server-04--bundled--leaf-02', switches: 1 } });
    const [unbundled] = edgesOf(full, 'server-03--unbundled--leaf-01');
    expect(unbundled).toMatchObject({ type: 'unbundled', linkCount: 1, bundle: undefined });
    expect(unbundled.links).toEqual([{ ports: ['server-03/enp2s1', 'leaf-01/E1/7'] }]);
    // every Connection of the sample is drawn
    const connections = resources.filter(r => r.kind === 'Connection').map(r => r.name).sort();
    expect([...new Set(full.edges.map(e => e.connection))].sort()).toEqual(connections);
  });

  it('collapses servers per set of switches they attach to, with counts; a lone server stays itself', () => {
    const t = buildTopology(resources);
    const groups = t.nodes.filter(n => n.type === 'servers');
    expect(groups.map(g => [g.id, g.count, g.members])).toEqual([
      ['servers:leaf-01,leaf-02', 2, ['server-01', 'server-02']],
      ['servers:leaf-03,leaf-04', 2, ['server-05', 'server-06']],
      ['servers:leaf-05', 2, ['server-09', 'server-10']],
    ]);
    expect(groups[0]).toMatchObject({ name: '2 servers', switches: ['leaf-01', 'leaf-02'], statusCounts: { drift: { in_sync: 2 } } });
    expect(t.nodes.filter(n => n.type === 'server').map(n => n.name).sort()).toEqual(['server-03', 'server-04', 'server-07', 'server-08']);
    // a group's edges: one per switch, with the links and Connections they stand for
    const toLeaf5 = t.edges.find(e => e.id === 'servers:leaf-05->switch:leaf-05');
    expect(toLeaf5).toMatchObject({ type: 'servers', linkCount: 3, connections: 2, statusCounts: { drift: { in_sync: 2 } } });
    expect(t.edges.filter(e => e.source === 'servers:leaf-03,leaf-04').map(e => [e.target, e.linkCount, e.connections])).toEqual([
      ['switch:leaf-03', 2, 2],
      ['switch:leaf-04', 2, 2],
    ]);
    // no edge is left pointing at a collapsed server
    const ids = new Set(t.nodes.map(n => n.id));
    for (const e of t.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
  });

  it('expands only the groups asked for, and says which it could not', () => {
    const t = buildTopology(resources, { expand: ['servers:leaf-05', 'servers:nowhere'] });
    expect(t.nodes.filter(n => n.type === 'servers').map(n => n.id)).toEqual(['servers:leaf-01,leaf-02', 'servers:leaf-03,leaf-04']);
    expect(t.nodes.some(n => n.id === 'server:server-09')).toBe(true);
    expect(t.notExpanded).toEqual(['servers:nowhere']);
  });
});

describe('buildTopology on the documented wiring (sample 05: fabric, gateway)', () => {
  it('draws gateway Connections to a gateway node known from them', () => {
    const t = buildTopology(fromSample('05-docs-sample-wiring-diagram.yaml'));
    expect(t.nodes.find(n => n.id === 'gateway:gateway-1')).toEqual({ id: 'gateway:gateway-1', type: 'gateway', name: 'gateway-1' });
    expect(t.edges.filter(e => e.type === 'gateway').map(ends).sort()).toEqual([
      'switch:spine-01 -> gateway:gateway-1',
      'switch:spine-02 -> gateway:gateway-1',
    ]);
  });
});

describe('buildTopology on the hydrated nvidia-air export (sample 07)', () => {
  it('collapses the servers of each leaf set and counts all of them', () => {
    const resources = fromSample('07-nvidia-air-demo-include.yaml');
    const t = buildTopology(resources);
    const servers = resources.filter(r => r.kind === 'Server').length;
    const shown = t.nodes.reduce((n, node) => n + (serversIn(node)), 0);
    expect(shown).toBe(servers);
    const serverLinks = (topology: FabricTopology) =>
      topology.edges.filter(e => e.type === 'servers' || e.source.startsWith('server:')).reduce((n, e) => n + e.linkCount, 0);
    const expanded = buildTopology(resources, { expand: t.nodes.filter(n => n.type === 'servers').map(n => n.id) });
    expect(serverLinks(t)).toBe(serverLinks(expanded));
    expect(expanded.nodes.filter(n => n.type === 'server')).toHaveLength(servers);
  });
});

describe('buildTopology on the Connection types the samples lack', () => {
  const base = [
    resource('Switch', 'leaf-1', { role: 'server-leaf' }),
    resource('Switch', 'leaf-2', { role: 'border-leaf' }, 'drifted'),
    resource('External', 'inet', {}),
  ];

  it('draws mesh, external (to its attached External) and static external links', () => {
    const t = buildTopology([
      ...base,
      resource('Connection', 'leaf-1--mesh--leaf-2', { mesh: { links: [{ leaf1: { port: 'leaf-1/E1/1' }, leaf2: { port: 'leaf-2/E1/1' } }] } }),
      resource('Connection', 'leaf-2--external', { external: { link: { switch: { port: 'leaf-2/E1/5' } } } }),
      resource('ExternalAttachment', 'inet-att', { external: 'inet', connection: 'leaf-2--external' }),
      resource(
        'Connection',
        'leaf-1--static-external',
        { staticExternal: { link: { switch: { port: 'leaf-1/E1/6', ip: '10.9.0.1/24', nextHop: '10.9.0.2', subnets: ['0.0.0.0/0'] } } } },
        'missing_in_cluster',
      ),
    ]);
    expect(edgesOf(t, 'leaf-1--mesh--leaf-2').map(e => [ends(e), e.type, e.linkCount])).toEqual([
      ['switch:leaf-1 -> switch:leaf-2', 'mesh', 1],
    ]);
    expect(edgesOf(t, 'leaf-2--external').map(e => [ends(e), e.type, e.links])).toEqual([
      ['switch:leaf-2 -> external:inet', 'external', [{ ports: ['leaf-2/E1/5'] }]],
    ]);
    const [staticEdge] = edgesOf(t, 'leaf-1--static-external');
    expect(staticEdge).toMatchObject({ source: 'switch:leaf-1', target: 'uplink:leaf-1--static-external', type: 'static-external' });
    expect(staticEdge.status).toEqual({ drift: 'missing_in_cluster', applyStatus: 'applied' });
    expect(t.nodes.find(n => n.id === 'uplink:leaf-1--static-external')).toMatchObject({ kind: 'Connection', status: { drift: 'missing_in_cluster' } });
    expect(t.nodes.find(n => n.id === 'switch:leaf-2')?.status).toEqual({ drift: 'drifted', applyStatus: 'applied' });
  });

  it('marks devices no resource defines, and skips Connections it cannot draw, saying why', () => {
    const t = buildTopology([
      ...base,
      resource('Connection', 'ghost', { unbundled: { link: { server: { port: 'srv-x/eth0' }, switch: { port: 'leaf-9/E1/1' } } } }),
      resource('Connection', 'typeless', { mtu: 9000 }),
      resource('Connection', 'portless', { fabric: { links: [] } }),
    ]);
    expect(t.nodes.find(n => n.id === 'switch:leaf-9')).toMatchObject({ missing: true });
    expect(t.nodes.find(n => n.id === 'switch:leaf-9')?.status).toBeUndefined();
    expect(t.nodes.find(n => n.id === 'server:srv-x')).toMatchObject({ missing: true });
    expect(t.skipped).toEqual([
      { connection: 'typeless', reason: 'no connection type in spec' },
      { connection: 'portless', reason: 'no ports in spec.fabric' },
    ]);
  });

  it('expands no more servers than the limit', () => {
    const many = Array.from({ length: TOPOLOGY_EXPANDED_SERVERS_MAX + 1 }, (_, i) => `s${i}`);
    const t = buildTopology(
      [
        ...base,
        ...many.map(s => resource('Server', s, {})),
        ...many.map(s => resource('Connection', `${s}--unbundled--leaf-1`, { unbundled: { link: { server: { port: `${s}/eth0` }, switch: { port: `leaf-1/E1/${s.slice(1)}` } } } })),
      ],
      { expand: ['servers:leaf-1'] },
    );
    expect(t.notExpanded).toEqual(['servers:leaf-1']);
    expect(t.nodes.find(n => n.id === 'servers:leaf-1')).toMatchObject({ count: many.length });
    expect(t.nodes.find(n => n.id === 'servers:leaf-1')?.members).toHaveLength(50);
    expect(t.edges.find(e => e.id === 'servers:leaf-1->switch:leaf-1')).toMatchObject({ linkCount: many.length, connections: many.length });
  });
});
