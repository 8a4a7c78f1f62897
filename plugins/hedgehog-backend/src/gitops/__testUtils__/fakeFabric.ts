/*
 * Test-only helpers: an in-memory fabric directory (paths, modes, blobs) that the
 * pure planner runs on, and the real sample files.
 */
import fs from 'fs';
import path from 'path';
import { gitBlobId } from '../blobId';
import { ParsedFile, parseYamlFile } from '../parse';
import { IngestPlan, PlanInput, entriesToParse, planIngestion } from '../plan';
import { MODE_FILE, TreeEntry } from '../tree';

/** The sample YAML files of a folder (name -> bytes), sorted by name. */
export function readSamples(dir: string): Map<string, Buffer> {
  const result = new Map<string, Buffer>();
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.endsWith('.yaml')) result.set(name, fs.readFileSync(path.join(dir, name)));
  }
  return result;
}

/** The sample whose file name starts with a prefix, e.g. `05`. */
export function readSample(dir: string, prefix: string): { name: string; bytes: Buffer } {
  const name = fs.readdirSync(dir).find(n => n.startsWith(prefix) && n.endsWith('.yaml'));
  if (!name) throw new Error(`no sample ${prefix} in ${dir}`);
  return { name, bytes: fs.readFileSync(path.join(dir, name)) };
}

/** Git's blob id of some bytes (content addressed: same bytes, same id). */
export function blobIdOf(bytes: Uint8Array): string {
  return gitBlobId(Buffer.from(bytes));
}

const toBytes = (content: string | Uint8Array) =>
  typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);

/** What carrying out a plan did that it must never do. */
export interface ApplyReport {
  /**
   * Paths that existed and were replaced by a write with other content (a raw file
   * that now holds only some of its documents, each as its original text, is not).
   */
  overwritten: string[];
  /** Paths written with exactly the bytes they already had (a no-op write). */
  unchangedWrites: string[];
}

/**
 * A fabric directory in memory, as `git ls-tree` would list it. Carrying out a plan
 * follows the order of GitWorkspace.commit: deletes, then moves, then writes.
 */
export class FakeFabric {
  readonly files = new Map<string, { mode: string; blobId: string }>();
  readonly blobs = new Map<string, Buffer>();
  parseCalls = 0;

  constructor(readonly name = 'lab') {}

  add(filePath: string, content: string | Uint8Array, mode = MODE_FILE): this {
    const bytes = toBytes(content);
    const blobId = blobIdOf(bytes);
    this.blobs.set(blobId, bytes);
    this.files.set(filePath, { mode, blobId });
    return this;
  }

  has(filePath: string) {
    return this.files.has(filePath);
  }

  bytes(filePath: string): Buffer {
    const f = this.files.get(filePath);
    if (!f) throw new Error(`no file ${filePath}`);
    return this.blobs.get(f.blobId)!;
  }

  text(filePath: string): string {
    return this.bytes(filePath).toString('utf8');
  }

  paths(prefix = ''): string[] {
    return [...this.files.keys()].filter(p => p.startsWith(prefix)).sort();
  }

  entries(): TreeEntry[] {
    return [...this.files.entries()].map(([p, f]) => ({ path: p, mode: f.mode, blobId: f.blobId }));
  }

  /** The planner's input built like syncFabric does: parse only what it asks for. */
  plan(declaredKinds?: PlanInput['declaredKinds']): IngestPlan {
    const entries = this.entries();
    const parsedByBlob = new Map<string, ParsedFile>();
    for (const e of entriesToParse(entries)) {
      if (!parsedByBlob.has(e.blobId)) parsedByBlob.set(e.blobId, parseYamlFile(this.blobs.get(e.blobId)!));
    }
    return planIngestion({
      fabricName: this.name,
      entries,
      declaredKinds,
      parsed: entry => {
        this.parseCalls++;
        const hit = parsedByBlob.get(entry.blobId);
        if (!hit) throw new Error(`the planner asked for ${entry.path}, which entriesToParse did not list`);
        return hit;
      },
    });
  }

  /** Carries a plan out (with new blob ids for written content). */
  apply(plan: IngestPlan): ApplyReport {
    const report: ApplyReport = { overwritten: [], unchangedWrites: [] };
    for (const p of plan.deletes) {
      if (!this.files.delete(p)) throw new Error(`delete of ${p}: not in the tree`);
    }
    const moved = plan.moves.map(m => {
      const f = this.files.get(m.from);
      if (!f) throw new Error(`move of ${m.from}: not in the tree`);
      this.files.delete(m.from);
      return { to: m.to, f };
    });
    for (const { to, f } of moved) {
      if (this.files.has(to)) report.overwritten.push(to);
      this.files.set(to, f);
    }
    for (const w of plan.writes) {
      const before = this.files.get(w.path);
      const bytes = toBytes(w.content);
      if (before) {
        if (before.blobId === blobIdOf(bytes)) report.unchangedWrites.push(w.path);
        else if (!w.path.startsWith('managed/') && !(w.path.startsWith('raw/') && keepsOnlyOriginalText(this.blobs.get(before.blobId)!, bytes))) {
          report.overwritten.push(w.path);
        }
      }
      this.add(w.path, bytes);
    }
    return report;
  }
}

/**
 * Whether `after` holds only text of `before`: its lines, in their order, are lines
 * of `before` (apart from `---`/`...` lines put between documents).
 */
function keepsOnlyOriginalText(before: Buffer, after: Buffer): boolean {
  const lines = before.toString('utf8').split('\n');
  let at = 0;
  for (const line of after.toString('utf8').split('\n')) {
    const found = lines.indexOf(line, at);
    if (found < 0) {
      if (line === '---' || line === '...') continue;
      return false;
    }
    at = found + 1;
  }
  return after.length < before.length;
}

/** Whether a plan changes nothing. */
export function isEmptyPlan(plan: IngestPlan): boolean {
  return plan.writes.length === 0 && plan.moves.length === 0 && plan.deletes.length === 0;
}

/** Counts documents per kind with a method independent of the parser: `kind:` lines at column 0. */
export function countKindsByRegex(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^kind:\s*(\S+)\s*$/gm)) counts[m[1]] = (counts[m[1]] ?? 0) + 1;
  return counts;
}
