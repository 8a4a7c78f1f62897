import { Composer, Document, Parser, isScalar, parseAllDocuments } from 'yaml';
import type { ManagedDocument } from '@fabric-gitops/plugin-hedgehog-common';
import type { SourceRef } from './normalize';
import { DocumentComments, readComments } from './comments';
import { documentLabel, errorLine } from '@fabric-gitops/plugin-hedgehog-common';

/** Limits applied when reading a file. */
export interface ParseLimits {
  /** Files larger than this are not parsed (they are kept in unmanaged/). */
  maxFileBytes: number;
  /** Maximum number of alias expansions per document (defends against alias bombs). */
  maxAliasCount: number;
  /** Maximum number of documents per file. */
  maxDocuments: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxFileBytes: 10 * 1024 * 1024,
  maxAliasCount: 100,
  maxDocuments: 50_000,
};

/** One YAML document of a file. */
export interface ParsedDocument {
  /** 0-based position in the file, counting every document (empty ones too). */
  index: number;
  /** The document as plain data; undefined when it could not be read. */
  value?: unknown;
  /** Why the document could not be read. */
  error?: string;
  /** The document holds nothing (only comments, or an empty `---`). */
  empty: boolean;
  /**
   * The document's own text, `[start, end)` in the file's `text`: with its `---`,
   * directives and the comments before and after it. The ranges of a file's
   * documents follow one another and together cover the whole text.
   */
  range: [number, number];
  /** The comments of the document (of a readable one; of an empty one, in `tail`). */
  comments?: DocumentComments;
}

/** A managed file's one resource, classified and in canonical form (see ParsedFile.managed). */
export interface ManagedFileMemo {
  doc: ManagedDocument;
  canonical: Record<string, unknown>;
  source?: SourceRef;
  /** `kind/name` */
  key: string;
  /** The resource's canonical path, managed/<plural>/<name>.yaml. */
  target: string;
}

/** The outcome of reading a file's bytes as YAML. */
export type ParsedFile =
  | {
      ok: true;
      documents: ParsedDocument[];
      /** The file's text (without a byte order mark). */
      text: string;
      /** The file started with a UTF-8 byte order mark. */
      bom?: true;
      /**
       * Memo of the planner: the file holds exactly its one resource's canonical
       * form, however it is formatted (a function of the bytes, so it holds wherever
       * the blob is).
       */
      canonical?: boolean;
      /**
       * Memo of the planner: this file read as a managed file, when it holds exactly
       * one managed resource (a function of the bytes, wherever the blob is).
       */
      managed?: ManagedFileMemo;
    }
  | {
      ok: false;
      reason: string;
      /** The file is over `maxFileBytes`: its bytes were not read. */
      tooLarge?: true;
    };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a file's bytes as multi-document YAML (YAML 1.2 core schema, unique keys).
 * Never throws: a file that cannot be read at all yields `ok: false` and a reason;
 * a document that cannot be read carries its own error.
 */
export function parseYamlFile(
  bytes: Uint8Array,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): ParsedFile {
  if (bytes.length > limits.maxFileBytes) return tooLargeToParse(bytes.length, limits);
  if (bytes.includes(0)) {
    return { ok: false, reason: 'binary content (the file contains NUL bytes)' };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'the file is not valid UTF-8 text' };
  }
  // (the decoder drops a UTF-8 byte order mark)
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  try {
    // Document by document: only one document's syntax tree is alive at a time.
    const parsed = readDocuments(text, limits, false) ?? readDocuments(text, limits, true)!;
    return bom && parsed.ok ? { ...parsed, bom: true } : parsed;
  } catch (e) {
    return { ok: false, reason: `YAML could not be parsed: ${errorLine(e)}` };
  }
}

/** What a file over the size limit reads as; its bytes are never looked at (the size is read from Git first). */
export function tooLargeToParse(size: number, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedFile {
  return { ok: false, tooLarge: true, reason: `file is ${size} bytes; files over ${limits.maxFileBytes} bytes are not parsed` };
}

const YAML_OPTIONS = {
  schema: 'core',
  // Merge keys (`<<: *base`) as Kubernetes' YAML reader (go-yaml) applies them;
  // without this a `<<` key would end up verbatim in the resource.
  merge: true,
  uniqueKeys: true,
  strict: true,
} as const;

/**
 * Reads the documents of a file as they are composed, converting each to plain
 * data before the next is parsed. Error messages name a line and column, which
 * the parser adds only once the whole file is parsed (`parseAllDocuments` with
 * `prettyErrors`): the first document with errors makes this return null when
 * not `withPositions`, and the file is read again that way (errors are rare, a
 * file of thousands of documents is not).
 */
function readDocuments(text: string, limits: ParseLimits, withPositions: boolean): ParsedFile | null {
  const docs: Iterable<Document.Parsed> = withPositions
    ? parseAllDocuments(text, { ...YAML_OPTIONS, prettyErrors: true })
    : new Composer(YAML_OPTIONS).compose(new Parser().parse(text));
  const documents: ParsedDocument[] = [];
  let count = 0;
  // A document is read once the next one starts: its text ends there (where its
  // last node, comment or `...` ends), the last one's at the end of the text.
  let pending: { doc: Document.Parsed; index: number; start: number } | undefined;
  const flush = (end: number) => {
    if (pending) documents.push(readDocument(pending.doc, pending.index, limits, text, pending.start, end));
  };
  for (const doc of docs) {
    const index = count++;
    // Past the limit the documents are only counted, for the reason.
    if (count > limits.maxDocuments) continue;
    if (doc.errors.length > 0 && !withPositions) return null;
    const start = pending ? Math.max(pending.start, pending.doc.range?.[2] ?? pending.start) : 0;
    flush(start);
    pending = { doc, index, start };
  }
  flush(text.length);
  if (count > limits.maxDocuments) {
    return {
      ok: false,
      reason: `the file has ${count} documents; at most ${limits.maxDocuments} are parsed`,
    };
  }
  return { ok: true, documents, text };
}

function readDocument(
  doc: Document.Parsed,
  index: number,
  limits: ParseLimits,
  text: string,
  start: number,
  end: number,
): ParsedDocument {
  const range: [number, number] = [start, end];
  if (doc.errors.length > 0) {
    return {
      index,
      empty: false,
      range,
      error: `YAML error in ${documentLabel(index)}: ${errorLine(doc.errors[0])}`,
    };
  }
  const empty = isEmptyDocument(doc);
  let value: unknown = null;
  try {
    if (!empty) value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (e) {
    return {
      index,
      empty: false,
      range,
      error: `${documentLabel(index)} could not be read: ${errorLine(e)}`,
    };
  }
  const read: ParsedDocument = { index, empty, value, range };
  const comments = readComments(empty ? undefined : doc, text.slice(start, end));
  if (comments) read.comments = comments;
  return read;
}

/**
 * Whether a document holds nothing. The parser represents an empty `---` (or a
 * document of only comments after one, or a trailing `---`) as a plain null
 * scalar without any source text; an explicit `~` or `null` is not empty.
 */
function isEmptyDocument(doc: Document.Parsed): boolean {
  const c = doc.contents;
  if (c === null) return true;
  return (
    isScalar(c) &&
    c.value === null &&
    !c.tag &&
    !c.anchor &&
    Array.isArray(c.range) &&
    c.range[0] === c.range[1]
  );
}
