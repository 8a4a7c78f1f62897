/**
 * Extension points, fabric permission rules and conditions of the Hedgehog
 * fabric GitOps backend plugin.
 *
 * @packageDocumentation
 */
export * from './fabrics';
export * from './extensions';
export * from './config';
export * from './catalogFabricPolicy';
export * from './repositoryPattern';
export * from './permissions';
export * from './gitAskpass';
