import { checkGatewayGroup } from '../kinds/gateway';
import { object } from '../schemas/types';
import { BackendKind } from './types';

/** Hedgehog's GatewayGroup (githedgehog/fabric api/gateway/v1alpha1/gatewaygroup_types.go): an empty spec. */
export const GatewayGroupBackend: BackendKind = { kind: 'GatewayGroup', spec: object({}), check: checkGatewayGroup };
