import { checkVPCPeering } from '../kinds/vpcObjects';
import { listOf, map, object, string } from '../schemas/types';
import { BackendKind } from './types';

export const VPCPeeringBackend: BackendKind = {
  kind: 'VPCPeering',
  spec: object(
    { remote: string(), permit: listOf(map(object({ subnets: listOf(string(), 0, 10) })), 1, 10) },
    ['permit'],
  ),
  check: checkVPCPeering,
};
