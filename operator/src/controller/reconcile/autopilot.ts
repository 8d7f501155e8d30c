/**
 * Steps for strict VVPs (ADR 0011): the Autopilot status, read only when it can change a decision (before a
 * re-projection of a drifted desired state, before consuming a blocked nonce, and on the resync of a RUNNING
 * deployment whose CR sets parallelism), ParallelismAligned, and the fields VVP did not keep.
 */
import { autopilotScaling, parallelismAlignment, type AutopilotStatus } from '../../../../core/src/autopilot';
import { PARALLELISM_ALIGNED, Reasons, SPEC_ALIGNED } from '../../../../core/src/conditions';
import { notKeptMessage, notKeptReport } from '../../../../core/src/kept-fields';
import type { VvpDeployment } from '../../../../core/src/model/deployment';
import { readAutopilot } from '../../../../vvp-client/src/index';
import { EventReasons } from '../events';
import type { DeploymentContext } from './context';

/** The Autopilot status of the deployment, read at most once per reconcile; undefined on a VVP without Autopilot. */
export async function autopilotOf(
  ctx: DeploymentContext,
  current: VvpDeployment,
): Promise<AutopilotStatus | undefined> {
  ctx.learnt.autopilot ??= {
    status: await readAutopilot(ctx.flow, { namespace: current.metadata.namespace, id: current.metadata.id }),
  };
  return ctx.learnt.autopilot.status;
}

/**
 * True when an Autopilot scaling operation is running: VVP's desired state is Autopilot's for now, so it is not
 * re-projected (`SpecAligned=False/StateProjectionSuppressedAutopilot`) and nonces wait (not consumed).
 */
export async function suppressedByAutopilot(ctx: DeploymentContext, current: VvpDeployment): Promise<boolean> {
  if (!autopilotScaling(await autopilotOf(ctx, current))) return false;
  ctx.draft.set({
    type: SPEC_ALIGNED,
    status: 'False',
    reason: Reasons.StateProjectionSuppressedAutopilot,
    message: `an Autopilot scaling operation is in progress (VVP desired state ${current.spec.state ?? 'unset'}, actual ${current.status?.state ?? 'unknown'}): the desired state and nonces wait until it ends`,
  });
  return true;
}

/**
 * ParallelismAligned: on the resync of a RUNNING deployment whose CR sets parallelism the status is read; when it
 * was read anyway in this reconcile it is used. Present only while Autopilot is ACTIVE.
 */
export async function parallelismStep(ctx: DeploymentContext, current: VvpDeployment): Promise<void> {
  const due =
    ctx.resync && current.status?.state === 'RUNNING' && ctx.desired.spec?.template?.spec?.parallelism !== undefined;
  if (!due && !ctx.learnt.autopilot) return;
  const result = parallelismAlignment(ctx.desired, await autopilotOf(ctx, current));
  if (result.action === 'remove') ctx.draft.remove(PARALLELISM_ALIGNED);
  else if (result.action === 'set') ctx.draft.set(result.update);
}

/**
 * The fields VVP did not keep: recorded in `status.fieldsNotKept` (cleared when a write kept everything), one
 * Warning event when the set appears or changes, and named in SpecAligned's message while it lasts.
 */
export async function keptStep(ctx: DeploymentContext): Promise<void> {
  const { draft } = ctx;
  const { report, record } = notKeptReport(ctx.cr.status?.fieldsNotKept, ctx.learnt.notKept);
  if (record) draft.status.fieldsNotKept = record;
  else delete draft.status.fieldsNotKept;
  if (report) await ctx.deps.recorder.emit(ctx.cr, 'Warning', EventReasons.FieldNotKept, report);
  const aligned = draft.get(SPEC_ALIGNED);
  if (!record || aligned?.status !== 'True') return;
  const note = notKeptMessage(record);
  if (aligned.message?.endsWith(note)) return;
  draft.set({
    type: SPEC_ALIGNED,
    status: 'True',
    reason: aligned.reason as typeof Reasons.ConfigUpdated,
    message: `${aligned.message ? `${aligned.message}; ` : ''}${note}`,
  });
}
