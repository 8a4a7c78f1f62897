import {
  ManagedDocument,
  classifyDocument,
} from '@fabric-gitops/plugin-hedgehog-common';
import { isScalar, parseAllDocuments, stringify } from 'yaml';
import { documentLabel, errorLine } from '@fabric-gitops/plugin-hedgehog-common';

/** A resource that passed the structural rules (ingestion's managed document). */
export interface CheckedResource extends Omit<ManagedDocument, 'type'> {
  /** 0-based document index in the YAML text. */
  document: number;
}

/** Why a document is not an acceptable resource. */
export interface ResourceProblem {
  /** 0-based document index in the YAML text. */
  document: number;
  /** JSON path inside the document ('' for the whole document). */
  path: string;
  message: string;
}

/**
 * The structural rules every resource written by the actions must pass: those
 * that decide at ingestion whether a document becomes a managed resource
 * (`classifyDocument` of -common). Pure.
 */
export function checkResource(
  value: unknown,
  document = 0,
): { resource: CheckedResource } | { problem: ResourceProblem } {
  const result = classifyDocument(value);
  switch (result.type) {
    case 'managed':
      return {
        resource: {
          document,
          kind: result.kind,
          name: result.name,
          object: result.object,
        },
      };
    case 'empty':
      return { problem: { document, path: '', message: 'the document is empty' } };
    default:
      return {
        problem: { document, path: result.path, message: result.message },
      };
  }
}

/**
 * Reads YAML text (one or more documents) and checks every document. Empty
 * documents are skipped; the same kind/name twice is a problem too.
 */
export function checkResourcesYaml(text: string): {
  resources: CheckedResource[];
  problems: ResourceProblem[];
} {
  const resources: CheckedResource[] = [];
  const problems: ResourceProblem[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, {
      schema: 'core',
      merge: true,
      uniqueKeys: true,
      strict: true,
    });
  } catch (e) {
    problems.push({
      document: 0,
      path: '',
      message: `YAML could not be parsed: ${errorLine(e)}`,
    });
    return { resources, problems };
  }
  const list = Array.isArray(docs) ? docs : [];
  const seen = new Map<string, number>();
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      problems.push({
        document: index,
        path: '',
        message: `YAML error: ${errorLine(doc.errors[0])}`,
      });
      return;
    }
    const c = doc.contents;
    if (
      c === null ||
      (isScalar(c) &&
        c.value === null &&
        !c.tag &&
        c.range?.[0] === c.range?.[1])
    ) {
      return; // an empty document (`---` alone, or only comments)
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      problems.push({
        document: index,
        path: '',
        message: `the document could not be read: ${errorLine(e)}`,
      });
      return;
    }
    const result = checkResource(value, index);
    if ('problem' in result) {
      problems.push(result.problem);
      return;
    }
    const key = `${result.resource.kind.kind}/${result.resource.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        document: index,
        path: 'metadata.name',
        message: `${result.resource.kind.kind} ${result.resource.name} is also defined in ${documentLabel(first)}`,
      });
      return;
    }
    seen.set(key, index);
    resources.push(result.resource);
  });
  return { resources, problems };
}

/** One line per problem, for an error message. */
export function describeProblems(
  problems: ResourceProblem[],
  multiDocument: boolean,
): string {
  return problems
    .map(p => {
      const where = [multiDocument ? documentLabel(p.document) : '', p.path]
        .filter(Boolean)
        .join(', ');
      return where ? `${where}: ${p.message}` : p.message;
    })
    .join('; ');
}

/** Canonical YAML of an object (stable, no line wrapping). */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}
