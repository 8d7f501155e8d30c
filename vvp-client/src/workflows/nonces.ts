/** The nonce loop (contract section 6): savepoint before restart, blocked values consumed, VVP events posted. */
import { isTransient } from '../../../core/src/errors';
import { restartMessage, savepointMessage } from '../../../core/src/events';
import type { DeploymentRef, VvpDeployment, VvpSavepoint } from '../../../core/src/model/deployment';
import type { SavepointRecord } from '../../../core/src/model/generated';
import type { NonceDecision } from '../../../core/src/nonce';
import type { Ownership } from '../../../core/src/ownership';
import { buildPatchBody, buildRestartPatch } from '../../../core/src/sync/index';
import { eventTarget, recordEvent, type WorkflowContext } from './context';

/** What happened to one nonce decision that asked for something. */
export type NonceOutcome =
  | { decision: NonceDecision; result: 'blocked' }
  | { decision: NonceDecision; result: 'savepoint'; savepoint: SavepointRecord }
  | { decision: NonceDecision; result: 'restart'; previousJob: string | undefined }
  /** VVP refused or failed the request; a transient failure stops the loop (later nonces wait) and is not consumed. */
  | { decision: NonceDecision; result: 'failed'; error: unknown; consumed: boolean };

/** Where an entry point joins the loop (the provider waits here; the operator does not). */
export interface NonceHooks {
  /** After a savepoint was triggered; may update the record (state, location). */
  savepointTriggered?(savepoint: VvpSavepoint, record: SavepointRecord): Promise<void>;
  /** After a restart was submitted; returns the deployment to go on with. */
  restartTriggered?(deployment: VvpDeployment, previousJob: string | undefined): Promise<VvpDeployment>;
}

/** One run of the nonce decisions. */
export interface NonceRequest {
  ref: DeploymentRef;
  deployment: VvpDeployment;
  decisions: readonly NonceDecision[];
  ownership: Ownership;
  /** Clock for `triggeredAt`. */
  now: () => Date;
  /** Rethrow a failed submission instead of reporting it as an outcome. @default false */
  failFast?: boolean;
}

/** The record of a savepoint just triggered. */
export function savepointRecord(sp: VvpSavepoint, nonce: number | undefined, at: Date): SavepointRecord {
  return {
    ...(nonce !== undefined ? { nonce } : {}),
    savepointId: sp.metadata.id,
    state: sp.status?.state ?? 'STARTED',
    ...(sp.spec.savepointLocation ? { location: sp.spec.savepointLocation } : {}),
    triggeredAt: at.toISOString(),
  };
}

/** Runs the decisions in order and returns the deployment to go on with and one outcome per acting decision. */
export async function applyNonces(
  ctx: WorkflowContext,
  request: NonceRequest,
  hooks: NonceHooks = {},
): Promise<{ deployment: VvpDeployment; outcomes: NonceOutcome[] }> {
  const { ref } = request;
  let d = request.deployment;
  const outcomes: NonceOutcome[] = [];
  for (const decision of request.decisions) {
    if (decision.action === 'none') continue;
    if (decision.action === 'blocked') {
      outcomes.push({ decision, result: 'blocked' });
      continue;
    }
    try {
      if (decision.kind === 'savepoint') {
        const sp = await ctx.client.triggerSavepoint(ref.namespace, d.metadata.id);
        const record = savepointRecord(sp, decision.value, request.now());
        await recordEvent(ctx, eventTarget(d), savepointMessage(ctx.actor));
        await hooks.savepointTriggered?.(sp, record);
        outcomes.push({ decision, result: 'savepoint', savepoint: record });
      } else {
        const previousJob = d.status?.running?.jobId;
        d = await ctx.client.patchDeployment(
          ref.namespace,
          ref.name,
          buildPatchBody(buildRestartPatch(decision.value as number), request.ownership),
        );
        await recordEvent(ctx, eventTarget(d), restartMessage(ctx.actor));
        if (hooks.restartTriggered) d = await hooks.restartTriggered(d, previousJob);
        outcomes.push({ decision, result: 'restart', previousJob });
      }
    } catch (err) {
      if (request.failFast) throw err;
      const consumed = !isTransient(err);
      outcomes.push({ decision, result: 'failed', error: err, consumed });
      if (!consumed) break;
    }
  }
  return { deployment: d, outcomes };
}
