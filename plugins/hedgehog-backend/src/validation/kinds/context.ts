import { ResolvedFabricConfig } from '../fabricConfig';
import { Report } from '../model';
import { SwitchProfileModel } from '../switchProfiles';

/** What the per-kind rules (layer 2) get besides the document. */
export interface KindContext {
  report: Report;
  config: ResolvedFabricConfig;
  /** The cluster's SwitchProfiles by name, when known (then the fabric rules check profiles and ports). */
  profiles?: Map<string, SwitchProfileModel>;
}
