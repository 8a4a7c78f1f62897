import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricMemo } from './fabricRules';
import { Report } from './model';
import {
  DocumentLayers,
  FabricDocument,
  ValidateFabricOptions,
  ValidationResult,
  runDocumentLayers,
  validateFabric,
  validateFabricSliced,
} from './validateFabric';

interface Entry {
  file: string;
  document: number;
  /** The options the per-document layers read (config, switch profiles), as JSON. */
  optionsKey: string;
  findings: Finding[];
}

/**
 * Remembers the findings of the per-document layers (schema and per-kind rules)
 * of each document object, so that a re-validation of a fabric in which few
 * documents changed runs those layers only for the changed ones. The fabric-wide
 * layer (references, uniqueness, overlaps) always runs over the whole fabric,
 * with what it derives from one spec alone (connection models, subnets,
 * namespaces) kept too for the documents that outlive a run.
 *
 * Keyed by the object itself (weakly: an entry lives as long as its object, e.g.
 * in the parse cache). Parsed documents are never mutated after parsing, so an
 * object is its content; a hit must also be at the same file and document, and
 * validated with the same config and switch profiles.
 */
export class ValidationCache {
  private entries = new WeakMap<object, Entry>();
  /** What the fabric-wide layer derives from one spec alone (connection models, subnets, namespaces). */
  private memo: FabricMemo = { derived: new Map() };

  /** validateFabric with the per-document layers cached; always the same result as validateFabric. */
  validate(documents: FabricDocument[], options: ValidateFabricOptions = {}): ValidationResult {
    const { layers, memo } = this.run(options);
    return validateFabric(documents, options, layers, memo);
  }

  /** validate in slices between which the event loop turns (validateFabricSliced); the same result. */
  validateSliced(documents: FabricDocument[], options: ValidateFabricOptions = {}): Promise<ValidationResult> {
    const { layers, memo } = this.run(options);
    return validateFabricSliced(documents, options, layers, memo);
  }

  /** The cached per-document layers and the fabric-wide memo of one validation. */
  private run(options: ValidateFabricOptions): { layers: DocumentLayers; memo: FabricMemo } {
    const optionsKey = documentOptionsKey(options);
    // Specs of objects validated before (they live on, e.g. in the parse cache).
    const lasting = new Set<object>();
    const layers: DocumentLayers = (doc, ctx) => {
      const hit = this.entries.get(doc.object);
      if (hit) lasting.add(doc.spec);
      if (hit && hit.file === doc.file && hit.document === doc.document && hit.optionsKey === optionsKey) {
        ctx.report.addFindings(hit.findings);
        return;
      }
      const own = new Report();
      runDocumentLayers(doc, { ...ctx, report: own });
      const findings = own.findings;
      this.entries.set(doc.object, { file: doc.file, document: doc.document, optionsKey, findings });
      ctx.report.addFindings(findings);
    };
    return { layers, memo: { ...this.memo, keep: spec => lasting.has(spec) } };
  }

  clear() {
    this.entries = new WeakMap();
    this.memo = { derived: new Map() };
  }
}

/** Everything of the options but the other objects (context, live) and `offline`, which only the fabric-wide layer reads. */
function documentOptionsKey(options: ValidateFabricOptions): string {
  const { context: _context, live: _live, offline: _offline, ...rest } = options;
  return JSON.stringify(rest);
}

/** The process-wide cache the sync pipeline validates with. */
const shared = new ValidationCache();

/** validateFabric, with the per-document layers cached process-wide (see ValidationCache). */
export function validateFabricCached(documents: FabricDocument[], options: ValidateFabricOptions = {}): ValidationResult {
  return shared.validate(documents, options);
}

/** validateFabricCached in slices between which the event loop turns: what the backend's thread uses. */
export function validateFabricCachedSliced(documents: FabricDocument[], options: ValidateFabricOptions = {}): Promise<ValidationResult> {
  return shared.validateSliced(documents, options);
}
