import { ConnectionModel, connectionModel } from '../connectionModel';
import { Doc, Path, Report, formatPath, isPlainObject, obj, resourceKey } from '../model';

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
  private readonly git = new Map<string, Doc>();
  private readonly gitKinds = new Set<string>();
  private readonly live?: Map<string, Target>;
  private readonly models = new WeakMap<object, ConnectionModel>();

  constructor(docs: Doc[], live: Array<Record<string, unknown>> | undefined, private readonly report: Report) {
    for (const d of docs) {
      this.gitKinds.add(d.kind);
      const key = resourceKey(d.kind, d.name);
      if (d.name && !this.git.has(key)) this.git.set(key, d);
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
    const doc = this.git.get(resourceKey(kind, name));
    if (doc) return { kind, name, spec: doc.spec, doc };
    return this.gitKinds.has(kind) ? undefined : this.live?.get(resourceKey(kind, name));
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
        `${from.kind} ${from.name} refers to ${what}; the fabric's Git holds no ${kind} objects and no cluster objects were given, so it is not checked`,
      );
    }
    return undefined;
  }

  connection(target: Target): ConnectionModel {
    let m = this.models.get(target.spec);
    if (!m) {
      m = connectionModel(target.spec);
      this.models.set(target.spec, m);
    }
    return m;
  }
}
