import { object } from '../schemas/types';
import { BackendKind } from './types';

export const GatewayGroupBackend: BackendKind = { kind: 'GatewayGroup', spec: object({}) };
