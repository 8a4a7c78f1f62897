import { object, string } from '../schemas/types';
import { BackendKind } from './types';

export const ServerBackend: BackendKind = {
  kind: 'Server',
  spec: object({ description: string(), profile: string() }),
};
