/*
 * The gitops-location annotation forms (parseGitopsLocation / formatGitopsLocation
 * live in -common; this package is their main reader).
 */
import {
  formatGitopsLocation,
  parseGitopsLocation,
} from '@fabric-gitops/plugin-hedgehog-common';

describe('githedgehog.com/gitops-location', () => {
  it.each([
    [
      'url:https://github.com/network/fabrics/tree/main/fabrics/lab',
      {
        url: 'https://github.com/network/fabrics',
        branch: 'main',
        path: 'fabrics/lab',
      },
    ],
    [
      'url:https://github.com/network/fabrics/tree/main',
      { url: 'https://github.com/network/fabrics', branch: 'main', path: '' },
    ],
    [
      'url:https://github.com/network/fabrics/tree/prod/fabrics/lab/',
      {
        url: 'https://github.com/network/fabrics',
        branch: 'prod',
        path: 'fabrics/lab',
      },
    ],
    [
      'url:https://ghe.example.com/net/fabrics/tree/main/dc%201',
      {
        url: 'https://ghe.example.com/net/fabrics',
        branch: 'main',
        path: 'dc 1',
      },
    ],
    [
      'url:https://gitlab.example.com/net/dc/fabrics/-/tree/main/fabrics/lab',
      {
        url: 'https://gitlab.example.com/net/dc/fabrics',
        branch: 'main',
        path: 'fabrics/lab',
      },
    ],
    [
      'url:https://gitea.example.com/net/fabrics/src/branch/main/fabrics/lab',
      {
        url: 'https://gitea.example.com/net/fabrics',
        branch: 'main',
        path: 'fabrics/lab',
      },
    ],
    [
      'url:file:///srv/git/fabrics.git#main:fabrics/lab',
      {
        url: 'file:///srv/git/fabrics.git',
        branch: 'main',
        path: 'fabrics/lab',
      },
    ],
    [
      'url:file:///srv/git/fabrics.git#main',
      { url: 'file:///srv/git/fabrics.git', branch: 'main', path: '' },
    ],
    [
      'url:https://git.example.com/net/fabrics.git#release/2026:fabrics/lab',
      {
        url: 'https://git.example.com/net/fabrics.git',
        branch: 'release/2026',
        path: 'fabrics/lab',
      },
    ],
    [
      'url:http://127.0.0.1:8080/fabrics.git#main:lab',
      { url: 'http://127.0.0.1:8080/fabrics.git', branch: 'main', path: 'lab' },
    ],
    ['url:ssh://git@git.example.com/net/fabrics.git#main:lab', undefined],
    [
      'url:git://git.example.com/fabrics.git#main:lab',
      { url: 'git://git.example.com/fabrics.git', branch: 'main', path: 'lab' },
    ],
  ])('reads %s', (value, expected) => {
    const read = () => {
      try {
        return parseGitopsLocation(value);
      } catch (e) {
        const message = (e as Error).message;
        return /must not contain credentials/.test(message) ? 'refused: credentials' : message;
      }
    };
    // Locations with credentials are refused; every other form is read.
    expect(read()).toEqual(expected ?? 'refused: credentials');
  });

  it.each([
    [
      'https://github.com/network/fabrics/tree/main/lab',
      /must start with "url:"/,
    ],
    [
      'url:https://github.com/network/fabrics',
      /is neither a repository tree URL nor a Git URL with "#<branch>:<path>"/,
    ],
    [
      'url:https://github.com/network/fabrics/blob/main/lab/x.yaml',
      /is neither a repository tree URL/,
    ],
    [
      'url:https://user:token@github.com/network/fabrics/tree/main/lab',
      /must not contain credentials/,
    ],
    [
      'url:file://demo-fabric.git/tree/main/fabrics/demo',
      /must name a local repository with an absolute path/,
    ],
    [
      'url:file://demo-fabric.git#main:fabrics/demo',
      /must name a local repository with an absolute path/,
    ],
    [
      'url:ftp://example.com/x.git#main',
      /must use https, http, ssh, git or file/,
    ],
    [
      'url:https://git.example.com/x.git#:lab',
      /names the branch "", which is not a valid branch name/,
    ],
    ['url:https://git.example.com/x.git#-x:lab', /not a valid branch name/],
    [
      'url:https://git.example.com/x.git#main:../etc',
      /is not a relative folder inside the repository/,
    ],
    [
      'url:https://github.com/network/fabrics/tree/main/a/../../b',
      /has a path with "." or ".." segments/,
    ],
    ['url:file:///srv/git/%2e%2e/x.git#main', /has a path with/],
    ['url:not a url#main', /which is not a URL/],
  ])('refuses %s', (value, message) => {
    const error = (() => {
      try {
        parseGitopsLocation(value);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(message);
    expect(error?.message).toContain('url:<git url>#<branch>:<path>');
  });

  it.each([
    [
      {
        url: 'https://github.com/network/fabrics',
        branch: 'main',
        path: 'fabrics/lab',
      },
      'url:https://github.com/network/fabrics/tree/main/fabrics/lab',
    ],
    [
      {
        url: 'https://github.com/network/fabrics.git',
        branch: 'main',
        path: '',
      },
      'url:https://github.com/network/fabrics/tree/main',
    ],
    [
      {
        url: 'https://gitlab.com/net/dc/fabrics.git',
        branch: 'main',
        path: 'lab',
      },
      'url:https://gitlab.com/net/dc/fabrics/-/tree/main/lab',
    ],
    [
      {
        url: 'https://github.com/network/fabrics',
        branch: 'feature/x',
        path: 'lab',
      },
      'url:https://github.com/network/fabrics#feature/x:lab',
    ],
    [
      {
        url: 'file:///srv/git/fabrics.git',
        branch: 'main',
        path: 'fabrics/demo',
      },
      'url:file:///srv/git/fabrics.git#main:fabrics/demo',
    ],
    [
      { url: 'http://127.0.0.1:9418/x.git', branch: 'main', path: '' },
      'url:http://127.0.0.1:9418/x.git#main',
    ],
  ])('writes %j as %s, which reads back', (location, expected) => {
    const value = formatGitopsLocation(location);
    expect(value).toBe(expected);
    expect(parseGitopsLocation(value)).toEqual({
      ...location,
      url: location.url.replace(/\.git$/, expected.includes('#') ? '.git' : ''),
    });
  });
});
