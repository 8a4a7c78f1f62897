import { checkSwitch } from '../kinds/switch';
import { SWITCH_SPEC } from '../schemas/wiring';
import { BackendKind } from './types';

export const SwitchBackend: BackendKind = { kind: 'Switch', spec: SWITCH_SPEC, check: checkSwitch };
