/** The platform resources of the providers, by Pulumi type token (docs/adr/0104-platform-resources.md). */
import type { Handlers } from '../handlers';
import type { HandlerDeps } from '../operation';
import { deploymentDefaults } from './defaults';
import { createPlatformHandlers } from './handlers';
import type { PlatformResource } from './operation';
import { savepoint } from './savepoint';
import { secretValue } from './secret-value';
import { sessionCluster } from './session-cluster';
import { deploymentTarget } from './target';

export { createPlatformHandlers, outputsOf } from './handlers';
export { PlatformRefusedError, type PlatformResource } from './operation';

/** Every platform resource, by type token (`vvp:index:SessionCluster`). */
export const PLATFORM_RESOURCES: Readonly<Record<string, PlatformResource>> = Object.fromEntries(
  [deploymentTarget, sessionCluster, secretValue, deploymentDefaults, savepoint].map((r) => [r.rules.type, r]),
);

/** The handlers of the platform resource `type`, or undefined for another type (the Deployment). */
export function platformHandlersFor(type: string, deps: HandlerDeps): Handlers | undefined {
  const resource = PLATFORM_RESOURCES[type];
  return resource ? createPlatformHandlers(resource, deps) : undefined;
}
