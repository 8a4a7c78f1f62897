import { LoggerService } from '@backstage/backend-plugin-api';
import { WIRING_GROUP, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricConfigInput } from '../validation/fabricConfig';
import { mergeFabricConfig, readFabricConfigYaml } from '../validation/fabricConfigInput';
import { ValidationNeeds, validationNeeds } from '../validation/references';
import { ValidateFabricOptions } from '../validation/validateFabric';
import { ClusterClient, ClusterError } from './ClusterClient';

/** Where Hedgehog keeps its controller config (docs/hedgehog.md#controller-configmap). */
const FABRIC_CONFIG_MAP = { namespace: 'fab', name: 'fabric-ctrl-config', key: 'config.yaml' } as const;

/** SwitchProfile: a wiring kind outside the managed 12, read only. */
const SWITCH_PROFILE_KIND = { kind: 'SwitchProfile', group: WIRING_GROUP, version: 'v1beta1', plural: 'switchprofiles' } as const;

/** What validation gets from the fabric's config and cluster, and what a run records about it. */
export interface ValidationInputs {
  options: Pick<ValidateFabricOptions, 'config' | 'live' | 'switchProfiles' | 'offline'>;
  /** Where the FabricConfig came from. */
  configSource: 'cluster' | 'app-config' | 'cluster+app-config' | 'defaults';
  counts: Record<string, number>;
  /** One line per source: what was used, or why validation ran without it. */
  notes: string[];
  /** The cluster could not be reached: everything cluster-dependent ran offline. */
  offline?: string;
}

/** A 403 or 404: the cluster answers but we may not (or cannot) read it. */
const isAbsent = (e: unknown) => e instanceof ClusterError && (e.status === 403 || e.status === 404);

/**
 * Reads what validation needs from a fabric's cluster and app-config: the FabricConfig
 * (cluster ConfigMap, then app-config, then hhfab's defaults), the live objects of the
 * referenced kinds the validated objects hold none of (one paginated LIST per kind), and
 * the SwitchProfiles. A missing ConfigMap or SwitchProfile CRD, or no RBAC for them,
 * falls back quietly (logged once); an unreachable cluster makes everything offline.
 * Never throws.
 */
export class ValidationContextLoader {
  private readonly logged = new Set<string>();

  constructor(private readonly logger: LoggerService) {}

  async load(input: {
    fabric: string;
    /** The objects validated, or what they need (computed where they are, e.g. in a worker thread). */
    objects: unknown[] | ValidationNeeds;
    appConfig?: FabricConfigInput;
    client?: ClusterClient;
  }): Promise<ValidationInputs> {
    const { fabric, client, appConfig } = input;
    const notes: string[] = [];
    const counts: Record<string, number> = {};
    const base = (clusterConfig?: FabricConfigInput): ValidationInputs => {
      const config = mergeFabricConfig(clusterConfig, appConfig);
      let configSource: ValidationInputs['configSource'] = 'defaults';
      if (clusterConfig) configSource = appConfig ? 'cluster+app-config' : 'cluster';
      else if (appConfig) configSource = 'app-config';
      if (configSource === 'defaults') notes.push("FabricConfig: hhfab's defaults (config-dependent findings are warnings)");
      if (configSource === 'app-config') notes.push(`FabricConfig: hedgehog.fabrics[${fabric}].fabricConfig`);
      return { options: { config }, configSource, counts, notes };
    };
    if (!client) return base();

    const requestsBefore = client.requests;
    let clusterConfig: FabricConfigInput | undefined;
    try {
      clusterConfig = await this.readConfig(fabric, client, notes);
      const needs = Array.isArray(input.objects) ? validationNeeds(input.objects) : input.objects;
      const kinds = needs.kinds;
      const [live, profiles] = await Promise.all([
        Promise.all(kinds.map(k => client.list(findKind(k)!))).then(lists => lists.flat()),
        needs.switchProfiles ? this.readProfiles(fabric, client, notes) : Promise.resolve(undefined),
      ]);
      const result = base(clusterConfig);
      result.options.live = live;
      if (profiles) result.options.switchProfiles = profiles;
      counts.liveKinds = kinds.length;
      counts.liveObjects = live.length;
      counts.switchProfiles = profiles?.length ?? 0;
      counts.clusterRequests = client.requests - requestsBefore;
      if (kinds.length > 0) notes.push(`live objects: ${live.length} of ${kinds.join(', ')} from cluster ${client.name}`);
      return result;
    } catch (e) {
      // unreachable (or failing): the offline behaviour, recorded, not a failed run
      const message = e instanceof Error ? e.message : String(e);
      this.once(`${fabric}:offline:${message}`, 'warn', `hedgehog: validating fabric ${fabric} offline: ${message}`);
      notes.length = 0;
      const result = base();
      result.offline = message;
      // a reference validation cannot check says why
      result.options.offline = message;
      result.counts.clusterRequests = client.requests - requestsBefore;
      result.notes.unshift(`cluster ${client.name} unreachable, validated offline (references to kinds Git lacks are warnings, ports are checked against Hedgehog's built-in SwitchProfiles): ${message}`);
      return result;
    }
  }

