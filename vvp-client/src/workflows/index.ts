/** The VVP workflows every entry point calls: create or adopt, project, nonces, delete, best-effort events. */
export * from './context';
export * from './create';
export * from './project';
export * from './nonces';
export * from './delete';
export * from './refusal';
export * from './autopilot';
