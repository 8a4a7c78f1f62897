import {
  withoutServerFields,
  withoutTrackingAnnotations,
} from './serverFields';

const live = {
  apiVersion: 'wiring.githedgehog.com/v1beta1',
  kind: 'Switch',
  metadata: {
    name: 'leaf-01',
    namespace: 'default',
    uid: '5f0c',
    resourceVersion: '4711',
    generation: 3,
    creationTimestamp: '2026-12-01T10:00:00Z',
    selfLink:
      '/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switches/leaf-01',
    managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
    labels: {
      rack: 'r1',
      'hedgehog.backstage.io/fabric': 'demo',
      'fabric.githedgehog.com/vpc': 'vpc-1',
    },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Switch"}',
      'hnp.githedgehog.com/conf': 'x',
    },
  },
  spec: { asn: 65101, role: 'server-leaf' },
  status: { applied: { gen: 3 } },
};

describe('withoutServerFields', () => {
  it('leaves out what the API server adds, keeps names, labels and the spec', () => {
    const desired = {
      kind: 'Switch',
      metadata: { name: 'leaf-01', namespace: 'default' },
      spec: { asn: 65101 },
    };
    const { readable, hidden } = withoutServerFields(live, desired);
    expect(readable).toEqual({
      apiVersion: 'wiring.githedgehog.com/v1beta1',
      kind: 'Switch',
      metadata: {
        name: 'leaf-01',
        namespace: 'default',
        labels: { rack: 'r1' },
      },
      spec: { asn: 65101, role: 'server-leaf' },
    });
    expect(hidden).toEqual([
      'metadata.managedFields',
      'metadata.uid',
      'metadata.resourceVersion',
      'metadata.generation',
      'metadata.creationTimestamp',
      'metadata.selfLink',
      'metadata.labels.hedgehog.backstage.io/fabric',
      'metadata.labels.fabric.githedgehog.com/vpc',
      'metadata.annotations.kubectl.kubernetes.io/last-applied-configuration',
      'metadata.annotations.hnp.githedgehog.com/conf',
      'status',
    ]);
    // the object given is not changed
    expect(live.metadata.uid).toBe('5f0c');
    expect(live.status).toBeDefined();
  });

  it('keeps what the desired object sets itself, and other annotations', () => {
    const desired = {
      metadata: {
        name: 'leaf-01',
        generation: 3,
        labels: { 'fabric.githedgehog.com/vpc': 'vpc-1' },
      },
      status: { applied: { gen: 3 } },
    };
    const withNote = {
      ...live,
      metadata: {
        ...live.metadata,
        annotations: { ...live.metadata.annotations, note: 'rack 1' },
      },
    };
    const { readable, hidden } = withoutServerFields(withNote, desired);
    const meta = readable.metadata as Record<string, unknown>;
    expect(meta.generation).toBe(3);
    expect(meta.annotations).toEqual({ note: 'rack 1' });
    expect(readable.status).toEqual({ applied: { gen: 3 } });
    expect(hidden).not.toContain('status');
    expect(hidden).not.toContain('metadata.generation');
    expect(meta.labels).toEqual({
      rack: 'r1',
      'fabric.githedgehog.com/vpc': 'vpc-1',
    });
  });

  it('hides status of a cluster-only object (no desired) and hides nothing of a clean one', () => {
    expect(
      withoutServerFields(live, undefined).readable.status,
    ).toBeUndefined();
    const clean = { kind: 'VPC', metadata: { name: 'vpc-1' }, spec: {} };
    expect(withoutServerFields(clean, clean)).toEqual({
      readable: clean,
      hidden: [],
    });
  });
});

describe('withoutTrackingAnnotations', () => {
  it("leaves out the plugin's source-file and source-index annotations, keeps the others", () => {
    const desired = {
      kind: 'VPC',
      metadata: {
        name: 'vpc-1',
        annotations: {
          'githedgehog.com/source-file': 'raw/vpcs.yaml',
          'githedgehog.com/source-index': '0',
          note: 'x',
        },
      },
    };
    expect(withoutTrackingAnnotations(desired)).toEqual({
      readable: {
        kind: 'VPC',
        metadata: { name: 'vpc-1', annotations: { note: 'x' } },
      },
      hidden: [
        'metadata.annotations.githedgehog.com/source-file',
        'metadata.annotations.githedgehog.com/source-index',
      ],
    });
    const only = {
      metadata: {
        name: 'v',
        annotations: { 'githedgehog.com/source-file': 'raw/a.yaml' },
      },
    };
    expect(withoutTrackingAnnotations(only).readable).toEqual({
      metadata: { name: 'v' },
    });
    expect(desired.metadata.annotations['githedgehog.com/source-file']).toBe(
      'raw/vpcs.yaml',
    );
  });
});
