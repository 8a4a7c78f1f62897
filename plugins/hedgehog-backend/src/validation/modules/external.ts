import { checkExternal } from '../kinds/vpcObjects';
import { listOf, object, string } from '../schemas/types';
import { BackendKind } from './types';

export const ExternalBackend: BackendKind = {
  kind: 'External',
  spec: object({
    ipv4Namespace: string(),
    inboundCommunity: string({ format: 'community' }),
    outboundCommunity: string({ format: 'community' }),
    static: object({ prefixes: listOf(string({ format: 'cidr' })) }),
  }),
  check: checkExternal,
};
