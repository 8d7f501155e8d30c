/** vvp-iac Pulumi provider: the dynamic provider of vvp:Deployment over core and the VVP client. */
export * from './types';
export * from './connection';
export * from './errors';
export * from './wait';
export * from './handlers';
export * from './shell';
export { configureRuntime, runtimeHandlers, pulumiLog } from './runtime';
