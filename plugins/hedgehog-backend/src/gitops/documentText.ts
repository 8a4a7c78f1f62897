import { DocumentComments, mergeComments } from './comments';
import { ParsedDocument, ParsedFile } from './parse';

/*
 * The text of single documents of a raw file, so that a file's documents can go
 * different ways (managed/, unmanaged/, staying in raw/) and every byte of the
 * file still ends up somewhere: the spans of a file's non-empty documents follow
 * one another and cover the whole file, an empty document (only `---` or
 * comments) belonging to the next non-empty one (the last ones to the last).
 */

/** A non-empty document's part of the file. */
export interface DocumentSpan {
  start: number;
  end: number;
  /** Its comments and those of the empty documents in its span (for its managed file). */
  comments?: DocumentComments;
}

/** The spans of a parsed file's non-empty documents, by document index. */
export function documentSpans(parsed: ParsedFile & { ok: true }): Map<number, DocumentSpan> {
  const groups: Array<{ doc: ParsedDocument; before: ParsedDocument[] }> = [];
  let empties: ParsedDocument[] = [];
  for (const d of parsed.documents) {
    if (d.empty) {
      empties.push(d);
    } else {
      groups.push({ doc: d, before: empties });
      empties = [];
    }
  }
  // (`empties` now holds the empty documents after the last non-empty one)
  const spans = new Map<number, DocumentSpan>();
  let start = 0;
  groups.forEach(({ doc, before }, k) => {
    const last = k === groups.length - 1;
    const end = last ? parsed.text.length : doc.range[1];
    const comments = mergeComments(
      before.map(e => e.comments),
      doc.comments,
      last ? empties.map(e => e.comments) : [],
    );
    spans.set(doc.index, { start, end, ...(comments ? { comments } : {}) });
    start = end;
  });
  return spans;
}

/** A document start marker before the first node (after comments and directives). */
const STARTS_DOCUMENT = /^(?:[ \t]*(?:#[^\n]*)?\r?\n|%[^\n]*\n)*---(?:[ \t\r\n]|$)/;
/** Directives (`%YAML`, `%TAG`) before the first node. */
const HAS_DIRECTIVES = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*%/;
/** Ends with a document end marker `...`. */
const ENDS_DOCUMENT = /(?:^|\n)\.\.\.[ \t]*(?:#[^\n]*)?\r?\n?$/;

/**
 * The text of some of a file's documents, in file order, byte for byte. Where a
 * document no longer follows the one it followed in the file and has no `---` of
 * its own (it came after a `...`), a `---` line is put before it, so each stays a
 * document of its own (and a `...` line before directives).
 */
export function documentsText(parsed: ParsedFile & { ok: true }, spans: Map<number, DocumentSpan>, indexes: number[]): string {
  const parts: string[] = [];
  let prevEnd: number | undefined;
  for (const i of [...indexes].sort((a, b) => a - b)) {
    const span = spans.get(i);
    if (!span) continue;
    const chunk = parsed.text.slice(span.start, span.end);
    if (span.start === 0 && parsed.bom) parts.push('\ufeff');
    if (prevEnd !== undefined && prevEnd !== span.start) {
      const before = parts[parts.length - 1] ?? '';
      const newline = before.endsWith('\n') ? '' : '\n';
      if (HAS_DIRECTIVES.test(chunk) && !ENDS_DOCUMENT.test(before)) parts.push(`${newline}...\n`);
      else if (!STARTS_DOCUMENT.test(chunk)) parts.push(`${newline}---\n`);
    }
    parts.push(chunk);
    prevEnd = span.end;
  }
  return parts.join('');
}
