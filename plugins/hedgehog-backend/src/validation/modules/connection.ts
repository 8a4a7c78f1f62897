import { connectionModel } from '../connectionModel';
import { checkConnection } from '../kinds/connection';
import { obj } from '../model';
import { CONNECTION_SPEC } from '../schemas/wiring';
import { BackendKind } from './types';

export const ConnectionBackend: BackendKind = {
  kind: 'Connection',
  spec: CONNECTION_SPEC,
  check: checkConnection,
  // only server-facing types name servers, only gateway connections a Gateway, only static externals a VPC
  referencesOf: o => {
    const model = connectionModel(obj(o.spec) ?? {});
    const kinds: string[] = [];
    if (model.switches.size > 0) kinds.push('Switch');
    if (model.servers.size > 0) kinds.push('Server');
    if (model.gateways.size > 0) kinds.push('Gateway');
    if (model.key === 'staticExternal' && obj(obj(o.spec)?.staticExternal)?.withinVPC) kinds.push('VPC');
    return kinds;
  },
};
