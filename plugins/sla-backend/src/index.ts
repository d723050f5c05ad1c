/**
 * Service level management for Backstage: the backend plugin.
 *
 * @packageDocumentation
 */
export { slaPlugin as default } from './plugin';
