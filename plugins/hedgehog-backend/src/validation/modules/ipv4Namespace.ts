import { checkIPv4Namespace } from '../kinds/namespaces';
import { listOf, object, string } from '../schemas/types';
import { BackendKind } from './types';

export const IPv4NamespaceBackend: BackendKind = {
  kind: 'IPv4Namespace',
  spec: object({ subnets: listOf(string({ format: 'cidr' }), 1, 10) }, ['subnets']),
  check: checkIPv4Namespace,
};
