import { apiVersionOf, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { isCommunity, isIPAddress, parseCIDR, parseIPv4, parseMAC } from './ipam';
import { Doc, Path, Report, formatPath, isPlainObject } from './model';
import { documentSchema } from './schemas/kinds';
import { suggest } from './schemas/suggest';
import { Format, Schema } from './schemas/types';

/**
 * Layer 1: the schema of each kind (fields and types of the Hedgehog API v1beta1,
 * githedgehog/fabric `api/`), strict like hhfab: unknown fields are errors. The
 * tables are in schemas/; this module checks a document against them.
 */

/** Checks a document against its kind's schema and reports every mismatch. */
export function checkSchema(doc: Doc, report: Report) {
  const kind = findKind(doc.kind)!;
  if (doc.object.apiVersion !== apiVersionOf(kind)) {
    report.add(
      doc,
      'schema.api-version',
      ['apiVersion'],
      `${kind.kind} must use apiVersion ${apiVersionOf(kind)}, not ${JSON.stringify(doc.object.apiVersion ?? null)}`,
    );
  }
  // A missing spec is checked as an empty one, so its required fields are reported.
  const value = doc.object.spec === undefined || doc.object.spec === null ? { ...doc.object, spec: {} } : doc.object;
  walk(documentSchema(kind.kind), value, [], doc, report);
}

function walk(schema: Schema, value: unknown, path: Path, doc: Doc, report: Report) {
  if (value === undefined || value === null || schema.t === 'any') return;
  const where = formatPath(path);
  const typeError = (expected: string) =>
    report.add(doc, 'schema.type', path, `${where} must be ${expected}, not ${describe(value)}`);
  switch (schema.t) {
    case 'string':
      if (typeof value !== 'string') {
        typeError('a string');
        return;
      }
      if (schema.enum && !schema.enum.includes(value)) {
        report.add(
          doc,
          'schema.enum',
          path,
          `${where} is ${JSON.stringify(value)}; allowed: ${schema.enum.map(e => JSON.stringify(e)).join(', ')}`,
        );
      }
      if (schema.format && value !== '') checkFormat(schema.format, value, path, doc, report);
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        typeError('an integer');
        return;
      }
      if ((value < schema.min || value > schema.max) && !(schema.zeroMeansDefault && value === 0)) {
        report.add(doc, 'schema.range', path, `${where} is ${value}; allowed: ${schema.min}-${schema.max}`);
      }
      return;
    case 'bool':
      if (typeof value !== 'boolean') typeError('true or false');
      return;
    case 'list':
      if (!Array.isArray(value)) {
        typeError('a list');
        return;
      }
      checkCount(value.length, schema.min, schema.max, 'entries', path, doc, report);
      value.forEach((item, i) => walk(schema.items, item, [...path, i], doc, report));
      return;
    case 'map':
      if (!isPlainObject(value)) {
        typeError('a mapping');
        return;
      }
      checkCount(Object.keys(value).length, schema.min, schema.max, 'entries', path, doc, report);
      for (const [k, v] of Object.entries(value)) {
        if (schema.keys) checkFormat(schema.keys, k, [...path, k], doc, report, 'key');
        walk(schema.values, v, [...path, k], doc, report);
      }
      return;
    case 'object': {
      if (!isPlainObject(value)) {
        typeError('a mapping');
        return;
      }
      for (const field of schema.required ?? []) {
        const v = value[field];
        if (v === undefined || v === null || v === '') {
          report.add(doc, 'schema.required', [...path, field], `${formatPath([...path, field])} is required`);
        }
      }
      const known = Object.keys(schema.fields);
      for (const [k, v] of Object.entries(value)) {
        const field = Object.prototype.hasOwnProperty.call(schema.fields, k) ? schema.fields[k] : undefined;
        if (!field) {
          const hint = suggest(k, known);
          report.add(
            doc,
            'schema.unknown-field',
            [...path, k],
            `unknown field ${formatPath([...path, k])}${hint ? ` (did you mean ${hint}?)` : ''}; ${
              known.length > 0 ? `${where || 'the document'} has: ${known.join(', ')}` : `${where} must be empty`
            }`,
          );
          continue;
        }
        walk(field, v, [...path, k], doc, report);
      }
      return;
    }
    default:
  }
}

function checkCount(n: number, min: number | undefined, max: number | undefined, what: string, path: Path, doc: Doc, report: Report) {
  const where = formatPath(path);
  if (min !== undefined && n < min) {
    report.add(doc, 'schema.items', path, `${where} has ${n} ${what}; at least ${min} required`);
  } else if (max !== undefined && n > max) {
    report.add(doc, 'schema.items', path, `${where} has ${n} ${what}; at most ${max} allowed`);
  }
}

function checkFormat(format: Format, value: string, path: Path, doc: Doc, report: Report, what = 'value') {
  const where = what === 'key' ? `key ${JSON.stringify(value)} of ${formatPath(path.slice(0, -1))}` : formatPath(path);
  const shown = JSON.stringify(value);
  switch (format) {
    case 'cidr':
      if (!parseCIDR(value)) report.add(doc, 'schema.cidr', path, `${where} is ${shown}, not an IPv4 CIDR (e.g. 10.0.0.0/24)`);
      return;
    case 'cidr-or-any':
      if (value !== 'any' && !parseCIDR(value)) {
        report.add(doc, 'schema.cidr', path, `${where} is ${shown}, not an IPv4 CIDR or "any"`);
      }
      return;
    case 'ipv4':
      if (parseIPv4(value) === undefined) report.add(doc, 'schema.ip', path, `${where} is ${shown}, not an IPv4 address`);
      return;
    case 'ip':
      if (!isIPAddress(value)) report.add(doc, 'schema.ip', path, `${where} is ${shown}, not an IP address`);
      return;
    case 'mac':
      if (!parseMAC(value)) report.add(doc, 'schema.mac', path, `${where} is ${shown}, not a MAC address`);
      return;
    case 'community':
      if (!isCommunity(value)) {
        report.add(doc, 'schema.community', path, `${where} is ${shown}, not a community ASN:value (each 0-65535, e.g. 50000:50001)`);
      }
      return;
    case 'port': {
      const slash = value.indexOf('/');
      if (slash <= 0 || slash === value.length - 1) {
        report.add(doc, 'schema.port-name', path, `${where} is ${shown}, not a port name <device>/<port> (e.g. leaf-01/E1/3)`);
      }
      return;
    }
    default:
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  return typeof value;
}
