import { ListedFinding } from '@fabric-gitops/plugin-hedgehog-common';

/* The text of a findings export: CSV (documents numbered from 1, as people count) or JSON (0-based, as the API). */

/** The CSV columns, in order. */
export const CSV_COLUMNS = ['file', 'document', 'path', 'rule', 'severity', 'message', 'new', 'resource', 'left_out', 'blocks_apply'] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A
 * field a spreadsheet would run as a formula (=, +, -, @, tab, carriage return
 * first) gets a leading apostrophe.
 */
export function csvField(value: string | number | boolean | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV line of a finding (ending with CRLF). */
export function csvLine(f: ListedFinding): string {
  return `${[
    f.file,
    f.document === undefined ? undefined : f.document + 1,
    f.path,
    f.rule,
    f.severity,
    f.message,
    f.new,
    f.resource ? `${f.resource.kind}/${f.resource.name}` : undefined,
    f.leftOut ?? 0,
    f.blocksApply,
  ]
    .map(csvField)
    .join(',')}\r\n`;
}

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/** The JSON of a finding in an export, as the API lists it (document: the 0-based index). */
export function jsonItem(f: ListedFinding): string {
  return JSON.stringify(f);
}
