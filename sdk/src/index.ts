/**
 * vvp-iac. The surfaces load from their subpaths so that nothing heavy loads by accident:
 * `vvp-iac/pulumi` (Pulumi resource), `vvp-iac/cdk8s` (constructs), `vvp-iac/core`, `vvp-iac/client`, `vvp-iac/emulator`.
 * This entry point carries their types only.
 */
export type * as pulumi from './pulumi/index';
export type * as cdk8s from './cdk8s/index';
