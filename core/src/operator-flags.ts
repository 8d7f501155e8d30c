/**
 * How the operator's settings are named on its command line and in its environment: the one naming rule, shared by
 * the operator's flag table and the cdk8s chart that renders its container arguments and variables.
 */

/** Prefix of the operator's environment variables. */
export const OPERATOR_ENV_PREFIX = 'VVP_OPERATOR_';

/** The flag of a setting: `webhookPort` → `webhook-port` (without the leading dashes). */
export function operatorFlagName(setting: string): string {
  return setting.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The environment variable of a flag: `vvp-url` → `VVP_OPERATOR_VVP_URL`. */
export function operatorEnvName(flag: string): string {
  return `${OPERATOR_ENV_PREFIX}${flag.toUpperCase().replace(/-/g, '_')}`;
}
