/**
 * Scaffolder actions that bootstrap Hedgehog fabric GitOps directories and add
 * resources to them.
 *
 * @packageDocumentation
 */
export { scaffolderModuleHedgehog as default } from './module';
export { createBootstrapFabricAction } from './actions/bootstrapFabric';
export { createAddResourceAction } from './actions/addResource';
export { createPushFabricAction } from './actions/pushFabric';
export { createCheckoutFabricAction } from './actions/checkoutFabric';
export type { FabricValidator, ValidationAnswer } from './lib/backendValidation';
export { BackendFabricValidator } from './lib/backendValidation';
export type { FabricEntityInfo, FabricEntityReader } from './lib/fabricEntity';
export { CatalogFabricEntityReader } from './lib/fabricEntity';
