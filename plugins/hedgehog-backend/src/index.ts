/**
 * The Hedgehog fabric GitOps backend plugin.
 *
 * @packageDocumentation
 */
export { hedgehogPlugin as default } from './plugin';
