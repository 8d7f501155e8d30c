/** The deletion path (docs/contract.md §7): delete an inactive deployment; block while it is active. */
import type { DeploymentRef, VvpDeployment } from '../../../core/src/model/deployment';
import { isInactive, needsCancelBeforeDelete } from '../../../core/src/state';
import { buildStatePatch } from '../../../core/src/sync/index';
import { deletionIssues } from '../../../core/src/validate';
import { isNotFound, type VvpClient } from '../../../vvp-client/src/index';

/** What the deletion path needs. */
export interface FinalizeInput {
  vvp: VvpClient;
  current: VvpDeployment;
  target: DeploymentRef;
  /** Records DeletionBlocked=True/DeploymentActive with this message. */
  draftBlocked(message: string): void;
}

/**
 * Deletes the deployment when it is inactive (first setting the desired state to CANCELLED when VVP would refuse
 * the DELETE, e.g. FAILED while desired RUNNING); otherwise records DeletionBlocked and leaves it running.
 */
export async function finalizeDeployment(input: FinalizeInput): Promise<{ deleted: boolean }> {
  const { vvp, current, target } = input;
  const actual = current.status?.state;
  if (!isInactive(actual)) {
    const issue = deletionIssues(`deployment ${target.namespace}/${target.name}`, actual ?? 'unknown')[0];
    input.draftBlocked(
      `${issue?.message ?? `deployment ${target.namespace}/${target.name} is ${actual}`}. The CR stays Terminating until the deployment is inactive; then it is deleted from VVP and the finalizer released`,
    );
    return { deleted: false };
  }
  if (needsCancelBeforeDelete(current.spec.state)) {
    await vvp.patchDeployment(target.namespace, target.name, buildStatePatch('CANCELLED'));
  }
  try {
    await vvp.deleteDeployment(target.namespace, target.name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return { deleted: true };
}
