import { checkExternalAttachment } from '../kinds/vpcObjects';
import { bool, int, listOf, object, string, u32 } from '../schemas/types';
import { ACL_STATEMENT } from '../schemas/vpc';
import { BackendKind } from './types';

export const ExternalAttachmentBackend: BackendKind = {
  kind: 'ExternalAttachment',
  spec: object(
    {
      external: string(),
      connection: string(),
      switch: object({ vlan: int(0, 4094), ip: string({ format: 'cidr' }) }),
      neighbor: object({ asn: u32, ip: string({ format: 'ip' }) }),
      static: object(
        { remoteIP: string({ format: 'ipv4' }), vlan: int(0, 4094), ip: string({ format: 'cidr' }), proxy: bool },
        ['remoteIP'],
      ),
      inboundACL: object({ statements: listOf(ACL_STATEMENT) }),
    },
    ['external', 'connection'],
  ),
  check: checkExternalAttachment,
};
