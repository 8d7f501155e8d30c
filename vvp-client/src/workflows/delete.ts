/** Deleting a deployment in VVP (contract section 7): cancel first when VVP would refuse the DELETE; 404 is done. */
import type { DeploymentRef, VvpDeployment } from '../../../core/src/model/deployment';
import type { Ownership } from '../../../core/src/ownership';
import { needsCancelBeforeDelete } from '../../../core/src/state';
import { isNotFound } from '../errors';
import type { WorkflowContext } from './context';
import { setDesiredState } from './project';

/**
 * Deletes an inactive deployment. VVP accepts a DELETE only with desired state CANCELLED or SUSPENDED, so a
 * deployment still meant to run (FAILED or FINISHED while desired RUNNING) gets desired state CANCELLED first.
 */
export async function deleteDeployment(
  ctx: WorkflowContext,
  request: { ref: DeploymentRef; deployment: VvpDeployment; ownership: Ownership },
): Promise<void> {
  const { ref, deployment } = request;
  if (needsCancelBeforeDelete(deployment.spec.state))
    await setDesiredState(ctx, { ref, state: 'CANCELLED', ownership: request.ownership, from: deployment.spec.state });
  try {
    await ctx.client.deleteDeployment(ref.namespace, ref.name);
  } catch (err) {
    if (!isNotFound(err, 'vvp')) throw err;
  }
}
