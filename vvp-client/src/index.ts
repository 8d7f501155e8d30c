/** vvp-iac VVP client: typed REST access to Ververica Platform, with typed errors and retries. */
export * from './client';
export * from './errors';
export * from './testing';
export * from './workflows/index';
