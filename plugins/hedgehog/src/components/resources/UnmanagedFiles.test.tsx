import { screen } from '@testing-library/react';
import {
  apiError,
  mockHedgehogApi,
  unmanaged,
} from '../../__testUtils__/testUtils';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import { UnmanagedFiles } from './UnmanagedFiles';

describe('UnmanagedFiles', () => {
  it('lists the files with their reasons', async () => {
    const api = mockHedgehogApi({
      listUnmanaged: jest.fn(async () => ({ items: unmanaged, totalItems: 2 })),
    });
    await renderWithApis(<UnmanagedFiles fabric="demo" />, { api });
    expect(
      await screen.findByText('unmanaged/broken.yaml'),
    ).toBeInTheDocument();
    expect(screen.getByText('raw/broken.yaml')).toBeInTheDocument();
    // the API's document indexes are 0-based; users count from 1
    expect(
      screen.getByText(
        'Document 2: VPC: name "Bad_Name" is not a valid RFC 1123 name',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Document 4: kind Gateway is not one of the 12 kinds managed through GitOps',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('not a YAML file (only *.yaml and *.yml are ingested)'),
    ).toBeInTheDocument();
    expect(api.listUnmanaged).toHaveBeenCalledWith('demo');
  });

  it('explains an empty list', async () => {
    const api = mockHedgehogApi();
    await renderWithApis(<UnmanagedFiles fabric="demo" />, { api });
    expect(await screen.findByText(/No unmanaged files/)).toBeInTheDocument();
  });

  it('shows loading', async () => {
    const api = mockHedgehogApi({
      listUnmanaged: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderWithApis(<UnmanagedFiles fabric="demo" />, { api });
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
  });

  it('shows the backend message of an error', async () => {
    const error = await apiError(
      400,
      'InputError',
      '"Demo" is not a valid fabric name',
    );
    const api = mockHedgehogApi({
      listUnmanaged: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithApis(<UnmanagedFiles fabric="Demo" />, { api });
    expect(
      await findApiErrorPanel(
        '"Demo" is not a valid fabric name',
        'Could not load the unmanaged files',
      ),
    ).toBeInTheDocument();
  });
});
