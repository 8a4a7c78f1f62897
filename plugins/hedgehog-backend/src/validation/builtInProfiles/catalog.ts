import type { ValidationRuleId } from '@fabric-gitops/plugin-hedgehog-common';
import type { Setting } from '../fabricConfig';
import type { SwitchProfileModel } from '../switchProfiles';

/** A FabricConfig flag that adds built-in profiles (catalog.go `RegisterAll`). */
export type ProfileFlag = 'includeSONiCCLSPlus' | 'includeCumulus';

export interface ProfileFlags extends Record<ProfileFlag, Setting<boolean>> {
  allowExtraSwitchProfiles: Setting<boolean>;
}

/** What to report about a Switch profile that is none of the built-in profiles that exist. */
export interface MissingProfile {
  rule: Extract<ValidationRuleId, 'switch.profile-missing' | 'switch.profile-unknown'>;
  message: string;
  /** The config values the verdict rests on were given (else it is a warning: hhfab's defaults assumed). */
  given: boolean;
}

/**
 * The built-in SwitchProfiles that exist under a fabric config's flags, by name: what
 * validation checks Switches and ports against when the cluster gives no profiles.
 */
export class BuiltInSwitchProfiles extends Map<string, SwitchProfileModel> {
  constructor(
    models: Map<string, SwitchProfileModel>,
    readonly flags: ProfileFlags,
    private readonly sets: Readonly<Record<'default' | ProfileFlag, readonly string[]>>,
  ) {
    super(models);
  }

  /**
   * Why a Switch's profile does not exist. As Hedgehog: a profile of a set whose flag
   * is off is not registered, and without allowExtraSwitchProfiles the SwitchProfile
   * webhook refuses any other (`ValidateCreate` in pkg/ctrl/switchprofile_wh.go), so
   * the Switch webhook finds no such profile. With allowExtraSwitchProfiles the
   * cluster may hold it: a warning that its ports are not checked.
   */
  missing(name: string): MissingProfile {
    const extra = this.flags.allowExtraSwitchProfiles;
    if (extra.value) {
      return {
        rule: 'switch.profile-unknown',
        message: `SwitchProfile ${name} is not one of the SwitchProfiles built into Hedgehog; with allowExtraSwitchProfiles the cluster may have it, but without the cluster's SwitchProfiles its ports are not checked`,
        given: true,
      };
    }
    for (const flag of ['includeSONiCCLSPlus', 'includeCumulus'] as const) {
      if (this.sets[flag].includes(name)) {
        return {
          rule: 'switch.profile-missing',
          message: `SwitchProfile ${name} is built into Hedgehog only when the FabricConfig sets ${flag}: true`,
          given: this.flags[flag].given,
        };
      }
    }
    return {
      rule: 'switch.profile-missing',
      message: `SwitchProfile ${name} is not one of the SwitchProfiles built into Hedgehog (${[...this.keys()].sort().join(', ')}), and without allowExtraSwitchProfiles the cluster has no other`,
      given: extra.given,
    };
  }
}
