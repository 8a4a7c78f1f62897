import { ConnectionBackend } from './connection';
import { ExternalBackend } from './external';
import { ExternalAttachmentBackend } from './externalAttachment';
import { ExternalPeeringBackend } from './externalPeering';
import { GatewayBackend } from './gateway';
import { GatewayGroupBackend } from './gatewayGroup';
import { GatewayPeeringBackend } from './gatewayPeering';
import { IPv4NamespaceBackend } from './ipv4Namespace';
import { ServerBackend } from './server';
import { SwitchBackend } from './switch';
import { SwitchGroupBackend } from './switchGroup';
import { BackendKind } from './types';
import { VLANNamespaceBackend } from './vlanNamespace';
import { VPCBackend } from './vpc';
import { VPCAttachmentBackend } from './vpcAttachment';
import { VPCPeeringBackend } from './vpcPeering';

export type { BackendKind } from './types';

/**
 * The backend part of each managed kind (schema, per-document checks), one module
 * per kind, keyed by the kind of its module in plugins/hedgehog-common/src/kinds/.
 */
export const BACKEND_KINDS: Readonly<Record<string, BackendKind>> = Object.fromEntries(
  [
    VLANNamespaceBackend,
    IPv4NamespaceBackend,
    SwitchGroupBackend,
    SwitchBackend,
    ServerBackend,
    ConnectionBackend,
    VPCBackend,
    ExternalBackend,
    VPCAttachmentBackend,
    VPCPeeringBackend,
    ExternalAttachmentBackend,
    ExternalPeeringBackend,
    GatewayGroupBackend,
    GatewayBackend,
    GatewayPeeringBackend,
  ].map(m => [m.kind, m]),
);
