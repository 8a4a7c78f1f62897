import index from './data/index.json';
import celesticaDs2000 from './data/celestica-ds2000.json';
import celesticaDs2000Clsp from './data/celestica-ds2000-clsp.json';
import celesticaDs3000 from './data/celestica-ds3000.json';
import celesticaDs3000Clsp from './data/celestica-ds3000-clsp.json';
import celesticaDs4000 from './data/celestica-ds4000.json';
import celesticaDs4000Clsp from './data/celestica-ds4000-clsp.json';
import celesticaDs4101 from './data/celestica-ds4101.json';
import celesticaDs4101Clsp from './data/celestica-ds4101-clsp.json';
import celesticaDs5000 from './data/celestica-ds5000.json';
import celesticaDs5000Clsp from './data/celestica-ds5000-clsp.json';
import cumulusVx from './data/cumulus-vx.json';
import dellS5232fOn from './data/dell-s5232f-on.json';
import dellS5248fOn from './data/dell-s5248f-on.json';
import dellZ9332fOn from './data/dell-z9332f-on.json';
import edgecoreDcs203 from './data/edgecore-dcs203.json';
import edgecoreDcs204 from './data/edgecore-dcs204.json';
import edgecoreDcs240 from './data/edgecore-dcs240.json';
import edgecoreDcs501 from './data/edgecore-dcs501.json';
import edgecoreEps202 from './data/edgecore-eps202.json';
import edgecoreEps203 from './data/edgecore-eps203.json';
import supermicroSseC4632sb from './data/supermicro-sse-c4632sb.json';
import vs from './data/vs.json';
import vsClsp from './data/vs-clsp.json';
import { ResolvedFabricConfig } from '../fabricConfig';
import { switchProfileModels } from '../switchProfiles';
import { BuiltInSwitchProfiles, ProfileFlag } from './catalog';

/*
 * The SwitchProfiles built into Hedgehog, as data transcribed from githedgehog/fabric
 * `pkg/ctrl/switchprofile` (scripts/transcribe-switch-profiles.mjs; the commit and
 * each profile's source file are in data/index.json). Validation uses them when the
 * fabric's cluster gives no SwitchProfiles.
 */

/** Where the data comes from. */
export const BUILT_IN_PROFILES_SOURCE = {
  repository: index.repository,
  commit: index.commit,
  commitDate: index.commitDate,
  catalog: index.catalog,
};

/** Every built-in profile (whatever the flags), as the SwitchProfile object the cluster holds. */
export const BUILT_IN_PROFILE_OBJECTS: ReadonlyArray<Record<string, unknown>> = [
  celesticaDs2000,
  celesticaDs2000Clsp,
  celesticaDs3000,
  celesticaDs3000Clsp,
  celesticaDs4000,
  celesticaDs4000Clsp,
  celesticaDs4101,
  celesticaDs4101Clsp,
  celesticaDs5000,
  celesticaDs5000Clsp,
  cumulusVx,
  dellS5232fOn,
  dellS5248fOn,
  dellZ9332fOn,
  edgecoreDcs203,
  edgecoreDcs204,
  edgecoreDcs240,
  edgecoreDcs501,
  edgecoreEps202,
  edgecoreEps203,
  supermicroSseC4632sb,
  vs,
  vsClsp,
];

/** The Go source file each profile is transcribed from. */
export function builtInProfileSource(name: string): string | undefined {
  return (index.profiles as Record<string, { source: string } | undefined>)[name]?.source;
}

/** The names of the profiles each FabricConfig flag adds (`default`: always there), as catalog.go registers them. */
export const BUILT_IN_PROFILE_SETS: Readonly<Record<'default' | ProfileFlag, readonly string[]>> = index.sets;

const cache = new Map<string, BuiltInSwitchProfiles>();
const nameOf = (o: Record<string, unknown>) => (o.metadata as { name: string }).name;

/**
 * The built-in SwitchProfiles that exist under the config's flags (`RegisterAll` in
 * catalog.go: the default set, plus the SONiC+ set with includeSONiCCLSPlus and
 * cumulus-vx with includeCumulus), parsed once per combination of flags.
 */
export function builtInSwitchProfiles(config: ResolvedFabricConfig): BuiltInSwitchProfiles {
  const flags = {
    includeSONiCCLSPlus: config.includeSONiCCLSPlus,
    includeCumulus: config.includeCumulus,
    allowExtraSwitchProfiles: config.allowExtraSwitchProfiles,
  };
  const key = JSON.stringify(flags);
  let profiles = cache.get(key);
  if (!profiles) {
    const names = new Set([
      ...BUILT_IN_PROFILE_SETS.default,
      ...(flags.includeSONiCCLSPlus.value ? BUILT_IN_PROFILE_SETS.includeSONiCCLSPlus : []),
      ...(flags.includeCumulus.value ? BUILT_IN_PROFILE_SETS.includeCumulus : []),
    ]);
    const models = switchProfileModels(BUILT_IN_PROFILE_OBJECTS.filter(o => names.has(nameOf(o))));
    profiles = new BuiltInSwitchProfiles(models, flags, BUILT_IN_PROFILE_SETS);
    cache.set(key, profiles);
  }
  return profiles;
}
