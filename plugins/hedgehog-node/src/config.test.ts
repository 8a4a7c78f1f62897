import { ConfigReader } from '@backstage/config';
import {
  readConfiguredFabricSummaries,
  readHedgehogClusterNames,
} from './config';

describe('readHedgehogClusterNames', () => {
  it('reads the cluster names in config order', () => {
    const config = new ConfigReader({
      hedgehog: {
        clusters: [
          { name: 'prod', url: 'https://10.0.0.1:6443' },
          { name: 'lab', url: 'https://127.0.0.1:6443' },
        ],
      },
    });
    expect(readHedgehogClusterNames(config)).toEqual(['prod', 'lab']);
  });

  it('reads none without hedgehog.clusters or without hedgehog', () => {
    expect(
      readHedgehogClusterNames(new ConfigReader({ hedgehog: {} })),
    ).toEqual([]);
    expect(readHedgehogClusterNames(new ConfigReader({}))).toEqual([]);
  });

  it('throws for a cluster without a name', () => {
    const config = new ConfigReader({
      hedgehog: { clusters: [{ url: 'https://127.0.0.1:6443' }] },
    });
    expect(() => readHedgehogClusterNames(config)).toThrow(/name/);
  });
});

describe('readConfiguredFabricSummaries', () => {
  it('reads owner and description of every fabric, by name', () => {
    const config = new ConfigReader({
      hedgehog: {
        fabrics: [
          {
            name: 'lab',
            owner: 'group:default/network',
            description: 'The lab fabric',
            git: { url: 'https://example.com/lab.git' },
          },
          { name: 'prod', git: { url: 'https://example.com/prod.git' } },
        ],
      },
    });
    expect(readConfiguredFabricSummaries(config)).toEqual(
      new Map([
        [
          'lab',
          { owner: 'group:default/network', description: 'The lab fabric' },
        ],
        ['prod', { owner: undefined, description: undefined }],
      ]),
    );
  });

  it('reads none without hedgehog.fabrics', () => {
    expect(readConfiguredFabricSummaries(new ConfigReader({})).size).toBe(0);
  });
});
