import { fireEvent, screen, waitFor } from '@testing-library/react';
import { fabric, mockHedgehogApi } from './testUtils';

/** The API of a fabric view test: the demo fabric, its cluster reachable. */
export function fabricViewApi(
  over: Parameters<typeof mockHedgehogApi>[0] = {},
) {
  return mockHedgehogApi({
    getFabric: jest.fn(async () => fabric),
    clusterStatus: jest.fn(async () => ({
      cluster: 'lab',
      reachable: true,
      version: 'v1.31.2',
      crds: [],
    })),
    ...over,
  });
}

/** Clicks the Sync button once the fabric has loaded and enabled it. */
export async function clickSync() {
  const sync = await screen.findByRole('button', { name: 'Sync' });
  await waitFor(() => expect(sync).toBeEnabled());
  fireEvent.click(sync);
}
