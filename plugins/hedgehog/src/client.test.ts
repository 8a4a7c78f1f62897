import { HedgehogClient } from '@fabric-gitops/plugin-hedgehog-common';

function client(
  respond: (
    url: string,
    init: RequestInit,
  ) => { status: number; body: unknown },
) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchApi = {
    fetch: jest.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const { status, body } = respond(url, init);
      const text = JSON.stringify(body);
      return {
        ok: status < 400,
        status,
        statusText: status < 400 ? 'OK' : 'Forbidden',
        headers: { get: () => 'application/json; charset=utf-8' },
        json: async () => body,
        text: async () => text,
      } as unknown as Response;
    }),
  };
  const discoveryApi = {
    getBaseUrl: jest.fn(async () => 'http://backend/api/hedgehog'),
  };
  return {
    calls,
    discoveryApi,
    client: new HedgehogClient({ discoveryApi, fetchApi: fetchApi as any }),
  };
}

describe('HedgehogClient (used by the frontend through hedgehogApiRef)', () => {
  it('applies, with and without a dry run', async () => {
    const c = client(() => ({ status: 202, body: { runId: 'r1' } }));
    await expect(c.client.apply('demo', { dryRun: true })).resolves.toEqual({
      runId: 'r1',
    });
    await c.client.apply('demo');
    expect(c.calls[0].url).toBe(
      'http://backend/api/hedgehog/fabrics/demo/apply',
    );
    expect(c.calls[0].init.method).toBe('POST');
    expect(JSON.parse(String(c.calls[0].init.body))).toEqual({ dryRun: true });
    expect(
      (c.calls[0].init.headers as Record<string, string>)['Content-Type'],
    ).toBe('application/json');
    expect(JSON.parse(String(c.calls[1].init.body))).toEqual({});
    expect(c.discoveryApi.getBaseUrl).toHaveBeenCalledWith('hedgehog');
  });

  it('checks drift', async () => {
    const c = client(() => ({ status: 202, body: { runId: 'r2' } }));
    await expect(c.client.checkDrift('dc-1')).resolves.toEqual({ runId: 'r2' });
    expect(c.calls[0].url).toBe(
      'http://backend/api/hedgehog/fabrics/dc-1/drift',
    );
    expect(c.calls[0].init.method).toBe('POST');
    expect(JSON.parse(String(c.calls[0].init.body))).toEqual({});
  });

  it('reads the cluster status', async () => {
    const status = {
      cluster: 'lab',
      reachable: true,
      version: 'v1.31.2',
      crds: [],
    };
    const c = client(() => ({ status: 200, body: status }));
    await expect(c.client.clusterStatus('demo')).resolves.toEqual(status);
    expect(c.calls[0].url).toBe(
      'http://backend/api/hedgehog/fabrics/demo/cluster',
    );
    expect(c.calls[0].init.method).toBe('GET');
  });

  it('encodes names and builds resource queries', async () => {
    const c = client(() => ({
      status: 200,
      body: { items: [], totalItems: 0 },
    }));
    await c.client.listResources('demo', {
      kind: 'Switch',
      status: 'drifted',
      q: 'leaf 1',
      offset: 20,
      limit: 20,
    });
    expect(c.calls[0].url).toBe(
      'http://backend/api/hedgehog/fabrics/demo/resources?kind=Switch&status=drifted&q=leaf+1&offset=20&limit=20',
    );
    await c.client.getResource('demo', 'Switch', 'a/b');
    expect(c.calls[1].url).toBe(
      'http://backend/api/hedgehog/fabrics/demo/resources/Switch/a%2Fb',
    );
  });

  it('lists the open pull requests of a fabric', async () => {
    const pulls = {
      items: [
        {
          number: 7,
          title: 'hedgehog(dc 1): ingest',
          url: 'https://github.com/example/net/pull/7',
          branch: 'hedgehog/dc-1',
          updatedAt: '2026-01-02T03:04:05Z',
          purpose: 'sync',
        },
      ],
      totalItems: 1,
    };
    const c = client(() => ({ status: 200, body: pulls }));
    await expect(c.client.listPulls('dc-1')).resolves.toEqual(pulls);
    expect(c.calls[0].url).toBe(
      'http://backend/api/hedgehog/fabrics/dc-1/pulls',
    );
    expect(c.calls[0].init.method).toBe('GET');
    expect(c.calls[0].init.body).toBeUndefined();
  });

  it('adopts a resource with an empty JSON body and returns the outcome', async () => {
    const outcome = {
      fabric: 'demo',
      kind: 'Switch',
      name: 'leaf-01',
      gitPath: 'managed/switches/leaf-01.yaml',
      writeMode: 'pull-request',
      changed: true,
      commit: '43387a09070b4b787473acb030e5aeeb4d127095',
      pullRequest: {
        number: 15,
        title: 'hedgehog(demo): adopt Switch leaf-01 from the cluster',
        url: 'https://github.com/example/net/pull/15',
        branch: 'hedgehog-adopt/demo/switch-leaf-01',
        updatedAt: '2026-01-02T03:04:05Z',
        purpose: 'adopt',
      },
    };
    const c = client(() => ({ status: 201, body: outcome }));
    await expect(
      c.client.adoptResource('demo', 'Switch', 'leaf-01'),
    ).resolves.toEqual(outcome);
    expect(c.calls[0].url).toBe(
      'http://backend/api/hedgehog/fabrics/demo/resources/Switch/leaf-01/adopt',
    );
    expect(c.calls[0].init.method).toBe('POST');
    expect(JSON.parse(String(c.calls[0].init.body))).toEqual({});
    expect(
      (c.calls[0].init.headers as Record<string, string>)['Content-Type'],
    ).toBe('application/json');

    await c.client.adoptResource('my fabric', 'VPC', 'a/b');
    expect(c.calls[1].url).toBe(
      'http://backend/api/hedgehog/fabrics/my%20fabric/resources/VPC/a%2Fb/adopt',
    );
  });

  it('throws a ResponseError when an adoption is refused', async () => {
    const c = client(() => ({
      status: 409,
      body: {
        error: {
          name: 'ConflictError',
          message:
            'Switch leaf-01 is in_sync; only a drifted resource or an object found only in the cluster can be adopted',
        },
        request: {
          method: 'POST',
          url: '/fabrics/demo/resources/Switch/leaf-01/adopt',
        },
        response: { statusCode: 409 },
      },
    }));
    const error = await c.client
      .adoptResource('demo', 'Switch', 'leaf-01')
      .catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toMatch(/leaf-01 is in_sync/);
    const listError = await c.client.listPulls('demo').catch(e => e);
    expect(listError.name).toBe('ResponseError');
    expect(listError.statusCode).toBe(409);
  });

  it('throws a ResponseError carrying the backend message', async () => {
    const c = client(() => ({
      status: 403,
      body: {
        error: {
          name: 'NotAllowedError',
          message: 'Permission hedgehog.fabric.apply is required',
        },
        request: { method: 'POST', url: '/fabrics/demo/apply' },
        response: { statusCode: 403 },
      },
    }));
    const error = await c.client.apply('demo').catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(403);
    expect(error.body.error.message).toBe(
      'Permission hedgehog.fabric.apply is required',
    );
  });
});
