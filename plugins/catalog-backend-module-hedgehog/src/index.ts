/**
 * Catalog integration of the Hedgehog fabric GitOps plugins:
 *
 * - the default export is a catalog module with an entity provider for the
 *   switches, servers and VPCs of every fabric;
 * - `hedgehogModuleCatalogFabrics` (also the default export of the
 *   `/catalog-fabrics` entry point) is a module of the hedgehog backend plugin
 *   that makes fabrics declared as catalog entities known to it.
 *
 * ```ts
 * backend.add(import('@fabric-gitops/plugin-catalog-backend-module-hedgehog'));
 * backend.add(import('@fabric-gitops/plugin-catalog-backend-module-hedgehog/catalog-fabrics'));
 * ```
 *
 * @packageDocumentation
 */
export { catalogModuleHedgehogEntityProvider as default } from './provider/module';
export {
  catalogModuleHedgehogEntityProvider,
  pluginTokenFetch,
} from './provider/module';
export { hedgehogModuleCatalogFabrics } from './fabrics/module';
export {
  CatalogFabricSource,
  fabricFromEntity,
} from './fabrics/CatalogFabricSource';
export { HedgehogEntityProvider } from './provider/HedgehogEntityProvider';
export { fabricRefOf } from './provider/fabricResources';
export type { HedgehogReadApi } from './provider/fabricResources';
export type {
  HedgehogEntityProviderOptions,
  ConfiguredFabric,
} from './provider/HedgehogEntityProvider';
export {
  ANNOTATION_FABRIC,
  ANNOTATION_RESOURCE_KIND,
  ANNOTATION_RESOURCE_NAME,
  RESOURCE_ENTITY_TYPES,
} from './provider/entities';
