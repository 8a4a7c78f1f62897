import { ResolvedFabricConfig } from '../fabricConfig';
import { Report } from '../model';

/** What the per-kind rules (layer 2) get besides the document. */
export interface KindContext {
  report: Report;
  config: ResolvedFabricConfig;
}
