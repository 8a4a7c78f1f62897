/**
 * What the API server adds to an object that nobody wrote: bookkeeping a network engineer does not
 * read when comparing a switch or a VPC with its file in Git. Pure.
 */

/** `metadata` fields the API server sets on every object. */
export const SERVER_METADATA_FIELDS = [
  'managedFields',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'selfLink',
] as const;

/** Annotations written by tools, not by people. */
export const SERVER_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
] as const;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The live object as a person reads it, and the paths of the fields left out of it. */
export interface ReadableObject {
  readable: Obj;
  hidden: string[];
}

/**
 * The live object without the server's fields: the metadata fields above, the tools' annotations
 * (`metadata.annotations` goes when nothing else is left in it), and `status` when the desired
 * object has none (the controllers' report, not configuration). A field the desired object sets
 * itself is kept. The object given is not changed.
 */
export function withoutServerFields(
  live: Obj,
  desired?: Obj | null,
): ReadableObject {
  const readable: Obj = { ...live };
  const hidden: string[] = [];
  const desiredMeta = isObject(desired?.metadata) ? desired!.metadata : {};
  if (isObject(live.metadata)) {
    const meta: Obj = { ...live.metadata };
    for (const f of SERVER_METADATA_FIELDS) {
      if (f in meta && !(f in desiredMeta)) {
        delete meta[f];
        hidden.push(`metadata.${f}`);
      }
    }
    if (isObject(meta.annotations)) {
      const desiredAnnotations = isObject(desiredMeta.annotations)
        ? desiredMeta.annotations
        : {};
      const annotations: Obj = { ...meta.annotations };
      for (const a of SERVER_ANNOTATIONS) {
        if (a in annotations && !(a in desiredAnnotations)) {
          delete annotations[a];
          hidden.push(`metadata.annotations.${a}`);
        }
      }
      if (Object.keys(annotations).length > 0) meta.annotations = annotations;
      else delete meta.annotations;
    }
    readable.metadata = meta;
  }
  if ('status' in readable && !(desired && 'status' in desired)) {
    delete readable.status;
    hidden.push('status');
  }
  return { readable, hidden };
}
