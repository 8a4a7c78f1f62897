import { BuiltInSwitchProfiles } from '../builtInProfiles/catalog';
import { connectionModel } from '../connectionModel';
import { Doc, Report, str } from '../model';
import { checkAttachmentFeatures, checkPortLimits, checkSwitchFeatures } from '../switchProfileFeatures';
import { SwitchProfileModel, checkSwitchPorts, portProblem } from '../switchProfiles';
import { Steps } from '../steps';
import type { Resolver } from './resolver';

/**
 * The rules that need SwitchProfiles (the cluster's, or without them the ones built
 * into Hedgehog that exist under the fabric config's flags): every Switch's profile
 * exists, its port settings name ports the profile has with values it supports, the
 * features it uses are the profile's and its ports after breakout stay within the
 * profile's limits; every switch port of a Connection is a port (or breakout
 * sub-port) of its switch's profile; every VPC attached is in a mode the switches'
 * profiles support. `resolver` resolves a switch of the fabric (Git, context or live)
 * and gives the connection models the other fabric rules derived. Without profiles
 * nothing is checked.
 */
export function* checkSwitchProfiles(
  kinds: { switches: Doc[]; connections: Doc[]; attachments: Doc[] },
  resolver: Pick<Resolver, 'get' | 'derive'>,
  profiles: Map<string, SwitchProfileModel> | undefined,
  report: Report,
): Steps {
  if (!profiles) return;
  const { switches, connections, attachments } = kinds;
  for (const sw of switches) {
    yield;
    const name = str(sw.spec.profile);
    if (!name) continue;
    const profile = profiles.get(name);
    if (!profile) {
      const path = ['spec', 'profile'];
      if (profiles instanceof BuiltInSwitchProfiles) {
        const missing = profiles.missing(name);
        const message = `Switch ${sw.name}: ${missing.message}`;
        if (missing.rule === 'switch.profile-missing') report.config(sw, missing.rule, path, message, missing.given);
        else report.add(sw, missing.rule, path, message);
      } else {
        report.add(sw, 'switch.profile-missing', path, `Switch ${sw.name} uses SwitchProfile ${name}, which the cluster does not have (it has: ${[...profiles.keys()].sort().join(', ')})`);
      }
      continue;
    }
    checkSwitchPorts(sw, profile, report);
    checkSwitchFeatures(sw, profile, report);
    checkPortLimits(sw, profile, report);
  }
  for (const c of connections) {
    yield;
    for (const e of resolver.derive(c.spec, connectionModel).endpoints) {
      if (e.role !== 'switch') continue;
      const sw = resolver.get('Switch', e.device);
      const profile = sw ? profiles.get(str(sw.spec.profile) ?? '') : undefined;
      if (!sw || !profile) continue; // a missing switch or profile is reported on its own
      const problem = portProblem(profile, sw.spec, e.port.slice(e.device.length + 1));
      if (problem) {
        report.add(c, 'connection.port-profile', e.path, `port ${e.port} is not allowed for switch ${e.device}: ${problem}`);
      }
    }
  }
  yield* checkAttachmentFeatures(attachments, resolver, profiles, report);
}
