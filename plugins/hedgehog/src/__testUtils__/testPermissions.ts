/**
 * `@backstage/plugin-permission-react` for component tests: the real module,
 * except that `usePermission` asks the permission API on every mount instead of
 * going through SWR's process-wide cache (which would carry one test's
 * decision into the next for two seconds). Use with
 * `jest.mock('@backstage/plugin-permission-react', () => require('../testPermissions').uncachedPermissionReact())`.
 */
export function uncachedPermissionReact() {
  const actual = jest.requireActual('@backstage/plugin-permission-react');
  const { useApi } = jest.requireActual('@backstage/core-plugin-api');
  const { AuthorizeResult } = jest.requireActual(
    '@backstage/plugin-permission-common',
  );
  const { useEffect, useState } = jest.requireActual('react');
  function usePermission(input: {
    permission: { name: string };
    resourceRef?: string;
  }) {
    const api = useApi(actual.permissionApiRef);
    const [state, setState] = useState({ loading: true, allowed: false });
    useEffect(() => {
      let cancelled = false;
      api.authorize(input).then(
        ({ result }: { result: string }) =>
          !cancelled &&
          setState({
            loading: false,
            allowed: result === AuthorizeResult.ALLOW,
          }),
        (error: Error) =>
          !cancelled && setState({ loading: false, allowed: false, error }),
      );
      return () => {
        cancelled = true;
      };
      // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [api, input.permission.name, input.resourceRef]);
    return state;
  }
  return { ...actual, usePermission };
}
