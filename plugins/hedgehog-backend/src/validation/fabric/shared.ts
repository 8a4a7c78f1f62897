import { Doc, Path, Report } from '../model';
import { documentLabel } from '@fabric-gitops/plugin-hedgehog-common';
import { Steps } from '../steps';

/* Helpers the fabric rules share: uses of a value, and how documents are named in messages. */

export interface Use {
  doc: Doc;
  path: Path;
  what: string;
}

/** The uses of a value in documents other than one use's: the first few (one per document) and how many there are. */
export interface Others {
  some: Use[];
  count: number;
  /** A use in another document that names the value otherwise (`what`), if any. */
  differing?: Use;
}

/** How many uses a message names (the rest is counted). */
const NAMED = 3;
/** Distinct spellings of a value looked at for `differing` (a port has two: E1/1 and E1/1/1). */
const SPELLINGS = 8;

/**
 * The uses of one value, indexed once so that what each use shares with the others
 * is found without comparing every use with every other (n uses of one VLAN by n
 * documents would be n² comparisons).
 */
export class UseGroup {
  private readonly perDoc = new Map<Doc, Use[]>();
  /** The first use of each document, in order. */
  private readonly firsts: Use[] = [];
  /** For each spelling, its first uses in up to two documents. */
  private readonly spellings = new Map<string, Use[]>();

  constructor(readonly uses: Use[]) {
    for (const u of uses) {
      const mine = this.perDoc.get(u.doc);
      if (mine) mine.push(u);
      else {
        this.perDoc.set(u.doc, [u]);
        this.firsts.push(u);
      }
      const spelled = this.spellings.get(u.what);
      if (!spelled) {
        if (this.spellings.size < SPELLINGS) this.spellings.set(u.what, [u]);
      } else if (spelled.length < 2 && spelled[0].doc !== u.doc) spelled.push(u);
    }
  }

  /** The number of documents using the value. */
  get documents(): number {
    return this.perDoc.size;
  }

  /** The uses in other documents than `use`'s. */
  others(use: Use): Others {
    const some: Use[] = [];
    for (const u of this.firsts) {
      if (some.length > NAMED) break;
      if (u.doc !== use.doc) some.push(u);
    }
    let differing: Use | undefined;
    for (const [what, spelled] of this.spellings) {
      if (what === use.what) continue;
      differing = spelled.find(u => u.doc !== use.doc);
      if (differing) break;
    }
    return { some, count: this.uses.length - this.sameDoc(use).length, differing };
  }

  /** The uses in `use`'s document (itself included). */
  sameDoc(use: Use): Use[] {
    return this.perDoc.get(use.doc) ?? [];
  }
}

/** Reports every group of uses that spans more than one document, on each use. */
export function* reportShared(
  report: Report,
  groups: Map<string, Use[]>,
  rule: Parameters<Report['add']>[1],
  message: (use: Use, others: Others) => string,
  skip: (use: Use) => boolean = () => false,
): Steps {
  for (const uses of groups.values()) {
    yield;
    if (uses.length < 2) continue;
    const group = new UseGroup(uses);
    if (group.documents < 2) continue;
    for (const use of uses) {
      yield;
      if (skip(use)) continue;
      const others = group.others(use);
      if (others.count > 0) report.add(use.doc, rule, use.path, message(use, others));
    }
  }
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const l = map.get(key);
  if (l) l.push(value);
  else map.set(key, [value]);
}

export const where = (d: Doc) => `${d.kind} ${d.name} (${d.file}${d.document > 0 ? `, ${documentLabel(d.document)}` : ''})`;
/** The documents of the first uses, and how many more uses there are. */
export const names = (others: Pick<Others, 'some' | 'count'>, max = NAMED) =>
  `${others.some.slice(0, max).map(u => where(u.doc)).join(', ')}${others.count > max ? ` and ${others.count - max} more` : ''}`;
