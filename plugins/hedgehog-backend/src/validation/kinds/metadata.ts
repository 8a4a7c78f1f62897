import { findKind, nameNotAString } from '@fabric-gitops/plugin-hedgehog-common';
import { Doc, obj } from '../model';
import { KindContext } from './context';

const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Name and namespace rules common to all kinds (docs/hedgehog.md#names, docs/hedgehog.md#namespace). */
export function checkMetadata(doc: Doc, { report }: KindContext) {
  const kind = findKind(doc.kind)!;
  const metadata = obj(doc.object.metadata) ?? {};
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    report.add(doc, 'metadata.name', ['metadata', 'name'], `${kind.kind}: ${nameNotAString(name)}`);
  } else {
    if (name.length > kind.maxNameLength) {
      report.add(
        doc,
        'metadata.name-length',
        ['metadata', 'name'],
        `${kind.kind} name "${shorten(name)}" is ${name.length} characters long; at most ${kind.maxNameLength} are allowed`,
      );
    }
    if (!RFC1123_SUBDOMAIN.test(name)) {
      report.add(
        doc,
        'metadata.name',
        ['metadata', 'name'],
        `${kind.kind} name "${shorten(name)}" is not a lower-case RFC 1123 name (letters, digits, '-' and '.', starting and ending with a letter or digit)`,
      );
    }
  }
  const namespace = metadata.namespace;
  if (namespace !== undefined && namespace !== null && namespace !== '' && namespace !== 'default') {
    report.add(
      doc,
      'metadata.namespace',
      ['metadata', 'namespace'],
      `${kind.kind} ${doc.name}: namespace ${JSON.stringify(namespace)} is not supported; Hedgehog resources live in namespace "default"`,
    );
  }
}

function shorten(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
