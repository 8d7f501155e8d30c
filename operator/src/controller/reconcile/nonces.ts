/** Step: nonces (contract §6) — recorded as processed at first sight, otherwise run through the shared nonce loop. */
import { NONCE_ALIGNED, Reasons, type ConditionUpdate } from '../../../../core/src/conditions';
import { messageOf } from '../../../../core/src/errors';
import type { VvpDeployment } from '../../../../core/src/model/deployment';
import { decideNonces, type NonceKind } from '../../../../core/src/nonce';
import { applyNonces } from '../../../../vvp-client/src/index';
import { EventReasons } from '../events';
import { suppressedByAutopilot } from './autopilot';
import type { DeploymentContext, StatusDraft } from './context';

/** How long to keep polling for the new job id after a restart, in ms. */
const RESTART_FOLLOW_MS = 60_000;

function recordNonce(draft: StatusDraft, kind: NonceKind, value: number | undefined): void {
  const field = kind === 'savepoint' ? 'lastProcessedSavepointNonce' : 'lastProcessedRestartNonce';
  if (value === undefined || value === null) delete draft.status[field];
  else draft.status[field] = value;
}

/** Nonces present when the deployment is first seen are recorded, never triggered; an initial savepoint is registered. */
export async function firstSightNonces(ctx: DeploymentContext, current: VvpDeployment): Promise<void> {
  const { draft, spec } = ctx;
  recordNonce(draft, 'savepoint', spec.savepointNonce);
  recordNonce(draft, 'restart', spec.restartNonce);
  draft.set({
    type: NONCE_ALIGNED,
    status: 'True',
    reason: Reasons.NoncesProcessed,
    message: 'nonces present at creation are recorded as processed',
  });
  const location = spec.initialSavepointSpec?.savepointLocation;
  if (!location) return;
  const ns = current.metadata.namespace;
  // after a crash between create and status write the savepoint may be registered already
  const existing = await ctx.vvp.listSavepoints(ns, { deploymentId: current.metadata.id });
  if (existing.some((s) => s.spec.savepointLocation === location)) return;
  const sp = await ctx.vvp.registerSavepoint(ns, current.metadata.id, location);
  await ctx.deps.recorder.emit(
    ctx.cr,
    'Normal',
    EventReasons.SavepointRegistered,
    `registered initial savepoint ${location} (id ${sp.metadata.id})`,
  );
}

/** Runs changed nonces; a transient failure is returned (not consumed, retried with backoff). */
export async function nonceStep(
  ctx: DeploymentContext,
  current: VvpDeployment,
): Promise<{ current: VvpDeployment; failure?: unknown }> {
  const { cr, draft, spec, deps } = ctx;
  const decisions = decideNonces(
    {
      savepoint: { desired: spec.savepointNonce, processed: draft.status.lastProcessedSavepointNonce },
      restart: { desired: spec.restartNonce, processed: draft.status.lastProcessedRestartNonce },
    },
    { spec: ctx.desired.spec?.state, actual: current.status?.state },
  );
  // a nonce blocked only because Autopilot is scaling waits for the end of the scaling instead of being consumed
  if (decisions.some((d) => d.action === 'blocked') && (await suppressedByAutopilot(ctx, current))) return { current };
  const run = await applyNonces(ctx.flow, {
    ref: ctx.target,
    deployment: current,
    decisions,
    ownership: ctx.ownership,
    now: deps.now,
  });
  let blocked: ConditionUpdate | undefined;
  let failedUpdate: ConditionUpdate | undefined;
  let failure: unknown;
  for (const o of run.outcomes) {
    const d = o.decision;
    if (o.result === 'failed') {
      const message = `${d.kind} nonce ${d.value}: submitting to VVP failed: ${messageOf(o.error)}`;
      failedUpdate = { type: NONCE_ALIGNED, status: 'False', reason: Reasons.NonceSubmissionFailed, message };
      await deps.recorder.emit(cr, 'Warning', Reasons.NonceSubmissionFailed, message);
      // a transient failure is not consumed: retried with backoff; a VVP refusal (4xx) is consumed like a block
      if (!o.consumed) {
        failure = o.error;
        continue;
      }
    } else if (o.result === 'blocked') {
      const reason = d.kind === 'savepoint' ? Reasons.SavepointBlocked : Reasons.RestartBlocked;
      const message = d.reason ?? `${d.kind} nonce ${d.value} blocked`;
      blocked ??= { type: NONCE_ALIGNED, status: 'False', reason, message };
      await deps.recorder.emit(cr, 'Warning', reason, message);
      deps.hooks?.onNonce?.(d.kind, 'blocked');
    } else if (o.result === 'savepoint') {
      draft.status.lastSavepoint = o.savepoint;
      await deps.recorder.emit(
        cr,
        'Normal',
        EventReasons.SavepointTriggered,
        `savepoint nonce ${d.value}: triggered savepoint ${o.savepoint.savepointId}`,
      );
      deps.hooks?.onNonce?.(d.kind, 'triggered');
    } else {
      ctx.memory.restartFollow.set(ctx.key, {
        jobId: o.previousJob,
        until: deps.now().getTime() + RESTART_FOLLOW_MS,
      });
      await deps.recorder.emit(
        cr,
        'Normal',
        EventReasons.RestartTriggered,
        `restart nonce ${d.value}: triggered a job restart${o.previousJob ? ` (job ${o.previousJob})` : ''}`,
      );
      deps.hooks?.onNonce?.(d.kind, 'triggered');
    }
    recordNonce(draft, d.kind, d.record);
  }
  if (run.outcomes.length > 0)
    draft.set(
      failedUpdate ??
        blocked ?? {
          type: NONCE_ALIGNED,
          status: 'True',
          reason: Reasons.NoncesProcessed,
          message: 'nonce changes submitted to VVP',
        },
    );
  return { current: run.deployment, ...(failure !== undefined ? { failure } : {}) };
}
