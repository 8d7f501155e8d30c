/** The CR's deployment, normalised: `userMetadata` is an alias of `metadata`. */
import type { CrDeployment, Deployment } from '../model/generated';

/** Returns the deployment with `userMetadata` folded into `metadata` (validation rejects both at once). */
export function resolveDeployment(deployment: CrDeployment | undefined): Deployment {
  if (!deployment) return {};
  const { userMetadata, ...rest } = deployment;
  return rest.metadata || !userMetadata ? rest : { ...rest, metadata: userMetadata };
}
