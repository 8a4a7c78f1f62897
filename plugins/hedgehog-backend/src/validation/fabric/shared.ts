import { Doc, Path, Report } from '../model';
import { ValidationRuleId } from '@fabric-gitops/plugin-hedgehog-common';
import { documentLabel } from '@fabric-gitops/plugin-hedgehog-common';

/* Helpers the fabric rules share: uses of a value, and how documents are named in messages. */

export interface Use {
  doc: Doc;
  path: Path;
  what: string;
}

/** Reports every group of uses that spans more than one document, on each use. */
export function reportShared(
  report: Report,
  groups: Map<string, Use[]>,
  rule: ValidationRuleId,
  message: (use: Use, others: Use[]) => string,
  skip: (use: Use) => boolean = () => false,
) {
  for (const uses of groups.values()) {
    if (uses.length < 2) continue;
    const docs = new Set(uses.map(u => u.doc));
    if (docs.size < 2) continue;
    for (const use of uses) {
      if (skip(use)) continue;
      const others = uses.filter(u => u.doc !== use.doc);
      if (others.length > 0) report.add(use.doc, rule, use.path, message(use, others));
    }
  }
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const l = map.get(key);
  if (l) l.push(value);
  else map.set(key, [value]);
}

export const where = (d: Doc) => `${d.kind} ${d.name} (${d.file}${d.document > 0 ? `, ${documentLabel(d.document)}` : ''})`;
export const names = (uses: Use[], max = 3) =>
  `${uses.slice(0, max).map(u => where(u.doc)).join(', ')}${uses.length > max ? ` and ${uses.length - max} more` : ''}`;
