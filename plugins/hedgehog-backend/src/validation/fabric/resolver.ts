import { ConnectionModel, connectionModel } from '../connectionModel';
import { Doc, Path, Report, formatPath, isPlainObject, obj, resourceKey } from '../model';

type Derived = Map<(spec: Record<string, any>) => unknown, WeakMap<object, unknown>>;

/**
 * What the fabric-wide layer may keep across runs: what it derived from one spec
 * alone (connection models, subnets, namespaces), by function and spec object.
 * ValidationCache keeps one; a plain validation starts empty.
 */
export interface FabricMemo {
  derived?: Derived;
  /**
   * Which specs to keep what is derived from in `derived` (default: all): those of
   * objects that outlive a run. What is derived from other specs is kept for the
   * run only, so a cold validation leaves no weakly held values behind (V8 promotes
   * them to the old space, and the heap of a many-fabric sync grows with them).
   */
  keep?: (spec: object) => boolean;
}

/** An object a reference resolved to: a document of the fabric, or a live object. */
export interface Target {
  kind: string;
  name: string;
  spec: Record<string, any>;
  doc?: Doc;
}

/**
 * Resolves references: to the fabric's documents; for kinds of which the fabric
 * holds no documents, to the live objects when given, else the reference cannot be
 * checked (a warning, or nothing for implied defaults).
 */
export class Resolver {
  /** The fabric's documents by kind and name, as targets (made once per run, not per reference). */
  private readonly git = new Map<string, Map<string, Target>>();
  private readonly gitKinds = new Set<string>();
  private readonly live?: Map<string, Target>;
  private readonly derived: Derived;
  private readonly keep: (spec: object) => boolean;
  /** What is derived from specs not kept across runs, for this run. */
  private readonly local = new Map<(spec: Record<string, any>) => unknown, Map<object, unknown>>();

  /** `memo`: what was derived from specs in earlier runs (ValidationCache keeps it). */
  constructor(
    docs: Doc[],
    live: Array<Record<string, unknown>> | undefined,
    private readonly report: Report,
    memo: FabricMemo = {},
    /** Why the fabric's cluster could not be read, when it has one that could not be. */
    private readonly offline?: string,
  ) {
    this.derived = memo.derived ?? new Map();
    this.keep = memo.keep ?? (() => true);
    for (const d of docs) {
      let byName = this.git.get(d.kind);
      if (!byName) {
        this.gitKinds.add(d.kind);
        byName = new Map();
        this.git.set(d.kind, byName);
      }
      if (d.name && !byName.has(d.name)) byName.set(d.name, { kind: d.kind, name: d.name, spec: d.spec, doc: d });
    }
    if (live) {
      this.live = new Map();
      for (const o of live) {
        if (!isPlainObject(o) || typeof o.kind !== 'string') continue;
        const name = obj(o.metadata)?.name;
        if (typeof name !== 'string' || this.gitKinds.has(o.kind)) continue;
        this.live.set(resourceKey(o.kind, name), { kind: o.kind, name, spec: obj(o.spec) ?? {} });
      }
    }
  }

  get(kind: string, name: string): Target | undefined {
    const byName = this.git.get(kind);
    if (byName) return byName.get(name);
    return this.live?.get(resourceKey(kind, name));
  }

  /** Every object of a kind: the fabric's documents when it holds any of the kind, else the live ones (if given). */
  all(kind: string): Target[] {
    const byName = this.git.get(kind);
    if (byName) return [...byName.values()];
    return this.live ? [...this.live.values()].filter(t => t.kind === kind) : [];
  }

  /** Resolves a reference and reports it when it does not resolve. */
  resolve(from: Doc, kind: string, name: string | undefined, path: Path, implicit = false): Target | undefined {
    if (!name) return undefined;
    const target = this.get(kind, name);
    if (target) return target;
    const what = implicit ? `${kind} ${name} (the default, as ${formatPath(path)} is not set)` : `${kind} ${name}`;
    if (this.gitKinds.has(kind)) {
      this.report.add(from, 'reference.missing', path, `${from.kind} ${from.name} refers to ${what}, which the fabric does not define`);
    } else if (this.live) {
      this.report.add(from, 'reference.missing', path, `${from.kind} ${from.name} refers to ${what}, which is neither in the fabric's Git nor in the cluster`);
    } else if (!implicit) {
      this.report.add(
        from,
        'reference.unverified',
        path,
        this.offline
          ? `${from.kind} ${from.name} refers to ${what}; the fabric's Git holds no ${kind} objects and its cluster could not be read (${this.offline}), so the reference was not checked`
          : `${from.kind} ${from.name} refers to ${what}; the fabric's Git holds no ${kind} objects and no cluster objects were given, so it is not checked`,
      );
    }
    return undefined;
  }

  connection(target: Target): ConnectionModel {
    return this.derive(target.spec, connectionModel);
  }

  /**
   * `fn(spec)`, remembered per spec object and function: `fn` must be pure, and its
   * result is shared (never mutated). A spec is never mutated after parsing, so
   * what is derived from it is its content's.
   */
  derive<T>(spec: Record<string, any>, fn: (spec: Record<string, any>) => T): T {
    const kept = this.derived.get(fn);
    if (kept?.has(spec)) return kept.get(spec) as T;
    let local = this.local.get(fn);
    if (local?.has(spec)) return local.get(spec) as T;
    const value = fn(spec);
    if (this.keep(spec)) {
      if (kept) kept.set(spec, value);
      else this.derived.set(fn, new WeakMap([[spec, value]]));
    } else {
      if (!local) {
        local = new Map();
        this.local.set(fn, local);
      }
      local.set(spec, value);
    }
    return value;
  }
}
