/** Step: the deletion path (contract §7) — delete an inactive deployment and release the CR; block while active. */
import { DELETION_BLOCKED, Reasons } from '../../../../core/src/conditions';
import type { VvpDeployment } from '../../../../core/src/model/deployment';
import { isInactive } from '../../../../core/src/state';
import { deletionIssues } from '../../../../core/src/validate';
import { deleteDeployment } from '../../../../vvp-client/src/index';
import { EventReasons } from '../events';
import { warnOnTransition, type DeploymentContext } from './context';
import { removeFinalizer } from './finalizer';

/**
 * Deletes the deployment when it is inactive (the workflow cancels first where VVP would refuse the DELETE) and
 * removes the finalizer; otherwise records DeletionBlocked, warns once, and leaves it running.
 */
export async function deletionStep(ctx: DeploymentContext, current: VvpDeployment): Promise<void> {
  const { target } = ctx;
  const where = `${target.namespace}/${target.name}`;
  const actual = current.status?.state;
  if (!isInactive(actual)) {
    const issue = deletionIssues(`deployment ${where}`, actual ?? 'unknown')[0];
    const message = `${issue?.message ?? `deployment ${where} is ${actual}`}. The CR stays Terminating until the deployment is inactive; then it is deleted from VVP and the finalizer released`;
    ctx.draft.set({ type: DELETION_BLOCKED, status: 'True', reason: Reasons.DeploymentActive, message });
    await warnOnTransition(ctx, DELETION_BLOCKED, EventReasons.DeletionBlocked, message);
    return;
  }
  await deleteDeployment(ctx.flow, { ref: target, deployment: current, ownership: ctx.ownership });
  await ctx.deps.recorder.emit(
    ctx.cr,
    'Normal',
    EventReasons.Deleted,
    `deleted deployment ${where} (id ${current.metadata.id}) from VVP`,
  );
  await removeFinalizer(ctx, 'deployment deleted');
}
