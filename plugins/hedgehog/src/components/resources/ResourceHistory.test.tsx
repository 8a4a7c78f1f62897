import { screen, within } from '@testing-library/react';
import { ResourceHistory as History } from '@fabric-gitops/plugin-hedgehog-common';
import { apiError, mockHedgehogApi } from '../../__testUtils__/testUtils';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { ResourceHistory } from './ResourceHistory';

const EDIT = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const FIRST = 'ffeeddccbbaa99887766554433221100ffeeddcc';

const history: History = {
  items: [
    {
      commit: EDIT,
      author: 'Ada Lovelace',
      date: '2026-12-01T10:00:00Z',
      message: 'leaf-01 gets ASN 65101\n\nasked by the NOC',
      path: 'managed/switches/leaf-01.yaml',
      changes:
        'diff --git a/fabrics/lab/managed/switches/leaf-01.yaml b/fabrics/lab/managed/switches/leaf-01.yaml\n@@ -5 +5 @@\n-  asn: 65199\n+  asn: 65101\n',
      url: `https://github.com/acme/network/commit/${EDIT}`,
    },
    {
      commit: FIRST,
      author: 'Hedgehog GitOps',
      date: '2026-11-30T09:00:00Z',
      message: 'hedgehog: ingest 12 resources',
      path: 'managed/switches/leaf-01.yaml',
      changes: 'new file mode 100644\n+kind: Switch\n',
      truncated: true,
    },
  ],
  more: true,
};

describe('ResourceHistory', () => {
  it('lists the commits newest first with author, message and change, linking those on a known Git host', async () => {
    const api = mockHedgehogApi({ resourceHistory: jest.fn(async () => history) });
    await renderWithApis(<ResourceHistory fabric="demo" kind="Switch" name="leaf-01" />, { api });
    const entries = await screen.findAllByTestId('history-entry');
    expect(api.resourceHistory).toHaveBeenCalledWith('demo', 'Switch', 'leaf-01');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveTextContent('leaf-01 gets ASN 65101');
    expect(entries[0]).toHaveTextContent('Ada Lovelace');
    expect(entries[0]).toHaveTextContent('asked by the NOC');
    expect(entries[0].querySelector('a')).toHaveAttribute(
      'href',
      `https://github.com/acme/network/commit/${EDIT}`,
    );
    const lines = [...entries[0].querySelectorAll('pre > div')].map(d => d.textContent);
    expect(lines).toEqual(expect.arrayContaining(['-  asn: 65199', '+  asn: 65101']));
    // a commit of an unknown host is plain text
    expect(within(entries[1]).queryByRole('link')).not.toBeInTheDocument();
    expect(entries[1]).toHaveTextContent(FIRST.slice(0, 12));
    expect(entries[1]).toHaveTextContent('(cut: the diff is larger)');
    expect(screen.getByText(/Older commits are not shown/)).toBeInTheDocument();
  });

  it('says when no commit changed the file', async () => {
    const empty = mockHedgehogApi({ resourceHistory: jest.fn(async () => ({ items: [], more: false })) });
    await renderWithApis(<ResourceHistory fabric="demo" kind="Switch" name="leaf-01" />, { api: empty });
    expect(await screen.findByText(/No commit changed this resource's file/)).toBeInTheDocument();
  });

  it('shows the backend\'s message when the history cannot be read', async () => {
    const api = mockHedgehogApi({
      resourceHistory: jest.fn(async () => {
        throw await apiError(429, 'TooManyRequestsError', 'Too many requests that ask GitHub or a cluster; try again in 2 s');
      }),
    });
    await renderWithApis(<ResourceHistory fabric="demo" kind="Switch" name="leaf-01" />, { api });
    const panel = await findApiErrorPanel('Too many requests that ask GitHub or a cluster; try again in 2 s', 'Could not load the history');
    expect(panel).toBeInTheDocument();
  });
});
