import { Schema } from '../schemas/types';
import { Doc } from '../model';
import { KindContext } from '../kinds/context';

/**
 * The backend-only part of a kind (the rest is its module in
 * plugins/hedgehog-common/src/kinds/, under the same `kind`): the schema of its
 * `spec`, the per-document rules of Hedgehog's webhook for it, and, when they depend
 * on the object, the kinds an object refers to.
 */
export interface BackendKind {
  kind: string;
  spec: Schema;
  /** Layer 2: the rules of the kind that need only the document. */
  check?: (doc: Doc, ctx: KindContext) => unknown;
  /** The managed kinds one object refers to, when they depend on the object (else the common module's `references`). */
  referencesOf?: (o: Record<string, any>) => string[];
}
