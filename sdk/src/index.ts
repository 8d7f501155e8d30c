/**
 * vvp-iac: the deployment model and the contract's rules (the same as `vvp-iac/core`; docs/contract.md). The
 * surfaces load from their subpaths, each needing only its own optional peer dependencies: `vvp-iac/pulumi`
 * (`@pulumi/pulumi`), `vvp-iac/pulumi-kubernetes` (+ `@pulumi/kubernetes`), `vvp-iac/cdk8s` (`cdk8s`, `constructs`),
 * `vvp-iac/client`, `vvp-iac/testing`, `vvp-iac/emulator`.
 */
export * from '../../core/src/index';
