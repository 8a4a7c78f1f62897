import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ClusterClient } from '../cluster/ClusterClient';
import { ValidationContextLoader, ValidationInputs } from '../cluster/validationContext';
import { ValidationNeeds } from '../validation/references';
import { GitCredentials } from '../git/runGit';
import { GitWorkspace } from '../git/GitWorkspace';
import { PipelineOptions } from './options';
import { RepositoryAccess } from './review/RepositoryAccess';
import { ReviewDelivery, reviewDeliveryFor } from './review/ReviewDelivery';

/**
 * What a fabric's runs talk to, made from its definition and the plugin's
 * options: its cached clone, its cluster's client, its validation context and,
 * in write mode `pull-request`, its review delivery.
 */
export class FabricAccess {
  private readonly validationContext: ValidationContextLoader;

  constructor(
    private readonly deps: {
      options: PipelineOptions;
      logger: LoggerService;
      repositories: RepositoryAccess;
    },
  ) {
    this.validationContext = new ValidationContextLoader(deps.logger);
  }

  /** A client of the fabric's cluster; undefined when it has none. Throws for a cluster that is not configured. */
  clusterClient(fabric: FabricDefinition): ClusterClient | undefined {
    if (!fabric.cluster) return undefined;
    const def = this.deps.options.clusters.find(c => c.name === fabric.cluster);
    if (!def) throw new InputError(`cluster ${fabric.cluster} of fabric ${fabric.name} is not configured`);
    return new ClusterClient(def);
  }

  /**
   * What validating objects of a fabric uses besides them: its FabricConfig (cluster
   * ConfigMap, app-config, defaults), and when it has a cluster the live objects of the
   * referenced kinds the objects hold none of and the SwitchProfiles. An unreachable
   * cluster gives the offline inputs; only a fabric naming an unknown cluster throws.
   */
  async validationInputs(
    fabric: FabricDefinition,
    objects: unknown[] | ValidationNeeds,
    client: ClusterClient | undefined = this.clusterClient(fabric),
  ): Promise<ValidationInputs> {
    return this.validationContext.load({
      fabric: fabric.name,
      objects,
      appConfig: this.deps.options.fabricConfigs?.[fabric.name],
      client,
    });
  }

  /** The fabric's cached clone (created on first use). */
  openWorkspace(fabric: FabricDefinition, credentials: GitCredentials | undefined): Promise<GitWorkspace> {
    const { options } = this.deps;
    return GitWorkspace.open({
      cacheDir: options.workingDirectory,
      url: fabric.git.url,
      branch: fabric.git.branch,
      dirPath: fabric.git.path,
      credentials,
      author: options.git.author,
      timeoutMs: options.git.timeoutMs,
    });
  }

  /** Write mode `pull-request`: where the sync's commit goes for review (undefined when not on GitHub). */
  reviewDelivery(fabric: FabricDefinition): ReviewDelivery | undefined {
    if (fabric.git.writeMode !== 'pull-request') return undefined;
    return reviewDeliveryFor(this.deps.repositories, fabric);
  }
}
