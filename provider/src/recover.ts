/**
 * Recovering a deployment whose job ended while the program says RUNNING (FAILED, or FINISHED): once per
 * `pulumi up`, the documented sequence (ADR 0008): desired state CANCELLED, wait for CANCELLED, desired state
 * RUNNING (VVP starts a new job attempt), wait for the new job. A second failure ends the update with guidance.
 */
import { messageOf, type VvpDeployment } from '../../core/src/index';
import { setDesiredState } from '../../vvp-client/src/index';
import { lastSeenBy, WaitError } from './errors';
import { runsAnotherJobThan, type Operation } from './operation';
import { waitForState } from './wait';

/** The README section that explains what the user sees and does. */
export const RECOVERY_DOC = 'README "Recovering a FAILED deployment"';

/** What `pulumi up` does about it, in one phrase (read, diff and the recovery itself say it the same way). */
export const RECOVERY_STEPS = 'desired state CANCELLED, then RUNNING again (a new job attempt)';

/** The warning of refresh and preview: the state, and what the next `pulumi up` does. */
export function jobEndedMessage(subject: string, actual: string): string {
  return `${subject}: VVP reports the deployment ${actual} while the program says RUNNING; the next \`pulumi up\` recovers it (${RECOVERY_STEPS}), see ${RECOVERY_DOC}`;
}

/** The guidance when the recovery attempt did not end RUNNING. */
export function recoveryFailedMessage(subject: string, cause: string): string {
  return (
    `${cause}\n${subject}: the recovery attempt (${RECOVERY_STEPS}) did not reach RUNNING. ` +
    'Fix the cause the VVP events name (artifact, Flink configuration, resources, deployment target), then run ' +
    '`pulumi up` again: it makes one more attempt. To stop retrying, set the deployment\'s state to "CANCELLED" ' +
    `in the program. See ${RECOVERY_DOC}.`
  );
}

/** Runs the recovery sequence, logging each step; throws a WaitError with guidance when it does not converge. */
export async function recoverJob(op: Operation, d: VvpDeployment): Promise<VvpDeployment> {
  const { ref, subject, ownership, deps } = op;
  const actual = d.status?.state ?? 'unknown';
  const previousJob = d.status?.running?.jobId;
  deps.log.warn(`${subject}: VVP reports the deployment ${actual} while the program says RUNNING: recovering`);
  try {
    deps.log.info(`${subject}: recovery step 1/3: desired state CANCELLED`);
    let x = await setDesiredState(op.flow, { ref, state: 'CANCELLED', ownership, from: 'RUNNING' });
    x = await waitForState(op.wait, ref, {
      desired: 'CANCELLED',
      deadline: op.deadline,
      initial: x,
      staleState: actual,
      goal: 'actual state CANCELLED (recovery)',
    });
    deps.log.info(`${subject}: recovery step 2/3: desired state RUNNING (a new job attempt)`);
    x = await setDesiredState(op.flow, { ref, state: 'RUNNING', ownership, from: 'CANCELLED' });
    if (!op.waitsForState) {
      deps.log.info(`${subject}: recovery step 3/3 skipped (waitFor.state is false): the new job is starting`);
      return x;
    }
    deps.log.info(`${subject}: recovery step 3/3: waiting for the new job to be RUNNING`);
    x = await waitForState(op.wait, ref, {
      desired: 'RUNNING',
      deadline: op.deadline,
      initial: x,
      staleState: x.status?.state,
      until: runsAnotherJobThan(previousJob),
      goal: 'the new job to be RUNNING (recovery)',
    });
    deps.log.info(`${subject}: recovered: job ${x.status?.running?.jobId ?? 'unknown'} is RUNNING`);
    return x;
  } catch (err) {
    throw new WaitError(recoveryFailedMessage(subject, messageOf(err)), lastSeenBy(err, d));
  }
}
