import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseHedgehogStore } from './DatabaseHedgehogStore';
import { searchResources } from './searchQueries';
import { RESOURCES } from './tables';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const connection = (name: string, switchPort: string, serverPort: string) => ({
  apiVersion: 'wiring.githedgehog.com/v1beta1',
  kind: 'Connection',
  metadata: { name, namespace: 'default' },
  spec: { unbundled: { link: { server: { port: serverPort }, switch: { port: switchPort } } } },
});
const vpc = (name: string, third: number, vlan: number) => ({
  apiVersion: 'vpc.githedgehog.com/v1beta1',
  kind: 'VPC',
  metadata: { name, namespace: 'default' },
  spec: { subnets: { default: { subnet: `10.0.${third}.0/24`, gateway: `10.0.${third}.1`, vlan } } },
});
const switchObject = (name: string, asn: number, ip: string) => ({
  apiVersion: 'wiring.githedgehog.com/v1beta1',
  kind: 'Switch',
  metadata: { name, namespace: 'default' },
  spec: { asn, ip, protocolIP: '172.30.8.2/32', role: 'server-leaf' },
});

const plurals: Record<string, string> = { Connection: 'connections', VPC: 'vpcs', Switch: 'switches' };

async function setup(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
  const insert = (fabric: string, objects: Array<{ kind: string; metadata: { name: string } }>) =>
    knex(RESOURCES).insert(
      objects.map(o => ({
        fabric,
        kind: o.kind,
        name: o.metadata.name,
        git_path: `managed/${plurals[o.kind]}/${o.metadata.name}.yaml`,
        desired: JSON.stringify(o),
        updated_at: 1,
      })),
    );
  await insert('lab', [
    connection('server-01--unbundled--leaf-01', 'leaf-01/E1/34', 'server-01/enp2s1'),
    connection('server-02--unbundled--leaf-01', 'leaf-01/E1/3', 'server-02/enp2s1'),
    vpc('vpc-1', 1, 1001),
    vpc('vpc-10', 10, 1010),
    switchObject('leaf-01', 65101, '172.30.0.8/21'),
  ]);
  await insert('prod', [connection('server-09--unbundled--leaf-07', 'leaf-07/E1/34', 'server-09/enp2s1'), vpc('web', 1, 1001)]);
  // an object only in the cluster has no desired object: never a match
  await knex(RESOURCES).insert({ fabric: 'lab', kind: 'VPC', name: 'orphan-e1', git_path: '', desired: 'null', updated_at: 1 });
  return { knex, store: new DatabaseHedgehogStore(knex) };
}

describe.each(databases.eachSupportedId())('searchResources on %p', databaseId => {
  let store: DatabaseHedgehogStore;
  let knex: Awaited<ReturnType<typeof setup>>['knex'];
  beforeAll(async () => {
    ({ store, knex } = await setup(databaseId));
  });

  it('finds a port in the connections of every fabric given, with its path and file', async () => {
    expect(await store.searchResources(['lab', 'prod'], 'E1/34', 50)).toEqual({
      items: [
        {
          fabric: 'lab',
          kind: 'Connection',
          name: 'server-01--unbundled--leaf-01',
          path: 'spec.unbundled.link.switch.port',
          value: 'leaf-01/E1/34',
          file: 'managed/connections/server-01--unbundled--leaf-01.yaml',
        },
        {
          fabric: 'prod',
          kind: 'Connection',
          name: 'server-09--unbundled--leaf-07',
          path: 'spec.unbundled.link.switch.port',
          value: 'leaf-07/E1/34',
          file: 'managed/connections/server-09--unbundled--leaf-07.yaml',
        },
      ],
      totalItems: 2,
      truncated: false,
    });
  });

  it('reads only the fabrics given', async () => {
    const { items } = await store.searchResources(['prod'], 'e1/34', 50);
    expect(items.map(i => i.name)).toEqual(['server-09--unbundled--leaf-07']);
    expect(await store.searchResources([], 'e1/34', 50)).toEqual({ items: [], totalItems: 0, truncated: false });
  });

  it('finds subnets, addresses, VLANs and ASNs as whole values', async () => {
    const pick = async (q: string) =>
      (await store.searchResources(['lab'], q, 50)).items.map(i => `${i.kind}/${i.name} ${i.path}=${i.value}`);
    expect(await pick('10.0.1.0/24')).toEqual(['VPC/vpc-1 spec.subnets.default.subnet=10.0.1.0/24']);
    expect(await pick('10.0.1.1')).toEqual(['VPC/vpc-1 spec.subnets.default.gateway=10.0.1.1']);
    expect(await pick('172.30.0.8')).toEqual(['Switch/leaf-01 spec.ip=172.30.0.8/21']);
    expect(await pick('1010')).toEqual(['VPC/vpc-10 spec.subnets.default.vlan=1010']);
    expect(await pick('65101')).toEqual(['Switch/leaf-01 spec.asn=65101']);
    // a number is never part of another value: not the /24 of a subnet nor the 10 of 1010
    expect(await pick('24')).toEqual([]);
  });

  it('finds names that contain the query, in any case', async () => {
    const { items } = await store.searchResources(['lab'], 'VPC-1', 50);
    expect(items.map(i => `${i.name} ${i.path}`)).toEqual(['vpc-1 metadata.name', 'vpc-10 metadata.name']);
  });

  it('takes LIKE wildcards as text', async () => {
    expect((await store.searchResources(['lab'], 'e1%34', 50)).items).toEqual([]);
    expect((await store.searchResources(['lab'], '_', 50)).items).toEqual([]);
  });

  it('answers at most the limit, saying there are more', async () => {
    const result = await store.searchResources(['lab'], 'leaf-01', 2);
    expect(result.items).toHaveLength(2);
    expect(result.totalItems).toBe(5);
    expect(result.truncated).toBe(true);
  });

  it('reads at most the rows it may scan, saying there may be more', async () => {
    const db = knex;
    const result = await searchResources(db, ['lab', 'prod'], '1001', 50, 1);
    expect(result).toEqual({
      items: [expect.objectContaining({ fabric: 'lab', name: 'vpc-1', value: '1001' })],
      totalItems: 1,
      truncated: true,
    });
    expect(await searchResources(db, ['lab', 'prod'], '1001', 50, 2)).toMatchObject({ totalItems: 2, truncated: false });
  });
});
