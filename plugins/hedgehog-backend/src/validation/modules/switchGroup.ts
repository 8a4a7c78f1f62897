import { object } from '../schemas/types';
import { BackendKind } from './types';

export const SwitchGroupBackend: BackendKind = { kind: 'SwitchGroup', spec: object({}) };
