/** vvp-iac operator: the VvpDeployment controller, its admission webhook and their runtime. */
export * from './kube/types';
export * from './kube/testing';
export * from './controller/queue';
export * from './controller/rate-limit';
export * from './controller/reconcile';
export * from './controller/controller';
export * from './controller/recorder';
export * from './controller/vvp-clients';
export * from './webhook/review';
export * from './runtime/config';
export * from './runtime/leader';
