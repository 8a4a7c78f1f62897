import { Doc, Report, int, obj, str } from '../model';
import { Steps } from '../steps';
import { Resolver } from './resolver';
import { Use, push, where } from './shared';

/* Externals and ExternalAttachments: namespaces, the External and connection referred to, reused VLANs. */

export function* checkExternals(externals: Doc[], attachments: Doc[], r: Resolver, report: Report): Steps {
  for (const e of externals) {
    yield;
    const ns = str(e.spec.ipv4Namespace);
    r.resolve(e, 'IPv4Namespace', ns ?? 'default', ['spec', 'ipv4Namespace'], ns === undefined);
  }
  const vlans = new Map<string, Use[]>();
  for (const a of attachments) {
    yield;
    const isStatic = obj(a.spec.static) !== undefined;
    const ext = r.resolve(a, 'External', str(a.spec.external), ['spec', 'external']);
    if (ext && (obj(ext.spec.static) !== undefined) !== isStatic) {
      report.add(
        a,
        'externalattachment.external-mode',
        isStatic ? ['spec', 'static'] : ['spec', 'external'],
        isStatic ? `the attachment is static but External ${ext.name} is not` : `External ${ext.name} is static but the attachment is not (set static)`,
      );
    }
    const connName = str(a.spec.connection);
    const conn = r.resolve(a, 'Connection', connName, ['spec', 'connection']);
    if (conn) {
      const model = r.connection(conn);
      if (model.key && model.key !== 'external') {
        report.add(a, 'externalattachment.connection-type', ['spec', 'connection'], `Connection ${conn.name} is of type ${model.type}; ExternalAttachments use external connections`);
      }
    }
    if (connName) {
      const vlan = isStatic ? int(obj(a.spec.static)?.vlan) ?? 0 : int(obj(a.spec.switch)?.vlan) ?? 0;
      push(vlans, `${connName}/${vlan}`, { doc: a, path: isStatic ? ['spec', 'static', 'vlan'] : ['spec', 'switch', 'vlan'], what: `VLAN ${vlan}` });
    }
  }
  // The webhook refuses the later attachment; report every attachment after the first.
  for (const uses of vlans.values()) {
    yield;
    uses.slice(1).forEach(u =>
      report.add(u.doc, 'externalattachment.vlan-reused', u.path, `connection ${str(u.doc.spec.connection)} already has an ExternalAttachment with ${u.what}: ${where(uses[0].doc)}`),
    );
  }
}
