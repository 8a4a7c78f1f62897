import { UnmanagedFile } from '@fabric-gitops/plugin-hedgehog-common';
import { parse, stringify } from 'yaml';
import { UnmanagedReason } from './planTypes';

/*
 * The `.reason.yaml` kept beside every file of unmanaged/: where the file came
 * from and why it is not managed. Written by the ingestion, read by the import.
 */

/**
 * The text of a reason file. `keptDocuments`: the kept file holds only these
 * documents of the source (0-based, in order), each as its original text; the
 * source's other documents were ingested or stay in raw/ (see `documents`).
 */
export function renderReasonFile(source: string, reasons: UnmanagedReason[], documents?: unknown, keptDocuments?: number[]): string {
  return stringify(
    {
      source,
      ...(keptDocuments ? { keptDocuments } : {}),
      // `index`: the document's 0-based index, as in `documents` (messages number documents from 1)
      reasons: reasons.map(r => ({ ...(r.document !== undefined ? { index: r.document } : {}), rule: r.rule, message: r.message })),
      ...(documents ? { documents } : {}),
    },
    { lineWidth: 0 },
  );
}

/** The unmanaged file at `path` as its reason file describes it; a file that cannot be read says so. */
export function readReasonFile(path: string, text: string): UnmanagedFile {
  try {
    const doc = parse(text) as any;
    const reasons = Array.isArray(doc?.reasons)
      ? doc.reasons.map((r: any) => ({
          // `document` in files written before the key was `index` (the same 0-based index)
          ...(typeof (r.index ?? r.document) === 'number' ? { document: r.index ?? r.document } : {}),
          ...(typeof r.rule === 'string' && r.rule !== '' ? { rule: r.rule } : {}),
          message: String(r.message ?? ''),
        }))
      : [];
    return { path, originalPath: typeof doc?.source === 'string' ? doc.source : path, reasons };
  } catch {
    return { path, originalPath: path, reasons: [{ message: 'the reason file could not be read' }] };
  }
}
