import { mockServices } from '@backstage/backend-test-utils';
import net from 'net';
import { ClusterClient } from './ClusterClient';
import { validateFabric } from '../validation/validateFabric';
import { ValidationContextLoader } from './validationContext';

const wiring = [{ kind: 'VPC', metadata: { name: 'v' }, spec: {} }];

/** A loopback port nobody listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(r => server.close(r));
  return port;
}

describe('ValidationContextLoader', () => {
  const logger = mockServices.logger.mock();
  beforeEach(() => jest.clearAllMocks());

  it('without a cluster: the app-config FabricConfig, else hhfab defaults; no live objects', async () => {
    const loader = new ValidationContextLoader(logger);
    const none = await loader.load({ fabric: 'f', objects: wiring });
    expect(none).toMatchObject({ configSource: 'defaults', options: { config: undefined } });
    expect(none.offline).toBeUndefined();
    expect(none.options.live).toBeUndefined();
    expect(none.notes).toEqual(["FabricConfig: hhfab's defaults (config-dependent findings are warnings)"]);
    const app = await loader.load({ fabric: 'f', objects: wiring, appConfig: { spineASN: 64100 } });
    expect(app).toMatchObject({ configSource: 'app-config', options: { config: { spineASN: 64100 } } });
  });

  it('an unreachable cluster: offline (no live objects, no profiles), recorded, logged once, never thrown', async () => {
    const port = await closedPort();
    const client = new ClusterClient({ name: 'lab', url: `https://127.0.0.1:${port}`, skipTLSVerify: false, requestTimeoutMs: 2000 });
    const loader = new ValidationContextLoader(logger);
    const objects = [...wiring, { kind: 'Connection', metadata: { name: 'c' }, spec: {} }];
    for (let i = 0; i < 2; i++) {
      const inputs = await loader.load({ fabric: 'f', objects, appConfig: { spineASN: 64100 }, client });
      expect(inputs.offline).toContain(`cluster lab (https://127.0.0.1:${port})`);
      expect(inputs.options).toEqual({ config: { spineASN: 64100 }, offline: inputs.offline });
      expect(inputs.configSource).toBe('app-config');
      expect(inputs.notes[0]).toMatch(/^cluster lab unreachable, validated offline/);
      expect(inputs.counts.clusterRequests).toBe(1);
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('offline: a reference to a kind the Git lacks stays a warning that says the cluster could not be read', async () => {
    const port = await closedPort();
    const client = new ClusterClient({ name: 'lab', url: `https://127.0.0.1:${port}`, skipTLSVerify: false, requestTimeoutMs: 2000 });
    const attachment = {
      apiVersion: 'vpc.githedgehog.com/v1beta1',
      kind: 'VPCAttachment',
      metadata: { name: 'vpc-1--server-1' },
      spec: { subnet: 'vpc-1/default', connection: 'server-1--unbundled--leaf-1' },
    };
    const vpc = { apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'VPC', metadata: { name: 'vpc-1' }, spec: { subnets: { default: { subnet: '10.0.1.0/24', vlan: 1001 } } } };
    const documents = [vpc, attachment].map((object, document) => ({ file: 'raw/a.yaml', document, object }));
    const inputs = await new ValidationContextLoader(logger).load({ fabric: 'f', objects: [vpc, attachment], client });
    expect(inputs.offline).toBeTruthy();
    const findings = validateFabric(documents, inputs.options).findings.filter(f => f.path === 'spec.connection');
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        rule: 'reference.unverified',
        document: 1,
        message: `VPCAttachment vpc-1--server-1 refers to Connection server-1--unbundled--leaf-1; the fabric's Git holds no Connection objects and its cluster could not be read (${inputs.offline}), so the reference was not checked`,
      }),
    ]);
    // without a cluster at all, it says no cluster objects were given
    expect(validateFabric(documents, {}).findings.find(f => f.path === 'spec.connection')?.message).toMatch(/no cluster objects were given/);
  });
});
