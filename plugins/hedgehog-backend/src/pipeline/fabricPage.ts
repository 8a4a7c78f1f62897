import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';

/**
 * The path of the fabric's page in the app (its entity's Fabric tab):
 * `/catalog/<namespace>/resource/<name>/hedgehog`. A fabric of a catalog entity has
 * that entity's; any other has the entity the catalog module makes of it
 * (`resource:default/<fabric>`).
 */
export function fabricPagePath(fabric: Pick<FabricDefinition, 'name' | 'source'>): string {
  const m = /^resource:([^/]+)\/(.+)$/i.exec(fabric.source);
  const [namespace, name] = m ? [m[1], m[2]] : ['default', fabric.name];
  return `/catalog/${encodeURIComponent(namespace)}/resource/${encodeURIComponent(name)}/hedgehog`;
}
