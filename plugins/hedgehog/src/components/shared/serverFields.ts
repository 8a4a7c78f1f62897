import {
  ANNOTATION_SOURCE_FILE,
  ANNOTATION_SOURCE_INDEX,
  APPLIED_BY_LABEL,
} from '@fabric-gitops/plugin-hedgehog-common';

/**
 * What nobody wrote by hand and the drift comparison ignores: the API server's bookkeeping,
 * labels and annotations tools and webhooks set, and this plugin's own tracking annotations.
 * Hidden by default when a network engineer compares a switch or a VPC with its file in Git.
 * Pure.
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

/** Labels set by an apply (the owning fabric) and by Hedgehog's webhooks (`fabric.githedgehog.com/…`). */
export function isServerLabel(key: string): boolean {
  return key === APPLIED_BY_LABEL || key.includes('fabric.githedgehog.com/');
}

/** Annotations written by tools: kubectl's last applied configuration, Hedgehog's `hnp.githedgehog.com/…`. */
export function isServerAnnotation(key: string): boolean {
  return (
    key === 'kubectl.kubernetes.io/last-applied-configuration' ||
    key.startsWith('hnp.githedgehog.com/')
  );
}

/** This plugin's annotations on the desired object: the raw file and document it came from. */
export function isTrackingAnnotation(key: string): boolean {
  return key === ANNOTATION_SOURCE_FILE || key === ANNOTATION_SOURCE_INDEX;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An object without some of its fields, and the paths of the fields left out. */
export interface ReadableObject {
  readable: Obj;
  hidden: string[];
}

/** Drops the keys of `metadata[map]` that `drop` picks and `keep` lacks; the map goes when it is left empty. */
function dropKeys(
  meta: Obj,
  map: 'labels' | 'annotations',
  drop: (key: string) => boolean,
  keep: Obj,
  hidden: string[],
) {
  if (!isObject(meta[map])) return;
  const kept: Obj = { ...(meta[map] as Obj) };
  for (const key of Object.keys(kept)) {
    if (drop(key) && !(key in keep)) {
      delete kept[key];
      hidden.push(`metadata.${map}.${key}`);
    }
  }
  if (Object.keys(kept).length > 0) meta[map] = kept;
  else delete meta[map];
}

const mapOf = (meta: Obj, map: string): Obj =>
  isObject(meta[map]) ? (meta[map] as Obj) : {};

/**
 * The live object without what the server and tools add: the metadata fields above, their
 * labels and annotations, and `status` when the desired object has none (the controllers'
 * report, not configuration). A field the desired object sets itself is kept. The object given
 * is not changed.
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
    dropKeys(
      meta,
      'labels',
      isServerLabel,
      mapOf(desiredMeta, 'labels'),
      hidden,
    );
    dropKeys(
      meta,
      'annotations',
      isServerAnnotation,
      mapOf(desiredMeta, 'annotations'),
      hidden,
    );
    readable.metadata = meta;
  }
  if ('status' in readable && !(desired && 'status' in desired)) {
    delete readable.status;
    hidden.push('status');
  }
  return { readable, hidden };
}

/** The desired object without this plugin's tracking annotations (which an apply need not carry). */
export function withoutTrackingAnnotations(desired: Obj): ReadableObject {
  const hidden: string[] = [];
  if (!isObject(desired.metadata)) return { readable: desired, hidden };
  const meta: Obj = { ...desired.metadata };
  dropKeys(meta, 'annotations', isTrackingAnnotation, {}, hidden);
  return { readable: { ...desired, metadata: meta }, hidden };
}
