import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { FabricContext } from './entities';

/**
 * Warnings of fabric owners the catalog does not hold (their entities would show a
 * "not found" owner), each owner once per process.
 */
export class MissingOwnerWarnings {
  /** Owners already warned of. */
  private readonly warned = new Set<string>();

  constructor(private readonly deps: { catalog: CatalogService; auth: AuthService; logger: LoggerService }) {}

  /**
   * Warns (once per owner) of owners the catalog does not hold: their entities
   * would show a "not found" owner. The warning names the keys that set one.
   */
  async check(contexts: FabricContext[]) {
    const { catalog, auth, logger } = this.deps;
    const owners = new Map<string, string[]>();
    for (const ctx of contexts) {
      let ref: string;
      try {
        ref = stringifyEntityRef(
          parseEntityRef(ctx.owner, { defaultKind: 'group', defaultNamespace: 'default' }),
        );
      } catch {
        continue; // not an entity ref: the catalog reports it
      }
      if (this.warned.has(ref)) continue;
      owners.set(ref, [...(owners.get(ref) ?? []), ctx.fabric.name]);
    }
    if (owners.size === 0) return;
    const refs = [...owners.keys()];
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntitiesByRefs({ entityRefs: refs }, { credentials });
    refs.forEach((ref, i) => {
      if (items[i]) return;
      this.warned.add(ref);
      logger.warn(
        `hedgehog entity provider: the owner ${ref} of fabric(s) ${owners.get(ref)!.join(', ')} is not in the catalog; ` +
          'name an existing group or user in hedgehog.fabrics[].owner (or the fabric entity\'s spec.owner), ' +
          'or in catalog.providers.hedgehog.defaultOwner',
      );
    });
  }
}
