import { listOf, object, string, strings } from '../schemas/types';
import { BackendKind } from './types';

export const ExternalPeeringBackend: BackendKind = {
  kind: 'ExternalPeering',
  spec: object(
    {
      permit: object(
        {
          vpc: object({ name: string(), subnets: strings }, ['name']),
          external: object(
            { name: string(), prefixes: listOf(object({ prefix: string({ format: 'cidr' }) }, ['prefix'])) },
            ['name'],
          ),
        },
        ['vpc', 'external'],
      ),
    },
    ['permit'],
  ),
};
