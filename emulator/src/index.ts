/** The VVP emulator: a local Ververica Platform REST API for tests and development. */
export { startEmulator, type EmulatorHandle, type EmulatorOptions, type RequestRecord } from './server';
export { Faults, type BehaviourFaults, type RouteFault } from './faults';
export { GLOBAL_DEFAULTS, type Role } from './store';
