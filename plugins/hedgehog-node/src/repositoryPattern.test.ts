import {
  invalidRepositoryPattern,
  matchesRepositoryPattern,
  uncheckableRepositoryUrl,
} from './repositoryPattern';

describe('matchesRepositoryPattern', () => {
  it.each([
    ['https://github.com/acme/*', 'https://github.com/acme/net'],
    ['https://github.com/acme/*', 'https://github.com/acme/net.git'],
    ['https://github.com/acme/*', 'https://GitHub.com/acme/net/'],
    ['https://github.com/acme/net.git', 'https://github.com/acme/net'],
    ['https://github.com/acme/net', 'https://github.com:443/acme/net.git'],
    ['https://gitlab.example.com/network/**', 'https://gitlab.example.com/network/dc/fabrics.git'],
    ['https://*.example.com/net/*', 'https://git.example.com/net/fabrics'],
    ['http://127.0.0.1:8080/*.git', 'http://127.0.0.1:8080/lab.git'],
    ['file:///srv/git/fabrics/*.git', 'file:///srv/git/fabrics/lab.git'],
    ['file:///srv/git/fabrics/*.git', 'file://localhost/srv/git/fabrics/lab.git'],
    ['ssh://git.example.com/net/*', 'ssh://git.example.com:22/net/lab.git'],
  ])('%s matches %s', (pattern, url) => {
    expect(matchesRepositoryPattern(pattern, url)).toBe(true);
  });

  it.each([
    // another owner, scheme, host or port
    ['https://github.com/acme/*', 'https://github.com/evil/net'],
    ['https://github.com/acme/*', 'http://github.com/acme/net'],
    ['https://github.com/acme/*', 'https://github.com.evil.org/acme/net'],
    ['https://github.com/acme/*', 'https://github.com:8443/acme/net'],
    ['https://github.com/acme/*', 'ssh://github.com/acme/net'],
    // "*" is one path segment
    ['https://github.com/acme/*', 'https://github.com/acme/net/other'],
    ['https://github.com/acme*', 'https://github.com/acme/net'],
    // paths are compared as they are written (case, no resolution of "..")
    ['https://github.com/acme/*', 'https://github.com/ACME/net'],
    ['https://github.com/acme/**', 'https://github.com/acme/../evil/net'],
    ['https://github.com/acme/**', 'https://github.com/acme/%2e%2e/evil/net'],
    ['https://github.com/acme/**', 'https://github.com/acme/x%2F..%2F..%2Fevil'],
    ['https://github.com/acme/**', 'https://github.com/acme//net'],
    ['https://github.com/acme/**', 'https://user@github.com/acme/net'],
    ['https://github.com/acme/**', 'https://github.com/acme/net?x=1'],
    // file:// keeps ".git" and never matches another folder
    ['file:///srv/git/fabrics/*.git', 'file:///srv/git/fabrics/lab'],
    ['file:///srv/git/fabrics/*.git', 'file:///srv/git/fabrics/sub/lab.git'],
    ['file:///srv/git/fabrics/*.git', 'file:///srv/git/fabrics/../../etc/x.git'],
    ['file:///srv/git/fabrics/*.git', 'file:///srv/git/fabrics/..\\x.git'],
    ['file:///srv/git/fabrics/*.git', 'file:////srv/git/fabrics/lab.git'],
    ['file:///srv/git/fabrics/*.git', 'file://otherhost/srv/git/fabrics/lab.git'],
    ['file:///srv/git/fabrics/lab.git', 'file:///srv/git/fabrics/lab.git.bak'],
    // "*" in a host does not reach into the path
    ['https://*.example.com/net/*', 'https://evil.org/x.example.com/net/a'],
  ])('%s does not match %s', (pattern, url) => {
    expect(matchesRepositoryPattern(pattern, url)).toBe(false);
  });

  it('matches nothing with an invalid pattern', () => {
    expect(matchesRepositoryPattern('github.com/*', 'https://github.com/a')).toBe(false);
    expect(matchesRepositoryPattern('https://**.example.com/*', 'https://evil.org/a.example.com/x')).toBe(false);
  });
});

describe('invalidRepositoryPattern', () => {
  it('accepts URLs of the five schemes, with wildcards', () => {
    for (const p of [
      'https://github.com/acme/*',
      'http://127.0.0.1:8080/**',
      'ssh://git.example.com/net/*',
      'git://git.example.com/net/*',
      'file:///srv/git/*.git',
    ]) {
      expect(invalidRepositoryPattern(p)).toBeUndefined();
    }
  });

  it.each([
    ['github.com/acme/*', /not an https/],
    ['ftp://example.com/*', /not an https/],
    ['https://token@github.com/*', /credentials/],
    ['https://github.com/acme/*?ref=main', /query/],
    ['https://github.com/acme/../*', /"\."/],
    ['file://host/srv/*.git', /local folder/],
    ['https://**.example.com/*', /host has "\*\*"/],
  ])('refuses %s', (pattern, message) => {
    expect(invalidRepositoryPattern(pattern)).toMatch(message);
  });
});

describe('uncheckableRepositoryUrl', () => {
  it('accepts plain repository URLs', () => {
    expect(uncheckableRepositoryUrl('https://github.com/acme/net.git')).toBeUndefined();
    expect(uncheckableRepositoryUrl('file:///srv/git/lab.git')).toBeUndefined();
    expect(uncheckableRepositoryUrl('https://github.com/acme/net/')).toBeUndefined();
  });

  it('says why it refuses the others', () => {
    expect(uncheckableRepositoryUrl('/srv/git/lab.git')).toMatch(/not an https/);
    expect(uncheckableRepositoryUrl('file:///srv/%00/lab.git')).toMatch(/NUL/);
    expect(uncheckableRepositoryUrl('file:///srv/./lab.git')).toMatch(/"\."/);
  });
});
