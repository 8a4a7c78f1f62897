import { Finding, describeNonObject, findKind, isHedgehogApiVersion, managedPath } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricConfigInput, resolveFabricConfig } from './fabricConfig';
import { FabricMemo, checkFabric } from './fabricRules';
import { KindContext, checkKind } from './kinds';
import { Doc, Report, isPlainObject, obj, resourceKey } from './model';
import { checkSchema } from './schema';
import { switchProfileModels } from './switchProfiles';
import { builtInSwitchProfiles } from './builtInProfiles';
import { Steps, runSteps, runStepsSliced } from './steps';

/** A parsed YAML document of the fabric, with where it is. */
export interface FabricDocument {
  /** The file (path in the fabric directory, or as given to the API). */
  file: string;
  /** 0-based index of the document in the file. */
  document: number;
  /** The parsed document. */
  object: unknown;
}

export interface ValidateFabricOptions {
  /**
   * Other resources of the fabric (e.g. its desired state in the database) that the
   * documents are validated with: references resolve to them and they take part in
   * the fabric-wide rules, but nothing is reported about them. A document defining
   * the same kind/name replaces the context object.
   */
  context?: Array<Record<string, unknown>>;
  /**
   * The cluster's live objects. References to kinds of which the fabric holds no
   * documents resolve against them (an error when not found); without them such
   * references are warnings.
   */
  live?: Array<Record<string, unknown>>;
  /**
   * The fabric's FabricConfig. Checks against values not given here use hhfab's
   * defaults and report warnings instead of errors.
   */
  config?: FabricConfigInput;
  /**
   * The cluster's SwitchProfile objects. When given (at least one), Switch profiles,
   * port settings, features and Connection switch ports are checked against them;
   * without them, against the profiles built into Hedgehog that exist under the
   * config's flags (validation/builtInProfiles).
   */
  switchProfiles?: Array<Record<string, unknown>>;
  /**
   * Why the fabric's cluster could not be read, when it has one and it could not be
   * (validation runs offline): a reference validation could not check says so.
   */
  offline?: string;
}

/**
 * Layers 1 and 2 for one document (schema, per-kind rules): they read only the
 * document and the context's config and profiles. ValidationCache passes a cached one.
 */
export type DocumentLayers = (doc: Doc, ctx: KindContext) => void;

export const runDocumentLayers: DocumentLayers = (doc, ctx) => {
  checkSchema(doc, ctx.report);
  checkKind(doc, ctx);
};

export interface ValidationResult {
  /** No finding is an error. */
  valid: boolean;
  /** Every finding, in the order of the documents (and within one document, of the layers). */
  findings: Finding[];
}

/**
 * Validates a fabric's documents: schema, per-kind rules, fabric-wide rules and
 * references (docs/hedgehog.md#validation-rules). Pure, never throws, never stops at
 * the first problem: every finding is located to file, document and JSON path.
 */
export function validateFabric(
  documents: FabricDocument[],
  options: ValidateFabricOptions = {},
  documentLayers: DocumentLayers = runDocumentLayers,
  memo?: FabricMemo,
): ValidationResult {
  return runSteps(validateFabricSteps(documents, options, documentLayers, memo));
}

/**
 * validateFabric in slices of a few milliseconds, between which the event loop
 * turns (steps.ts): for the backend's thread, where a large fabric would
 * otherwise hold every other request for its whole validation. Same result.
 */
export function validateFabricSliced(
  documents: FabricDocument[],
  options: ValidateFabricOptions = {},
  documentLayers: DocumentLayers = runDocumentLayers,
  memo?: FabricMemo,
): Promise<ValidationResult> {
  return runStepsSliced(validateFabricSteps(documents, options, documentLayers, memo));
}

/** The work of validateFabric, yielding between documents (steps.ts). */
export function* validateFabricSteps(
  documents: FabricDocument[],
  options: ValidateFabricOptions = {},
  documentLayers: DocumentLayers = runDocumentLayers,
  memo?: FabricMemo,
): Steps<ValidationResult> {
  const config = resolveFabricConfig(options.config);
  const report = new Report();
  const docs: Doc[] = [];

  for (let i = 0; i < documents.length; i++) {
    yield;
    const d = documents[i];
    const doc: Doc = {
      file: d.file,
      document: d.document,
      object: isPlainObject(d.object) ? d.object : {},
      kind: '',
      name: '',
      spec: {},
      context: false,
      order: i,
    };
    const o = d.object;
    if (!isPlainObject(o)) {
      const what = describeNonObject(o);
      report.add(doc, 'document.unmanaged', [], `the document is ${what}, not a Kubernetes object; it is not validated`);
      continue;
    }
    const kind = typeof o.kind === 'string' ? findKind(o.kind) : undefined;
    const apiVersion = o.apiVersion;
    if (!kind || (typeof apiVersion === 'string' && !isHedgehogApiVersion(apiVersion))) {
      report.add(
        doc,
        'document.unmanaged',
        typeof o.kind === 'string' ? ['kind'] : [],
        `${typeof o.kind === 'string' ? o.kind : 'a document without kind'}${typeof apiVersion === 'string' ? ` (${apiVersion})` : ''} is not one of the managed Hedgehog kinds; it is not validated`,
      );
      continue;
    }
    const name = obj(o.metadata)?.name;
    docs.push({ ...doc, kind: kind.kind, name: typeof name === 'string' ? name : '', spec: obj(o.spec) ?? {} });
  }

  // Context objects come first, so that what the documents add is "the later one".
  const context: Doc[] = [];
  const defined = options.context?.length ? new Set(docs.filter(d => d.name).map(d => resourceKey(d.kind, d.name))) : new Set();
  for (const o of options.context ?? []) {
    yield;
    const kind = isPlainObject(o) && typeof o.kind === 'string' ? findKind(o.kind) : undefined;
    if (!kind) continue;
    const name = obj(o.metadata)?.name;
    if (typeof name !== 'string' || defined.has(resourceKey(kind.kind, name))) continue;
    // a message naming it names its managed file
    const file = managedPath(kind, name);
    context.push({ file, document: 0, object: o, kind: kind.kind, name, spec: obj(o.spec) ?? {}, context: true, order: -1 });
  }

  const profiles = options.switchProfiles?.length ? switchProfileModels(options.switchProfiles) : builtInSwitchProfiles(config);
  const ctx = { report, config, profiles };
  for (const doc of docs) {
    yield;
    documentLayers(doc, ctx);
  }
  yield* checkFabric([...context, ...docs], options.live, report, profiles, memo, options.offline, config);
  yield;

  const findings = inInputOrder(documents, report.findings);
  return { valid: !findings.some(f => f.severity === 'error'), findings };
}

/** Findings in the order of their documents in the input (stable within one document). */
function inInputOrder(documents: FabricDocument[], findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings.slice();
  const order = new Map<string, number>();
  documents.forEach((d, i) => order.set(`${d.file}\u0000${d.document}`, i));
  const at = (f: Finding) => order.get(`${f.file}\u0000${f.document}`) ?? Number.MAX_SAFE_INTEGER;
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => at(a.f) - at(b.f) || a.i - b.i)
    .map(x => x.f);
}
