/** vvp-iac for Pulumi: `import { Deployment } from 'vvp-iac/pulumi'` (VvpDeploymentCR: `vvp-iac/pulumi-kubernetes`). */
export * from './deployment';
export * from './platform';
// the serialized provider falls back to these when the program's path to the runtime moved (provider/src/shell.ts)
export { configureRuntime, runtimeHandlers, runtimePlatformHandlers } from '../../../provider/src/runtime';
export { vvpDeploymentProvider } from '../../../provider/src/shell';
export type { ProviderInputs, ProviderOutputs } from '../../../provider/src/types';