  private async readConfig(fabric: string, client: ClusterClient, notes: string[]): Promise<FabricConfigInput | undefined> {
    const { namespace, name, key } = FABRIC_CONFIG_MAP;
    let data: Record<string, string> | undefined;
    try {
      data = await client.readConfigMap(namespace, name);
    } catch (e) {
      if (!isAbsent(e)) throw e;
      this.once(`${fabric}:config-forbidden`, 'info', `hedgehog: fabric ${fabric}: ${(e as Error).message}; using the app-config or hhfab's default FabricConfig`);
      notes.push(`FabricConfig: ConfigMap ${namespace}/${name} not readable (${(e as ClusterError).status})`);
      return undefined;
    }
    if (!data) {
      this.once(`${fabric}:config-missing`, 'info', `hedgehog: fabric ${fabric}: cluster ${client.name} has no ConfigMap ${namespace}/${name}; using the app-config or hhfab's default FabricConfig`);
      notes.push(`FabricConfig: cluster ${client.name} has no ConfigMap ${namespace}/${name}`);
      return undefined;
    }
    const text = data[key];
    if (typeof text !== 'string' || text.trim() === '') {
      notes.push(`FabricConfig: ConfigMap ${namespace}/${name} has no key ${key}`);
      return undefined;
    }
    const { config, problems } = readFabricConfigYaml(text);
    if (problems.length > 0) {
      this.once(`${fabric}:config-problems:${problems.join(';')}`, 'warn', `hedgehog: fabric ${fabric}: ConfigMap ${namespace}/${name} key ${key}: ignoring ${problems.join('; ')}`);
    }
    if (Object.keys(config).length === 0) return undefined;
    notes.push(`FabricConfig: ConfigMap ${namespace}/${name} of cluster ${client.name}`);
    return config;
  }

  private async readProfiles(fabric: string, client: ClusterClient, notes: string[]) {
    try {
      const profiles = await client.list(SWITCH_PROFILE_KIND);
      if (profiles.length === 0) {
        notes.push(`SwitchProfiles: cluster ${client.name} has none; ports are checked against Hedgehog's built-in profiles`);
        return undefined;
      }
      notes.push(`SwitchProfiles: ${profiles.length} from cluster ${client.name}`);
      return profiles;
    } catch (e) {
      if (!isAbsent(e)) throw e;
      this.once(`${fabric}:profiles`, 'info', `hedgehog: fabric ${fabric}: ${(e as Error).message}; switch ports are checked against Hedgehog's built-in SwitchProfiles`);
      notes.push(`SwitchProfiles: not readable (${(e as ClusterError).status}); ports are checked against Hedgehog's built-in profiles`);
      return undefined;
    }
  }

  private once(key: string, level: 'info' | 'warn', message: string) {
    if (this.logged.has(key)) return;
    if (this.logged.size >= 1000) this.logged.clear(); // distinct error texts must not grow it forever
    this.logged.add(key);
    this.logger[level](message);
  }
}
