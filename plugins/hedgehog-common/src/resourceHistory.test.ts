import { commitUrl } from './resourceHistory';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('commitUrl', () => {
  it.each([
    ['https://github.com/acme/network.git', `https://github.com/acme/network/commit/${SHA}`],
    ['https://github.com/acme/network', `https://github.com/acme/network/commit/${SHA}`],
    ['git@github.com:acme/network.git', `https://github.com/acme/network/commit/${SHA}`],
    ['ssh://git@github.example.com:2222/acme/network.git', `https://github.example.com/acme/network/commit/${SHA}`],
    ['https://gitlab.com/net/dc1/fabrics.git', `https://gitlab.com/net/dc1/fabrics/-/commit/${SHA}`],
    ['https://gitlab.example.com:8443/net/fabrics', `https://gitlab.example.com:8443/net/fabrics/-/commit/${SHA}`],
    ['https://user@github.com/acme/network.git', `https://github.com/acme/network/commit/${SHA}`],
  ])('%s → %s', (url, expected) => {
    expect(commitUrl(url, SHA)).toBe(expected);
  });

  it.each([
    ['file:///srv/git/fabrics.git'],
    ['https://git.example.com/net/fabrics.git'],
    ['https://github.com/acme/network/extra.git'],
    ['http://127.0.0.1:3000/gitea/fabrics.git'],
    ['not a url'],
  ])('%s has no known commit page', url => {
    expect(commitUrl(url, SHA)).toBeUndefined();
  });

  it('takes only commit ids', () => {
    expect(commitUrl('https://github.com/acme/network.git', '../../evil')).toBeUndefined();
  });
});
