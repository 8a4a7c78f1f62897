import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { FabricProbe } from '@fabric-gitops/plugin-hedgehog-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  apiError,
  fabric,
  mockHedgehogApi,
} from '../../__testUtils__/testUtils';
import { renderWithApis } from '../../__testUtils__/testRender';
import { FabricsPageContent } from '../fabrics/FabricsPage';

jest.mock('@backstage/plugin-permission-react', () =>
  require('../../__testUtils__/testPermissions').uncachedPermissionReact(),
);

const GITHUB = 'https://github.com/acme/network.git';

function probeOf(over: Partial<FabricProbe> = {}): FabricProbe {
  return {
    url: GITHUB,
    branch: 'main',
    path: 'fabrics/lab',
    reachable: true,
    usedCredentials: true,
    branchExists: true,
    commit: '0123456789abcdef0123456789abcdef01234567',
    directory: {
      exists: true,
      raw: { files: 2, yamlFiles: 2 },
      managed: { files: 0, yamlFiles: 0 },
      unmanaged: { files: 0, yamlFiles: 0 },
      manifest: false,
      catalogInfo: true,
      otherYamlFiles: 0,
      totalFiles: 3,
      truncated: false,
    },
    layout: 'raw-only',
    advice: 'raw/ holds 2 YAML files and the rest of the layout is missing',
    catalog: { allowed: true, writeMode: 'pull-request' },
    ...over,
  };
}

const type = (label: RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

async function openAddFabric(probe: FabricProbe | Error, deny: string[] = []) {
  const api = mockHedgehogApi({
    listFabrics: jest.fn(async () => ({ items: [fabric], totalItems: 1 })),
    probeFabric: jest.fn(async () => {
      if (probe instanceof Error) throw probe;
      return probe;
    }),
  });
  const catalogApi = catalogApiMock.mock({
    addLocation: jest.fn(async () => ({
      location: {} as any,
      entities: [],
      exists: false,
    })),
  });
  await renderWithApis(<FabricsPageContent />, {
    api,
    deny,
    apis: [[catalogApiRef, catalogApi]],
  });
  fireEvent.click(await screen.findByRole('button', { name: /Add fabric/ }));
  expect(
    await screen.findByText(/A Git repository holding/),
  ).toBeInTheDocument();
  return { api, catalogApi };
}

describe('Add fabric', () => {
  it('checks a GitHub repository and registers its catalog-info.yaml in the catalog', async () => {
    const { api, catalogApi } = await openAddFabric(probeOf());
    type(/Git URL/, GITHUB);
    type(/Directory/, '/fabrics/lab/');
    type(/Fabric name/, 'lab');
    type(/^Cluster/, '');
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    const result = await screen.findByTestId('probe-result');
    expect(api.probeFabric).toHaveBeenCalledWith({
      url: GITHUB,
      branch: 'main',
      path: '/fabrics/lab/',
      cluster: undefined,
    });
    expect(
      within(result).getByText(/with the credentials of integrations/),
    ).toBeInTheDocument();
    expect(within(result).getByText('raw/: 2 files')).toBeInTheDocument();
    expect(
      within(result).getByText('catalog-info.yaml: present'),
    ).toBeInTheDocument();

    const registration = screen.getByTestId('registration');
    // the entity as the catalog module reads it, with the location the backend normalized
    expect(registration.textContent).toContain(
      'githedgehog.com/gitops-location: url:https://github.com/acme/network/tree/main/fabrics/lab',
    );
    expect(registration.textContent).toContain('type: hedgehog-fabric');
    // the write mode is limited by the policy
    expect(registration.textContent).toContain(
      'you asked for push; it gets pull-request',
    );
    fireEvent.click(
      within(registration).getByRole('button', {
        name: 'Register in the catalog',
      }),
    );
    await waitFor(() =>
      expect(catalogApi.addLocation).toHaveBeenCalledWith({
        type: 'url',
        target:
          'https://github.com/acme/network/blob/main/fabrics/lab/catalog-info.yaml',
      }),
    );
    expect(
      await screen.findByText(/The catalog reads it within a minute/),
    ).toBeInTheDocument();
  });

  it('asks for catalog-info.yaml to be committed before registering, and for a name before anything', async () => {
    await openAddFabric(
      probeOf({ directory: { ...probeOf().directory!, catalogInfo: false } }),
    );
    type(/Git URL/, GITHUB);
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(
      await screen.findByText('Give the fabric a name to see how to add it.'),
    ).toBeInTheDocument();
    type(/Fabric name/, 'lab');
    // the name does not invalidate the check
    expect(
      screen.getByRole('button', { name: 'Register in the catalog' }),
    ).toBeDisabled();
    expect(
      screen.getByText(
        /fabrics\/lab\/catalog-info.yaml is not in the branch yet/,
      ),
    ).toBeInTheDocument();
    // another directory does
    type(/Directory/, 'fabrics/other');
    expect(screen.queryByTestId('probe-result')).not.toBeInTheDocument();
  });

  it('shows the app-config entry, with the policy reason, when catalog fabrics may not use the repository', async () => {
    const local = 'file:///srv/git/fabrics.git';
    await openAddFabric(
      probeOf({
        url: local,
        path: '',
        catalog: {
          allowed: false,
          reason:
            'the repository file:///srv/git/fabrics.git is not one catalog fabrics may use',
          writeMode: 'none',
        },
      }),
    );
    type(/Git URL/, local);
    type(/Fabric name/, 'lab');
    type(/Owner/, 'group:default/network');
    type(/^Cluster/, 'lab');
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    const registration = await screen.findByTestId('registration');
    expect(
      within(registration).getByText(/is not one catalog fabrics may use/),
    ).toBeInTheDocument();
    expect(
      within(registration).queryByRole('button', {
        name: 'Register in the catalog',
      }),
    ).not.toBeInTheDocument();
    const text = registration.textContent!;
    for (const line of [
      '- name: lab',
      'owner: group:default/network',
      `url: ${local}`,
      "path: ''",
      'writeMode: push',
      'cluster: lab',
    ]) {
      expect(text).toContain(line);
    }
  });

  it('says why a repository cannot be read, and shows a refused check', async () => {
    await openAddFabric(
      probeOf({
        reachable: false,
        branchExists: false,
        directory: undefined,
        layout: undefined,
        error: 'fatal: repository not found',
        advice: 'Check the URL.',
      }),
    );
    type(/Git URL/, GITHUB);
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(
      await screen.findByText('fatal: repository not found'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('registration')).not.toBeInTheDocument();
  });

  it('shows the backend refusing bad input', async () => {
    await openAddFabric(
      await apiError(
        400,
        'InputError',
        'url: "x" must be a Git URL starting with https://',
      ),
    );
    type(/Git URL/, 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(await screen.findByText(/must be a Git URL/)).toBeInTheDocument();
  });

  it('disables Check without hedgehog.fabric.create', async () => {
    await openAddFabric(probeOf(), ['hedgehog.fabric.create']);
    type(/Git URL/, GITHUB);
    expect(
      await screen.findByText(/You need the permission hedgehog.fabric.create/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Check' })).toBeDisabled();
  });
});
