/** What an import left in a resource row, as the next import compares it. */
export interface ImportedRow {
  blob: string | null;
  gitPath: string;
  /** The findings column as written (JSON). */
  findings: string;
}

interface Snapshot {
  generation: number;
  rows: Map<string, ImportedRow>;
}

/**
 * What this process's last import of each fabric wrote to the resources table, so
 * that the next import compares against memory instead of reading every row back.
 * A snapshot counts only while the fabric's import generation in the database is
 * the one it was taken at (an import by another replica moves it). Bounded by rows
 * in all; the fabric imported longest ago is forgotten first.
 */
export class ImportSnapshots {
  private readonly byFabric = new Map<string, Snapshot>();
  private rows = 0;

  constructor(private readonly maxRows = 20_000) {}

  /** The rows of the fabric's last import, when taken at this generation. */
  get(fabric: string, generation: number): Map<string, ImportedRow> | undefined {
    const snapshot = this.byFabric.get(fabric);
    if (!snapshot || snapshot.generation !== generation) return undefined;
    return snapshot.rows;
  }

  /** Remembers the rows an import wrote (all of the fabric's rows after it) at its generation. */
  set(fabric: string, generation: number, rows: Map<string, ImportedRow>) {
    this.forget(fabric);
    if (rows.size > this.maxRows) return;
    this.byFabric.set(fabric, { generation, rows });
    this.rows += rows.size;
    // Maps iterate in insertion order: the fabric imported longest ago comes first.
    for (const name of [...this.byFabric.keys()]) {
      if (this.rows <= this.maxRows) break;
      this.forget(name);
    }
  }

  forget(fabric: string) {
    const snapshot = this.byFabric.get(fabric);
    if (!snapshot) return;
    this.byFabric.delete(fabric);
    this.rows -= snapshot.rows.size;
  }

  /** Rows remembered in all (for tests and benchmarks). */
  get size() {
    return this.rows;
  }
}
