import { parse } from 'yaml';
import { fabricAppConfigSnippet, fabricEntityYaml } from './addFabric';
import { parseGitopsLocation, repositoryFileUrl } from './gitopsLocation';

describe('adding a fabric', () => {
  const input = {
    name: 'lab',
    title: 'Lab: east',
    owner: 'group:default/network',
    url: 'https://gitlab.example.com/net/infra/fabrics.git',
    branch: 'main',
    path: 'fabrics/lab',
    writeMode: 'pull-request' as const,
    cluster: 'lab',
  };

  it('writes the catalog entity the catalog module reads back to the same location', () => {
    const entity = parse(fabricEntityYaml(input));
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: { name: 'lab', title: 'Lab: east', annotations: { 'githedgehog.com/cluster': 'lab' } },
      spec: { type: 'hedgehog-fabric', owner: 'group:default/network' },
    });
    const location = parseGitopsLocation(entity.metadata.annotations['githedgehog.com/gitops-location']);
    expect(location).toEqual({ url: 'https://gitlab.example.com/net/infra/fabrics', branch: 'main', path: 'fabrics/lab' });
    // a local repository keeps its URL and the root path
    const local = parse(fabricEntityYaml({ ...input, url: 'file:///srv/git/f.git', path: '', cluster: undefined }));
    expect(parseGitopsLocation(local.metadata.annotations['githedgehog.com/gitops-location'])).toEqual({
      url: 'file:///srv/git/f.git',
      branch: 'main',
      path: '',
    });
    expect(local.metadata.annotations['githedgehog.com/cluster']).toBeUndefined();
  });

  it('writes the app-config entry as YAML that reads back to the input', () => {
    expect(parse(fabricAppConfigSnippet({ ...input, path: '' }))).toEqual({
      hedgehog: {
        fabrics: [
          {
            name: 'lab',
            title: 'Lab: east',
            owner: 'group:default/network',
            git: { url: input.url, branch: 'main', path: '', writeMode: 'pull-request' },
            cluster: 'lab',
          },
        ],
      },
    });
  });

  it('gives the web URL of a file of the directory on GitHub and GitLab only', () => {
    expect(repositoryFileUrl({ url: 'https://github.com/acme/net.git', branch: 'main', path: 'a b/c' }, 'catalog-info.yaml')).toBe(
      'https://github.com/acme/net/blob/main/a%20b/c/catalog-info.yaml',
    );
    expect(repositoryFileUrl(input, 'catalog-info.yaml')).toBe(
      'https://gitlab.example.com/net/infra/fabrics/-/blob/main/fabrics/lab/catalog-info.yaml',
    );
    expect(repositoryFileUrl({ url: 'file:///srv/git/f.git', branch: 'main', path: '' }, 'x')).toBeUndefined();
    expect(repositoryFileUrl({ url: 'https://github.com/acme/net.git', branch: 'feat/x', path: '' }, 'x')).toBeUndefined();
  });
});
