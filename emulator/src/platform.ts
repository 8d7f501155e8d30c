/**
 * The platform options of an emulator (ADR 0009), checked once for both entry points: `startEmulator` names the
 * options (`profile`, `unknownFields`, ...), the command line names its flags (`--profile`, ...). A bad value is an
 * Error naming the option or flag; the CLI exits 2 with it.
 */
import { checkGlobalDefaults, loadGlobalDefaults } from './globaldefaults';
import type { Json } from './json';
import { TARGET_NAME, type UnknownFields } from './model';
import { DEFAULT_PROFILE, modelOf, profileNamed, unknownFieldPolicy, type ProfileName } from './profiles';

/** The platform options as given (strings from flags, or the typed options). */
export interface PlatformInput {
  profile?: string;
  unknownFields?: string;
  defaultTarget?: string;
  /** The global defaults as a value (the option)... */
  globalDefaults?: unknown;
  /** ...or a JSON or YAML file to read them from (the flag). */
  globalDefaultsFile?: string;
}

/** The checked platform options, as the Store takes them. */
export interface PlatformOptions {
  profile: ProfileName;
  unknownFields?: UnknownFields;
  defaultTarget?: string;
  globalDefaults?: Json;
}

/** How the values are named in errors. */
export const OPTION_NAMES = {
  profile: 'profile',
  unknownFields: 'unknownFields',
  defaultTarget: 'defaultTarget',
  globalDefaults: 'globalDefaults',
};
export const FLAG_NAMES = {
  profile: '--profile',
  unknownFields: '--unknown-fields',
  defaultTarget: '--default-target',
  globalDefaults: '--global-defaults',
};

/** Checks the platform options; throws an Error naming the option or flag. */
export function checkPlatform(input: PlatformInput, names = OPTION_NAMES): PlatformOptions {
  const profile = profileNamed(input.profile ?? DEFAULT_PROFILE, names.profile);
  const unknownFields =
    input.unknownFields === undefined ? undefined : unknownFieldPolicy(input.unknownFields, names.unknownFields);
  const target = input.defaultTarget;
  if (target !== undefined && !TARGET_NAME.test(target))
    throw new Error(
      `${names.defaultTarget} must be a deployment target name of at most 250 characters of [0-9a-zA-Z-_] (got ${JSON.stringify(target)})`,
    );
  const model = modelOf(profile, unknownFields);
  const globalDefaults =
    input.globalDefaultsFile !== undefined
      ? loadGlobalDefaults(input.globalDefaultsFile, model)
      : input.globalDefaults !== undefined
        ? checkGlobalDefaults(input.globalDefaults, model, names.globalDefaults)
        : undefined;
  return {
    profile: profile.name,
    ...(unknownFields ? { unknownFields } : {}),
    ...(target !== undefined ? { defaultTarget: target } : {}),
    ...(globalDefaults ? { globalDefaults } : {}),
  };
}
