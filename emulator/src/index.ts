/** The VVP emulator: a local Ververica Platform REST API for tests and development. */
export {
  startEmulator,
  DEFAULT_MAX_REQUEST_LOG,
  type EmulatorHandle,
  type EmulatorOptions,
  type RequestRecord,
} from './server';
export { Faults, type BehaviourFaults, type RouteFault } from './faults';
export { GLOBAL_DEFAULTS, DEFAULT_MAX_EVENTS, Store, type Role } from './store';
export { DEFAULT_BODY_LIMITS } from './body';
export { DEFAULT_PROFILE, PROFILES, type Profile, type ProfileName } from './profiles';
export type { UnknownFields } from './model';
export { ManualScheduler, realScheduler, type Scheduler } from './scheduler';
