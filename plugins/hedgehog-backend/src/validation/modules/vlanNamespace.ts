import { checkVLANNamespace } from '../kinds/namespaces';
import { listOf, object, u16 } from '../schemas/types';
import { BackendKind } from './types';

export const VLANNamespaceBackend: BackendKind = {
  kind: 'VLANNamespace',
  spec: object({ ranges: listOf(object({ from: u16, to: u16 }, ['from']), 1, 20) }, ['ranges']),
  check: checkVLANNamespace,
};
