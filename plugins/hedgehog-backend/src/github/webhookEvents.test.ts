import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { createHmac } from 'crypto';
import {
  fabricsForPullRequest,
  fabricsForPush,
  repositoryKey,
  sameRepository,
  verifySignature,
} from './webhookEvents';

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const fabric = (name: string, url: string, path: string, branch = 'main'): FabricDefinition => ({
  name,
  title: name,
  git: { url, branch, path, writeMode: 'push' },
  apply: 'manual',
  prune: false,
  source: 'app-config',
});

const repository = {
  full_name: 'Acme/GitOps',
  html_url: 'https://github.example.com/Acme/GitOps',
  clone_url: 'https://github.example.com/Acme/GitOps.git',
  ssh_url: 'git@github.example.com:Acme/GitOps.git',
  git_url: 'git://github.example.com/Acme/GitOps.git',
};

const commit = (files: { added?: string[]; removed?: string[]; modified?: string[] }) => ({
  id: 'c0ffee',
  added: files.added ?? [],
  removed: files.removed ?? [],
  modified: files.modified ?? [],
});

describe('verifySignature', () => {
  const body = Buffer.from('{"zen":"Design for failure."}');

  it('accepts the HMAC of the raw body with the secret', () => {
    expect(verifySignature('s3cret', body, sign('s3cret', body.toString()))).toBe(true);
    expect(verifySignature('s3cret', body, sign('s3cret', body.toString()).toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
  });

  it.each([
    ['another secret', sign('other', body.toString())],
    ['another body', sign('s3cret', '{"zen":"other"}')],
    ['no header', undefined],
    ['the SHA-1 header format', `sha1=${createHmac('sha1', 's3cret').update(body).digest('hex')}`],
    ['a truncated digest', sign('s3cret', body.toString()).slice(0, 40)],
    ['garbage', 'sha256=zz'],
  ])('refuses %s', (_, header) => {
    expect(verifySignature('s3cret', body, header)).toBe(false);
  });

  it('refuses everything without a secret', () => {
    expect(verifySignature('', body, sign('', body.toString()))).toBe(false);
  });
});

describe('repositoryKey and sameRepository', () => {
  it.each([
    ['https://github.com/Acme/GitOps.git', 'github.com/acme/gitops'],
    ['https://github.com/acme/gitops/', 'github.com/acme/gitops'],
    ['https://user@github.com/acme/gitops', 'github.com/acme/gitops'],
    ['http://127.0.0.1:8080/acme/gitops.git', '127.0.0.1:8080/acme/gitops'],
    ['git@github.com:acme/gitops.git', 'github.com/acme/gitops'],
    ['ssh://git@github.com:22/acme/gitops.git', 'github.com/acme/gitops'],
    ['file:///srv/git/gitops.git', undefined],
    ['not a url', undefined],
  ])('%s -> %s', (url, key) => {
    expect(repositoryKey(url)).toBe(key);
  });

  it('matches the clone, web and SSH URLs and host + full_name', () => {
    expect(sameRepository('https://github.example.com/acme/gitops.git', repository)).toBe(true);
    expect(sameRepository('https://github.example.com/acme/gitops', { full_name: 'acme/gitops', html_url: 'https://github.example.com/acme/gitops' })).toBe(true);
    expect(sameRepository('ssh://git@github.example.com/Acme/GitOps.git', repository)).toBe(true);
    expect(sameRepository('https://github.example.com/acme/gitops.git', { full_name: 'acme/gitops', html_url: 'https://other.example.com/acme/gitops' })).toBe(false);
  });

  it('does not match another owner, another host or nothing', () => {
    expect(sameRepository('https://github.example.com/other/gitops.git', repository)).toBe(false);
    expect(sameRepository('https://github.com/acme/gitops.git', repository)).toBe(false);
    expect(sameRepository('https://github.example.com/acme/gitops.git', undefined)).toBe(false);
    expect(sameRepository('file:///srv/gitops.git', repository)).toBe(false);
  });
});

describe('fabricsForPush', () => {
  const url = 'https://github.example.com/acme/gitops.git';
  const fabrics = [
    fabric('dc1', url, 'fabrics/dc1'),
    fabric('dc2', url, 'fabrics/dc2'),
    fabric('root', 'https://github.example.com/acme/other.git', ''),
    fabric('staging', url, 'fabrics/dc1', 'staging'),
  ];
  const push = (extra: Record<string, unknown>) => ({ ref: 'refs/heads/main', repository, commits: [], ...extra });

  it('queues only the fabrics whose directory changed on their branch', () => {
    expect(fabricsForPush(fabrics, push({ commits: [commit({ modified: ['fabrics/dc1/raw/a.yaml'] })] }))).toEqual({ fabrics: ['dc1'] });
    expect(
      fabricsForPush(fabrics, push({ commits: [commit({ added: ['fabrics/dc2/raw/x.yaml'] }), commit({ removed: ['fabrics/dc1/managed/vpcs/a.yaml'] })] })),
    ).toEqual({ fabrics: ['dc1', 'dc2'] });
    expect(fabricsForPush(fabrics, push({ ref: 'refs/heads/staging', commits: [commit({ modified: ['fabrics/dc1/x'] })] }))).toEqual({ fabrics: ['staging'] });
  });

  it('does not take a sibling folder with the same prefix for the fabric directory', () => {
    const match = fabricsForPush(fabrics, push({ commits: [commit({ modified: ['fabrics/dc10/raw/a.yaml', 'README.md'] })] }));
    expect(match.fabrics).toEqual([]);
    expect(match.ignored).toMatch(/changes nothing inside fabrics\/dc1, fabrics\/dc2/);
  });

  it('queues every fabric of the branch when the files are unknown', () => {
    expect(fabricsForPush(fabrics, push({ created: true })).fabrics).toEqual(['dc1', 'dc2']);
    expect(fabricsForPush(fabrics, push({ forced: true, commits: [commit({ modified: ['README.md'] })] })).fabrics).toEqual(['dc1', 'dc2']);
    expect(fabricsForPush(fabrics, push({ commits: [{ id: 'x' }] })).fabrics).toEqual(['dc1', 'dc2']);
  });

  it('watches the whole repository for a fabric at its root', () => {
    const other = { full_name: 'acme/other', html_url: 'https://github.example.com/acme/other', clone_url: 'https://github.example.com/acme/other.git' };
    expect(fabricsForPush(fabrics, push({ repository: other, commits: [commit({ modified: ['anything.md'] })] })).fabrics).toEqual(['root']);
  });

  it('ignores tags, other branches and other repositories, saying why', () => {
    expect(fabricsForPush(fabrics, push({ ref: 'refs/tags/v1' })).ignored).toMatch(/not a branch/);
    expect(fabricsForPush(fabrics, push({ ref: 'refs/heads/dev' })).ignored).toMatch(/no fabric watches the branch dev/);
    expect(fabricsForPush(fabrics, push({ repository: { ...repository, full_name: 'x/y', html_url: 'https://github.example.com/x/y', clone_url: 'https://github.example.com/x/y.git', ssh_url: '', git_url: '' } })).ignored).toMatch(
      /no fabric uses the repository x\/y/,
    );
    expect(fabricsForPush(fabrics, {}).fabrics).toEqual([]);
  });
});

describe('fabricsForPullRequest', () => {
  const url = 'https://github.example.com/acme/gitops.git';
  const fabrics = [fabric('dc1', url, 'fabrics/dc1'), fabric('dc2', url, 'fabrics/dc2', 'release')];
  const event = (action: string, extra: Record<string, unknown> = {}, base = 'main') => ({
    action,
    repository,
    pull_request: { number: 7, state: 'open', head: { sha: 'a'.repeat(40), ref: 'feature' }, base: { ref: base } },
    ...extra,
  });

  it.each(['opened', 'reopened', 'synchronize', 'ready_for_review'])('validates on %s for fabrics on the base branch', action => {
    expect(fabricsForPullRequest(fabrics, event(action))).toEqual({ fabrics: ['dc1'] });
  });

  it('validates when the base branch is edited, not for other edits', () => {
    expect(fabricsForPullRequest(fabrics, event('edited', { changes: { base: { ref: { from: 'x' } } } }, 'release')).fabrics).toEqual(['dc2']);
    expect(fabricsForPullRequest(fabrics, event('edited', { changes: { title: { from: 'x' } } })).fabrics).toEqual([]);
  });

  it('ignores other actions, closed pull requests and other bases', () => {
    expect(fabricsForPullRequest(fabrics, event('closed')).ignored).toMatch(/action closed/);
    expect(fabricsForPullRequest(fabrics, event('labeled')).fabrics).toEqual([]);
    const closed = event('synchronize');
    (closed.pull_request as any).state = 'closed';
    expect(fabricsForPullRequest(fabrics, closed).ignored).toMatch(/is closed/);
    expect(fabricsForPullRequest(fabrics, event('opened', {}, 'dev')).ignored).toMatch(/no fabric watches the branch dev/);
    expect(fabricsForPullRequest(fabrics, { action: 'opened', repository }).ignored).toMatch(/no pull request/);
  });
});
