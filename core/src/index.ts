/** vvp-iac core: the deployment model and every rule of the contract, pure (no I/O, no clock, no env). */
export * from './model/generated';
export * from './model/deployment';
export * from './json';
export * from './state';
export * from './ownership';
export * from './sync/index';
export * from './diff';
export * from './nonce';
export * from './conditions';
export * from './validate';
export * from './errors';
export * from './events';
export * from './drift';
export * from './projection';
export * from './resource-settings';
export * from './custom-resource';
export * from './projection-gate';
