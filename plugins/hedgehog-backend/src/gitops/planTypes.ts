import { Finding, KindScope, KindScopeSetting, ManagedDocument } from '@fabric-gitops/plugin-hedgehog-common';
import { SourceRef } from './normalize';
import { ParsedFile } from './parse';
import { TreeEntry } from './tree';

/* The types of the ingest plan (re-exported by plan.ts, where callers import them). */

/** A resource of the desired state after the plan is carried out. */
export interface PlannedResource {
  kind: string;
  name: string;
  gitPath: string;
  object: Record<string, unknown>;
  source?: SourceRef;
  /** The managed file it is read from, when the plan moves that file to `gitPath`. */
  movedFrom?: string;
}

/**
 * A managed file that is not part of the desired state (unreadable, invalid, not
 * YAML, a second definition of a resource, ...): prune holds back the kinds it may define.
 */
export interface DroppedFile {
  file: string;
  /** The kinds it may define: its folder's and the one its document names; every kind when neither says. */
  kinds: string[];
  reason: string;
}

/** Why an entry of `unmanaged/` is there. */
export interface UnmanagedReason {
  document?: number;
  rule: string;
  message: string;
}

/** A resource defined more than once. */
export interface Conflict {
  kind: string;
  name: string;
  /** Every file (raw or managed) that defines it. */
  files: string[];
  message: string;
}

/** What a sync will change in the fabric directory, and the resulting desired state. */
export interface IngestPlan {
  writes: Array<{ path: string; content: string }>;
  /** Entries moved verbatim (same blob, same mode). */
  moves: Array<{ from: string; to: string }>;
  /**
   * What of raw/ this plan keeps in unmanaged/: a whole file (moved, or already
   * there), or the documents of a file that cannot be managed (`documents`, their
   * 0-based indexes in the raw file).
   */
  unmanaged: Array<{ from: string; to: string; documents?: number[] }>;
  deletes: string[];
  resources: PlannedResource[];
  conflicts: Conflict[];
  findings: Finding[];
  /** Managed files that are not part of the desired state. */
  dropped: DroppedFile[];
  /** One line per thing that happened, for the commit message and the run. */
  log: string[];
  counts: {
    rawFiles: number;
    /** Raw files whose documents went to managed/ or unmanaged/ (wholly or in part). */
    ingestedFiles: number;
    /** Files kept in unmanaged/: whole raw files, or the documents of one that could not be managed. */
    unmanagedFiles: number;
    /** Documents kept in unmanaged/ (of whole files or of files partly managed). */
    unmanagedDocuments: number;
    /** Raw files that stay in raw/ because of conflicts (holding only their documents in conflict). */
    conflictFiles: number;
    /** Documents held back in raw/ by a conflict. */
    conflictDocuments: number;
    resourcesCreated: number;
    resourcesUnchanged: number;
    managedRewritten: number;
    layoutRepaired: number;
  };
  legacyLayout: boolean;
  /** The kinds the fabric manages, and where that was said (planIngestion always says). */
  scope?: KindScope;
  /** What the manifest's `scope` says, when it says something readable. */
  manifestScope?: KindScopeSetting;
}

/** Input of the planner: the fabric directory's files and the parsed YAML of some. */
export interface PlanInput {
  fabricName: string;
  entries: TreeEntry[];
  /** The parsed content of a regular YAML file under raw/ or managed/. */
  parsed(entry: TreeEntry): ParsedFile;
  /**
   * The kinds the fabric's definition says it manages: app-config's (wins over the
   * manifest's `scope`) and the catalog entity's (the manifest wins over it). A
   * document of a kind outside the fabric's scope is kept in unmanaged/.
   */
  declaredKinds?: { appConfig?: KindScopeSetting; entity?: KindScopeSetting };
}

/** A managed resource read from a raw document, in canonical form. */
export interface RawDoc {
  file: string;
  index: number;
  doc: ManagedDocument;
  canonical: Record<string, unknown>;
  key: string;
}

/** A readable raw YAML file: its managed documents and why the others are not managed. */
export interface RawFile {
  entry: TreeEntry;
  parsed: ParsedFile & { ok: true };
  docs: RawDoc[];
  reasons: UnmanagedReason[];
}
