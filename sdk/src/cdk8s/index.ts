/** vvp-iac/cdk8s: constructs that emit VvpDeployment custom resources and the operator that reconciles them. */
export * from './vvp-deployment';
export * from './vvp-operator';
/** Low-level classes generated from the CRD by `cdk8s import` (unknown VVP fields are dropped; prefer VvpDeployment). */
export * as imports from './imports/ververica.platform';
