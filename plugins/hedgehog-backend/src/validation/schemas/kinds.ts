import { BACKEND_KINDS } from '../modules';
import { Schema, any, int, map, object, string, strings } from './types';

/* The schema of each kind's document: the spec of the kind's backend module (validation/modules/), and the metadata every document may carry. */

/** Kubernetes ObjectMeta: what may appear under metadata (server-set fields included). */
const METADATA = object({
  name: any,
  namespace: any,
  labels: map(string()),
  annotations: map(string()),
  generateName: string(),
  uid: string(),
  resourceVersion: string(),
  generation: int(0, Number.MAX_SAFE_INTEGER),
  creationTimestamp: any,
  deletionTimestamp: any,
  deletionGracePeriodSeconds: int(0, Number.MAX_SAFE_INTEGER),
  selfLink: string(),
  finalizers: strings,
  ownerReferences: any,
  managedFields: any,
});

/** The full document schema of a kind. */
export function documentSchema(kind: string): Schema {
  return object(
    {
      apiVersion: any,
      kind: any,
      metadata: METADATA,
      spec: BACKEND_KINDS[kind]?.spec ?? any,
      // every status of these kinds is empty
      status: object({}),
    },
  );
}
