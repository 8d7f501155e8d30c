/**
 * The emulator's platform profiles: ONE table of how each emulated VVP version differs (ADR 0009). The rest of the
 * emulator reads a profile's row through `PlatformState.profile`; nothing else branches on a version name.
 */
import { HttpError } from './errors';
import { MODELS, type Model, type ModelName, type UnknownFields } from './model';

/** The profile names (`--profile`). */
export type ProfileName = 'vvp-2.4' | 'vvp-3' | 'lenient';

/** Where VVP 3 takes the engine version name (ADR 0009: the placement is unverified; this is the one constant). */
export const ENGINE_VERSION_PATH = 'spec.template.spec.artifact.engineVersionName';

/** One emulated platform. */
export interface Profile {
  readonly name: ProfileName;
  /** One line for --help and the docs. */
  readonly description: string;
  /** The MODELS entry writes are checked against. */
  readonly model: ModelName;
  /** What happens to fields outside the model unless `unknownFields` / `--unknown-fields` says otherwise. */
  readonly unknownFields: UnknownFields;
  /** Whether `metadata.description` is a field (kept; PUT never changes it). */
  readonly deploymentDescription: boolean;
  /** The field path of the engine version name, when the version has one. */
  readonly engineVersionPath?: string;
  /** Whether `POST /api/v1/namespaces/{ns}/events` exists (otherwise 405). */
  readonly eventsPost: boolean;
  /** Whether `DELETE /api/v1/namespaces/{ns}/savepoints/{id}` exists (otherwise 405). */
  readonly savepointDelete: boolean;
  /** Whether lowercase enum input (`jar`, `stateless`, `latest_state`) is stored upper-cased instead of rejected. */
  readonly upperCaseEnums: boolean;
  /** Whether API writes to an operator-managed deployment are refused to every caller but its manager (ADR 0009). */
  readonly writeProtection: boolean;
  /**
   * How an ACTIVE Autopilot policy scales a RUNNING deployment (ADR 0010): `spec-patch` PATCHes the deployment's
   * parallelism (VVP 2); `scaling-operation` runs the job through CANCELLED and STARTING back to RUNNING with a new
   * runtime parallelism, leaving the spec's parallelism alone (VVP 3).
   */
  readonly autopilot: 'spec-patch' | 'scaling-operation';
}

/** The profiles. The default is vvp-3, the platform of the seed document. */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  'vvp-2.4': {
    name: 'vvp-2.4',
    description: 'VVP 2.4.3: closed swagger model (flinkVersion, flinkImage*), no POST /events',
    model: 'vvp-2.4',
    unknownFields: 'drop',
    deploymentDescription: false,
    eventsPost: false,
    savepointDelete: false,
    upperCaseEnums: true,
    writeProtection: false,
    autopilot: 'spec-patch',
  },
  'vvp-3': {
    name: 'vvp-3',
    description: 'VVP 3: description, engineVersionName, events, operator-managed deployments protected',
    model: 'vvp-3',
    unknownFields: 'drop',
    deploymentDescription: true,
    engineVersionPath: ENGINE_VERSION_PATH,
    eventsPost: true,
    savepointDelete: true,
    upperCaseEnums: true,
    writeProtection: true,
    autopilot: 'scaling-operation',
  },
  lenient: {
    name: 'lenient',
    description: 'every field of both, unknown fields kept (ADR 0002), no write protection',
    model: 'lenient',
    unknownFields: 'keep',
    deploymentDescription: true,
    engineVersionPath: ENGINE_VERSION_PATH,
    eventsPost: true,
    savepointDelete: true,
    upperCaseEnums: true,
    writeProtection: false,
    autopilot: 'spec-patch',
  },
};

/** The profile used when none is given. */
export const DEFAULT_PROFILE: ProfileName = 'vvp-3';
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
export const UNKNOWN_FIELD_POLICIES: readonly UnknownFields[] = ['drop', 'reject', 'keep'];

/** A profile by name; an Error naming the accepted ones otherwise (`what` names the option or flag). */
export function profileNamed(name: string, what = 'profile'): Profile {
  if (!Object.hasOwn(PROFILES, name))
    throw new Error(`${what} must be one of ${PROFILE_NAMES.join(', ')} (got ${JSON.stringify(name)})`);
  return PROFILES[name as ProfileName];
}

/** Checks an unknown-field policy value (`what` names the option or flag). */
export function unknownFieldPolicy(value: string, what = 'unknownFields'): UnknownFields {
  if (!UNKNOWN_FIELD_POLICIES.includes(value as UnknownFields))
    throw new Error(`${what} must be one of ${UNKNOWN_FIELD_POLICIES.join(', ')} (got ${JSON.stringify(value)})`);
  return value as UnknownFields;
}

/** The model one emulator checks writes against: the profile's shapes and policies. */
export function modelOf(profile: Profile, unknownFields?: UnknownFields): Model {
  return {
    ...MODELS[profile.model],
    name: profile.model,
    unknownFields: unknownFields ?? profile.unknownFields,
    upperCaseEnums: profile.upperCaseEnums,
  };
}

/** 405 for a route the profile's platform does not have (the path exists, the method does not). */
export function notInProfile(profile: Profile, what: string, hint: string): HttpError {
  return new HttpError(405, `${what} is not supported by ${profile.name} (emulator profile ${profile.name}); ${hint}`);
}
