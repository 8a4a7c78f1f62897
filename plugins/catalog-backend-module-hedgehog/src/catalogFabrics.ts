/**
 * The hedgehog backend module that makes fabrics declared as catalog entities
 * known to the hedgehog plugin:
 *
 * ```ts
 * backend.add(import('@fabric-gitops/plugin-catalog-backend-module-hedgehog/catalog-fabrics'));
 * ```
 *
 * @packageDocumentation
 */
export { hedgehogModuleCatalogFabrics as default } from './fabrics/module';
