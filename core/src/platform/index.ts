/** The platform resources' pure rules (docs/adr/0104-platform-resources.md). */
import { DEPLOYMENT_DEFAULTS_RULES } from './defaults';
import type { PlatformRules } from './rules';
import { SAVEPOINT_RULES } from './savepoint';
import { SECRET_VALUE_RULES } from './secret-value';
import { SESSION_CLUSTER_RULES } from './session-cluster';
import { DEPLOYMENT_TARGET_RULES } from './target';

export * from './rules';
export * from './target';
export * from './session-cluster';
export * from './secret-value';
export * from './defaults';
export * from './savepoint';

/** Every platform resource, by Pulumi type token. */
export const PLATFORM_RULES: Readonly<Record<string, PlatformRules>> = Object.fromEntries(
  [DEPLOYMENT_TARGET_RULES, SESSION_CLUSTER_RULES, SECRET_VALUE_RULES, DEPLOYMENT_DEFAULTS_RULES, SAVEPOINT_RULES].map(
    (r) => [r.type, r],
  ),
);
