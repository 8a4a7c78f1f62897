export { validateFabric } from './validateFabric';
export type { FabricDocument, ValidateFabricOptions, ValidationResult } from './validateFabric';
export { HHFAB_DEFAULTS, resolveFabricConfig } from './fabricConfig';
export type { FabricConfigInput } from './fabricConfig';
export { generateFabric } from './bench/generateFabric';
