import { Finding } from '@fabric-gitops/plugin-hedgehog-common';

/* What an import changes in the findings history (pure; findingQueries writes it). */

/** A finding of an imported state, with the resource it is on (its managed file), if any. */
export interface StateFinding extends Finding {
  resource?: { kind: string; name: string };
}

/** A current row of the findings history, as an import compares it. */
export interface CurrentFinding extends StateFinding {
  id: number;
  /** The import generation since which the finding is there without a break. */
  firstSeen: number;
}

/** What an import does to the history: rows it closes, findings it opens rows for. */
export interface FindingChanges {
  close: number[];
  open: Array<{ finding: StateFinding; firstSeen: number }>;
  /** How many of the state's findings are unchanged (their rows stay open). */
  kept: number;
}

/**
 * The identity of a finding across imports: its rule, file, JSON path and message.
 * The document index is left out (a document inserted above shifts the others),
 * and so is the message of a summary finding (its count changes), which is one
 * per rule, file and document.
 */
export function findingKey(f: Finding): string {
  return JSON.stringify([f.rule, f.file, f.path, f.leftOut ? `left out in document ${f.document ?? ''}` : f.message]);
}

/** Everything a row holds of a finding: equal means the row can stay as it is. */
function rowKey(f: StateFinding): string {
  return JSON.stringify([
    f.severity,
    f.rule,
    f.file,
    f.document ?? null,
    f.path,
    f.message,
    f.leftOut ?? 0,
    f.resource?.kind ?? null,
    f.resource?.name ?? null,
  ]);
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/**
 * The changes of an import at `generation` to the current rows (`previous`): a
 * finding the same in every respect keeps its row; one that changed only where
 * it is not identified (document, severity, left-out count, resource) gets a new
 * row that keeps its `firstSeen`; one not there before is new (`firstSeen` =
 * `generation`). Rows of findings no longer found are closed. Duplicates count
 * one by one. When the previous import's findings are not known (recorded before
 * findings were kept), nothing is marked new: `firstSeen` is the generation before.
 */
export function diffFindings(
  previous: CurrentFinding[],
  current: StateFinding[],
  generation: number,
  previousKnown = true,
): FindingChanges {
  const exact = group(previous, rowKey);
  const changed: StateFinding[] = [];
  let kept = 0;
  for (const f of current) {
    const rows = exact.get(rowKey(f));
    if (rows?.length) {
      rows.pop();
      kept++;
    } else {
      changed.push(f);
    }
  }
  const left = [...exact.values()].flat();
  const byKey = group(left, findingKey);
  const open: FindingChanges['open'] = [];
  const unseen = previousKnown ? generation : generation - 1;
  for (const f of changed) {
    // the same finding, changed where it is not identified: it keeps its age
    const was = byKey.get(findingKey(f))?.pop();
    open.push({ finding: f, firstSeen: was ? was.firstSeen : unseen });
  }
  // every row without an exact match is closed: replaced by a changed finding, or gone
  return { close: left.map(r => r.id), open, kept };
}
