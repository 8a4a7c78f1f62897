import { checkVPCAttachment } from '../kinds/vpcObjects';
import { bool, object, string } from '../schemas/types';
import { BackendKind } from './types';

export const VPCAttachmentBackend: BackendKind = {
  kind: 'VPCAttachment',
  spec: object({ subnet: string(), connection: string(), nativeVLAN: bool }, ['subnet', 'connection']),
  check: checkVPCAttachment,
};
