import { classifyDocument, Finding, outOfScopeMessage, withBlocksApply } from '@fabric-gitops/plugin-hedgehog-common';
import { parseYamlFile } from '../gitops/parse';
import { FabricDocument, ValidateFabricOptions, validateFabric } from './validateFabric';

/** A file handed in for validation (`POST /validate`). */
export interface FileToValidate {
  path: string;
  content: string;
}

/** The documents of files to validate, and the findings of those that cannot be. */
export interface ReadFiles {
  documents: FabricDocument[];
  findings: Finding[];
}

/** The answer of `POST /validate`. */
export interface ValidateFilesResult {
  /** No finding is an error. */
  valid: boolean;
  /** Each with `blocksApply`. */
  findings: Finding[];
}

/** Classifier rules of documents that are not one of the managed kinds at all. */
const NOT_MANAGED = new Set(['not-an-object', 'missing-kind', 'not-hedgehog', 'unknown-kind']);

/**
 * Parses files to validate: every document of a managed kind (also one the
 * classifier rejects — validation locates every problem of it); unreadable
 * files and YAML errors are errors, documents of other kinds warnings.
 */
export function readFilesToValidate(files: FileToValidate[]): ReadFiles {
  const documents: FabricDocument[] = [];
  const findings: Finding[] = [];
  for (const file of files) {
    const parsed = parseYamlFile(Buffer.from(file.content, 'utf8'));
    if (!parsed.ok) {
      findings.push({ severity: 'error', rule: 'document.unreadable', file: file.path, path: '', message: parsed.reason });
      continue;
    }
    for (const d of parsed.documents) {
      if (d.empty) continue;
      if (d.error !== undefined) {
        findings.push({ severity: 'error', rule: 'document.yaml', file: file.path, document: d.index, path: '', message: d.error });
        continue;
      }
      const cls = classifyDocument(d.value);
      if (cls.type === 'empty') continue;
      if (cls.type === 'unmanaged' && NOT_MANAGED.has(cls.rule)) {
        findings.push({ severity: 'warning', rule: 'document.unmanaged', file: file.path, document: d.index, path: cls.path, message: `${cls.message}; it is not validated` });
        continue;
      }
      documents.push({ file: file.path, document: d.index, object: d.value });
    }
  }
  return { documents, findings };
}

/**
 * The documents read from files, in a fabric's scope (`kinds`, the kinds it
 * manages): a document of another kind is not validated; it is reported as the
 * sync's ingestion reports it (kept in unmanaged/: "kind X is not managed by this
 * fabric"), and references to its kind resolve against the fabric's cluster, as
 * in the sync. Pure.
 */
export function inScope(read: ReadFiles, kinds: readonly string[] | undefined): ReadFiles {
  if (!kinds) return read;
  const managed = new Set(kinds);
  const documents: FabricDocument[] = [];
  const findings = [...read.findings];
  for (const d of read.documents) {
    const kind = (d.object as { kind?: unknown })?.kind;
    if (typeof kind === 'string' && !managed.has(kind)) {
      findings.push({ severity: 'warning', rule: 'unmanaged.out-of-scope', file: d.file, document: d.document, path: 'kind', message: `${outOfScopeMessage(kind)}; it is not validated` });
    } else {
      documents.push(d);
    }
  }
  return { documents, findings };
}

/**
 * Validates the documents read from files (with the fabric's context, when
 * given) and orders every finding by file, as given, and document.
 */
export function validateFiles(files: FileToValidate[], read: ReadFiles, options: ValidateFabricOptions = {}): ValidateFilesResult {
  const result = validateFabric(read.documents, options);
  const fileOrder = new Map(files.map((f, i) => [f.path, i]));
  const all = [...read.findings, ...result.findings]
    .sort((a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || (a.document ?? -1) - (b.document ?? -1))
    .map(withBlocksApply);
  return { valid: !all.some(f => f.severity === 'error'), findings: all };
}
