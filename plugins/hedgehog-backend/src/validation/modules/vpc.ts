import { checkVPC } from '../kinds/vpc';
import { VPC_SPEC } from '../schemas/vpc';
import { BackendKind } from './types';

export const VPCBackend: BackendKind = { kind: 'VPC', spec: VPC_SPEC, check: checkVPC };
