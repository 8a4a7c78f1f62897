import { Doc } from '../model';
import { BACKEND_KINDS } from '../modules';
import { KindContext } from './context';
import { checkMetadata } from './metadata';

export type { KindContext } from './context';

/** Layer 2: the rules of one kind that need only the document (docs/hedgehog.md#validation-rules). */
export function checkKind(doc: Doc, ctx: KindContext) {
  checkMetadata(doc, ctx);
  BACKEND_KINDS[doc.kind]?.check?.(doc, ctx);
}
