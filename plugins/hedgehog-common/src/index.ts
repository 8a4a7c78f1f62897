/**
 * Common types, the kinds table, permissions and the API client of the Hedgehog
 * fabric GitOps plugins.
 *
 * @packageDocumentation
 */
export * from './kinds';
export * from './names';
export * from './annotations';
export * from './permissions';
export * from './vocabulary';
export * from './types';
export * from './findingTypes';
export * from './client';
export * from './hedgehogApi';
export * from './validation';
export * from './layout';
export * from './gitopsLocation';
export * from './describeValue';
export * from './classifyDocument';
export * from './documentLabel';
export * from './errorLine';
export * from './findings';
export * from './search';
export * from './addFabric';
export * from './scope';
export * from './topology';
export * from './changePlan';
export * from './resourceHistory';
export * from './restore';
export * from './signals';
