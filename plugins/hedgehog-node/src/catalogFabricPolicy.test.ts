import { ConfigReader } from '@backstage/config';
import {
  CatalogFabricPolicy,
  catalogFabricRefusal,
  limitWriteMode,
  readCatalogFabricPolicy,
} from './catalogFabricPolicy';

const fabric = (url: string, cluster?: string) => ({ git: { url }, cluster });

describe('readCatalogFabricPolicy', () => {
  it('defaults: https on the hosts of Git integrations, no cluster, write mode none', () => {
    const policy = readCatalogFabricPolicy(
      new ConfigReader({
        integrations: {
          github: [{ host: 'github.com', token: 't' }, { host: 'GHE.example.com' }],
          gitlab: [{ host: 'gitlab.example.com:8443' }],
          bitbucketCloud: [{ username: 'u', appPassword: 'p' }],
          awsS3: [{ host: 'amazonaws.com' }],
        },
        hedgehog: {
          clusters: [{ name: 'prod', url: 'https://10.0.0.1:6443' }],
        },
      }),
    );
    expect(policy).toEqual({
      repositories: undefined,
      integrationHosts: ['github.com', 'ghe.example.com', 'gitlab.example.com:8443', 'bitbucket.org'],
      clusters: [],
      writeMode: 'none',
    });
  });

  it('reads the repositories, the clusters that opted in and the write mode', () => {
    const policy = readCatalogFabricPolicy(
      new ConfigReader({
        hedgehog: {
          catalogFabrics: {
            repositories: ['https://github.com/acme/*', 'file:///srv/git/*.git'],
            writeMode: 'pull-request',
          },
          clusters: [
            { name: 'prod', url: 'https://10.0.0.1:6443' },
            { name: 'lab', url: 'https://10.0.0.2:6443', allowCatalogFabrics: true },
            { name: 'dev', url: 'https://10.0.0.3:6443', allowCatalogFabrics: false },
          ],
        },
      }),
    );
    expect(policy).toEqual({
      repositories: ['https://github.com/acme/*', 'file:///srv/git/*.git'],
      integrationHosts: [],
      clusters: ['lab'],
      writeMode: 'pull-request',
    });
  });

  it('names the key of a bad pattern or write mode', () => {
    expect(() =>
      readCatalogFabricPolicy(
        new ConfigReader({
          hedgehog: { catalogFabrics: { repositories: ['https://github.com/*', 'github.com/acme'] } },
        }),
      ),
    ).toThrow('hedgehog.catalogFabrics.repositories[1]: "github.com/acme" is not a repository URL pattern');
    expect(() =>
      readCatalogFabricPolicy(
        new ConfigReader({ hedgehog: { catalogFabrics: { writeMode: 'force' } } }),
      ),
    ).toThrow('hedgehog.catalogFabrics.writeMode: "force" is not one of none, pull-request, push');
  });
});

describe('catalogFabricRefusal', () => {
  const byDefault: CatalogFabricPolicy = {
    integrationHosts: ['github.com', '127.0.0.1:3000'],
    clusters: ['lab'],
    writeMode: 'none',
  };

  it('by default allows https:// repositories on integration hosts only', () => {
    expect(catalogFabricRefusal(byDefault, fabric('https://github.com/acme/net.git'))).toBeUndefined();
    expect(catalogFabricRefusal(byDefault, fabric('https://127.0.0.1:3000/acme/net.git'))).toBeUndefined();
    for (const url of [
      'file:///srv/git/net.git',
      'ssh://github.com/acme/net.git',
      'http://github.com/acme/net.git',
      'git://github.com/acme/net.git',
      'https://gitlab.com/acme/net.git',
      'https://127.0.0.1:3001/acme/net.git',
    ]) {
      expect(catalogFabricRefusal(byDefault, fabric(url))).toMatch(
        /is not one catalog fabrics may use: without hedgehog\.catalogFabrics\.repositories only https:\/\/ repositories on hosts of integrations are allowed \(github\.com, 127\.0\.0\.1:3000\); file:\/\//,
      );
    }
  });

  it('with repositories, allows exactly what they match', () => {
    const policy = { ...byDefault, repositories: ['file:///srv/git/*.git'] };
    expect(catalogFabricRefusal(policy, fabric('file:///srv/git/net.git'))).toBeUndefined();
    expect(catalogFabricRefusal(policy, fabric('https://github.com/acme/net.git'))).toBe(
      'the repository https://github.com/acme/net.git is not one catalog fabrics may use ' +
        '(hedgehog.catalogFabrics.repositories allows file:///srv/git/*.git)',
    );
    expect(catalogFabricRefusal({ ...policy, repositories: [] }, fabric('file:///srv/git/net.git'))).toMatch(
      /repositories allows none/,
    );
  });

  it('refuses a URL it cannot check, whatever the patterns', () => {
    const policy = { ...byDefault, repositories: ['file:///**'] };
    expect(catalogFabricRefusal(policy, fabric('file:///srv/git/../../etc/x.git'))).toBe(
      'the repository file:///srv/git/../../etc/x.git is not one catalog fabrics may use: its path has "." or ".." segments',
    );
  });

  it('allows only clusters that opted in, and says both reasons at once', () => {
    expect(catalogFabricRefusal(byDefault, fabric('https://github.com/a/b', 'lab'))).toBeUndefined();
    expect(catalogFabricRefusal(byDefault, fabric('https://github.com/a/b', 'prod'))).toBe(
      'the cluster "prod" does not accept fabrics of the catalog (an operator allows it with ' +
        'allowCatalogFabrics: true on that cluster in hedgehog.clusters; clusters that do: lab)',
    );
    const both = catalogFabricRefusal({ ...byDefault, clusters: [] }, fabric('file:///x.git', 'prod'));
    expect(both).toMatch(/^the repository file:\/\/\/x\.git .*; the cluster "prod" .*clusters that do: none\)$/);
  });
});

describe('limitWriteMode', () => {
  it('gives the requested mode up to the highest one', () => {
    expect(limitWriteMode('push', 'none')).toBe('none');
    expect(limitWriteMode('push', 'pull-request')).toBe('pull-request');
    expect(limitWriteMode('pull-request', 'push')).toBe('pull-request');
    expect(limitWriteMode('none', 'push')).toBe('none');
    expect(limitWriteMode('push', 'push')).toBe('push');
  });
});
