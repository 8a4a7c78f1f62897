import { Doc } from '../model';
import { checkConnection } from './connection';
import { KindContext } from './context';
import { checkMetadata } from './metadata';
import { checkIPv4Namespace, checkVLANNamespace } from './namespaces';
import { checkSwitch } from './switch';
import { checkVPC } from './vpc';
import { checkExternal, checkExternalAttachment, checkVPCAttachment, checkVPCPeering } from './vpcObjects';

export type { KindContext } from './context';

const CHECKS: Record<string, (doc: Doc, ctx: KindContext) => unknown> = {
  VLANNamespace: checkVLANNamespace,
  IPv4Namespace: checkIPv4Namespace,
  Switch: checkSwitch,
  Connection: checkConnection,
  VPC: checkVPC,
  VPCAttachment: checkVPCAttachment,
  VPCPeering: checkVPCPeering,
  External: checkExternal,
  ExternalAttachment: checkExternalAttachment,
};

/** Layer 2: the rules of one kind that need only the document (docs/hedgehog.md#validation-rules). */
export function checkKind(doc: Doc, ctx: KindContext) {
  checkMetadata(doc, ctx);
  CHECKS[doc.kind]?.(doc, ctx);
}
