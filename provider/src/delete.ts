/** delete(): follow deletionPolicy (requireInactive, cancel, suspend, retain), then the shared delete workflow. */
import { DEFAULT_DELETION_POLICY, isInactive } from '../../core/src/index';
import { deleteDeployment, setDesiredState } from '../../vvp-client/src/index';
import { DeletionRefusedError } from './errors';
import type { Operation } from './operation';
import { waitForState } from './wait';

/** Deletes as the policy says; a deployment gone already (or replaced under the name) counts as deleted. */
export async function deleteResource(op: Operation, id: string): Promise<void> {
  const { inputs, ref, subject, ownership } = op;
  const policy = inputs.deletionPolicy ?? DEFAULT_DELETION_POLICY;
  if (policy === 'retain') {
    op.deps.log.info(
      `${subject}: deletionPolicy retain: the deployment ${id} stays in VVP and is no longer managed by this stack`,
    );
    return;
  }
  let d = await op.client.findDeployment(ref.namespace, ref.name);
  if (!d || d.metadata.id !== id) return; // gone already (404 counts as done)
  const actual = d.status?.state;
  if (!isInactive(actual)) {
    if (policy === 'requireInactive') {
      throw new DeletionRefusedError(
        `${subject}: the deployment is ${actual ?? 'in an unknown state'}; deletionPolicy requireInactive deletes only inactive deployments (CANCELLED, SUSPENDED, FAILED, FINISHED). ` +
          'Set deployment.spec.state to "CANCELLED" and run `pulumi up` (it waits for CANCELLED), then destroy again; ' +
          'or set deletionPolicy to "cancel" or "suspend" and run `pulumi up` so that destroy stops the job first',
      );
    }
    const target = policy === 'suspend' ? 'SUSPENDED' : 'CANCELLED';
    if (d.spec.state !== target) {
      d = await setDesiredState(op.flow, { ref, state: target, ownership, from: d.spec.state });
      op.deps.log.info(`${subject}: set the spec state to ${target} before deleting`);
    }
    d = await waitForState(op.wait, ref, {
      desired: target,
      deadline: op.deadline,
      initial: d,
      staleState: actual,
      goal: `actual state ${target} before deleting`,
    });
  }
  await deleteDeployment(op.flow, { ref, deployment: d, ownership });
  op.deps.log.info(`${subject}: deleted deployment ${id}`);
}
