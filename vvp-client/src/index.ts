/** vvp-iac VVP client: typed REST access to Ververica Platform, with typed errors and retries. */
export * from './client';
export * from './errors';
// FakeVvpClient (./testing) is its own entry point, `vvp-iac/testing`, so test fakes never ship with the client.
export * from './workflows/index';
export * from './platform';
