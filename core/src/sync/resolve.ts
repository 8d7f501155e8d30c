/** The CR's deployment, normalised: `userMetadata` is an alias of `metadata`. */
import { isPlainObject } from '../json';
import type { CrDeployment, Deployment } from '../model/generated';

/**
 * Returns the deployment with `userMetadata` folded into `metadata` (validation rejects both at once); anything
 * that is not an object (a string, an array: invalid input) resolves to an empty deployment.
 */
export function resolveDeployment(deployment: CrDeployment | undefined): Deployment {
  if (!isPlainObject(deployment)) return {};
  const { userMetadata, ...rest } = deployment;
  return rest.metadata || !userMetadata ? rest : { ...rest, metadata: userMetadata };
}
