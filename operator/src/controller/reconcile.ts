/**
 * reconcile(key, observed): the CR from the watch cache (a fresh GET only while the cache lacks our last write, or
 * after a conflict) → finalizer → spec → API token → find, adopt or create the deployment → project →
 * nonces → deletion → status. Level-based: it reads the current CR and deployment, never an event payload. Each
 * step lives in reconcile/ and works on one shared context.
 */
import { CONSISTENT, NONCE_ALIGNED, Reasons, SPEC_ALIGNED, DELETION_BLOCKED } from '../../../core/src/conditions';
import { messageOf } from '../../../core/src/errors';
import { FINALIZER, OWNER_LABEL } from '../../../core/src/model/deployment';
import { operatorOwnership } from '../../../core/src/ownership';
import { splitKey, type VvpDeploymentResource } from '../kube/types';
import { ApiTokenCache } from './api-token';
import { OwnWrites } from './own-writes';
import {
  StatusDraft,
  StepEnd,
  type DeploymentContext,
  type ReconcileContext,
  type ReconcileMemory,
  type ReconcileResult,
  type ReconcilerDeps,
} from './reconcile/context';
import { keptStep, parallelismStep } from './reconcile/autopilot';
import { deletionStep } from './reconcile/deletion';
import { ensureDeployment } from './reconcile/deployment';
import { handleFailure } from './reconcile/failures';
import { addFinalizer } from './reconcile/finalizer';
import { firstSightNonces, nonceStep } from './reconcile/nonces';
import { projectStep } from './reconcile/project';
import { readSpec } from './reconcile/spec';
import { observeStep, writeStatus } from './reconcile/status';

export type { ReconcileHooks, ReconcileResult, ReconcilerDeps } from './reconcile/context';
export { SECRET_RETRY_MS } from './reconcile/failures';

/** Poll interval while a deployment moves (contract §4), in ms. */
export const POLL_INTERVAL_MS = 2000;
/** The actor named in VVP-side events. */
const ACTOR = 'Kubernetes operator';

/** The reconciler: reconcile a key; its own writes (to skip their watch echoes); forget a key. */
export interface Reconciler {
  /**
   * Reconciles a key. `observed` is the CR as the controller's watch cache holds it: used instead of a GET when the
   * cache already holds the operator's last write to it.
   */
  reconcile(key: string, observed?: VvpDeploymentResource, trigger?: ReconcileTrigger): Promise<ReconcileResult>;
  /** The operator's own recent writes to each CR: the controller skips their watch echoes. */
  readonly ownWrites: OwnWrites;
  forget(key: string): void;
}

/** Why a reconcile runs: `resync` for the periodic resync (where the Autopilot status is read: ADR 0011). */
export interface ReconcileTrigger {
  resync?: boolean;
}

/** Creates a reconciler. */
export function createReconciler(options: ReconcilerDeps): Reconciler {
  const deps = { ...options, now: options.now ?? (() => new Date()) };
  const memory: ReconcileMemory = {
    ownWrites: new OwnWrites(),
    restartFollow: new Map(),
    tokens: new ApiTokenCache(deps.kube, () => deps.now().getTime()),
    stale: new Set(),
  };
  const forget = (key: string) => {
    memory.ownWrites.forget(key);
    memory.restartFollow.delete(key);
    memory.stale.delete(key);
  };

  /**
   * The CR to reconcile: the watch cache's copy unless it may be older than what this operator wrote (the echo of
   * our last write has not arrived) or a write conflicted (the cache may lag behind someone else's write); then a GET.
   */
  async function load(key: string, observed: VvpDeploymentResource | undefined) {
    if (observed && !memory.stale.has(key) && memory.ownWrites.echoed(key)) return structuredClone(observed);
    const { namespace, name } = splitKey(key);
    const fresh = await deps.kube.getResource(namespace, name);
    memory.stale.delete(key);
    if (fresh && fresh.metadata.resourceVersion === observed?.metadata.resourceVersion) memory.ownWrites.caughtUp(key);
    return fresh;
  }

  async function reconcile(
    key: string,
    observed?: VvpDeploymentResource,
    trigger: ReconcileTrigger = {},
  ): Promise<ReconcileResult> {
    let cr = await load(key, observed);
    if (!cr) {
      forget(key);
      return { result: 'gone' };
    }
    if (cr.metadata.labels?.[OWNER_LABEL] !== deps.instanceId) return { result: 'skipped' };
    const deleting = Boolean(cr.metadata.deletionTimestamp);
    const hasFinalizer = (cr.metadata.finalizers ?? []).includes(FINALIZER);
    if (deleting && !hasFinalizer) return { result: 'skipped' };
    const base = { deps, memory, key, deleting, hadDeployment: Boolean(cr.status?.deploymentId) };
    try {
      if (!hasFinalizer) cr = await addFinalizer(base, cr);
    } catch (err) {
      if (err instanceof StepEnd) return err.result;
      throw err;
    }
    if (!cr) return { result: 'gone' };
    const ctx: ReconcileContext = { ...base, cr, draft: new StatusDraft(cr, deps.now().toISOString()) };
    try {
      return await steps(ctx, trigger);
    } catch (err) {
      if (!(err instanceof StepEnd)) return handleFailure(ctx, err);
      if (err.writeStatus) await writeStatus(ctx);
      return err.result;
    }
  }

  async function steps(base: ReconcileContext, trigger: ReconcileTrigger): Promise<ReconcileResult> {
    const read = await readSpec(base);
    const vvp = deps.vvp(await memory.tokens.read(base.cr));
    const learnt: DeploymentContext['learnt'] = {};
    const ctx: DeploymentContext = {
      resync: trigger.resync === true,
      learnt,
      ...base,
      ...read,
      ownership: operatorOwnership(deps.instanceId, base.cr.metadata.uid),
      vvp,
      flow: {
        client: vvp,
        actor: ACTOR,
        subject: `deployment ${read.target.namespace}/${read.target.name}`,
        warn: (message) => deps.log.warn({ key: base.key }, message),
        info: (message) => deps.log.info({ key: base.key }, message),
        vvpEvents: deps.vvpEvents !== false,
        fieldsNotKept: (paths) => (learnt.notKept = paths),
      },
    };
    const { draft, target } = ctx;
    const found = await ensureDeployment(ctx);
    let current = found.current;
    draft.status.deploymentId = current.metadata.id;
    draft.set({
      type: CONSISTENT,
      status: 'True',
      reason: Reasons.DeploymentExists,
      message: `deployment ${target.namespace}/${target.name} (id ${current.metadata.id})`,
    });
    if (!ctx.invalid && !found.created) current = await projectStep(ctx, current, found);

    let nonceFailure: unknown;
    if (found.firstSight) await firstSightNonces(ctx, current);
    else if (!ctx.invalid) ({ current, failure: nonceFailure } = await nonceStep(ctx, current));
    await keptStep(ctx);
    if (!ctx.invalid && !ctx.deleting) await parallelismStep(ctx, current);
    if (!draft.get(NONCE_ALIGNED))
      draft.set({
        type: NONCE_ALIGNED,
        status: 'True',
        reason: Reasons.NoncesProcessed,
        message: 'no nonce change pending',
      });
    if (!draft.get(SPEC_ALIGNED))
      draft.set({
        type: SPEC_ALIGNED,
        status: 'True',
        reason: Reasons.SpecUnchanged,
        message: 'no spec change detected',
      });

    if (ctx.deleting) await deletionStep(ctx, current);
    else draft.remove(DELETION_BLOCKED);

    const pollingNeeded = await observeStep(ctx, current);
    await writeStatus(ctx);
    if (nonceFailure !== undefined) return { result: 'retry', message: messageOf(nonceFailure) };
    return { result: 'success', ...(pollingNeeded ? { requeueAfterMs: POLL_INTERVAL_MS } : {}) };
  }

  return { reconcile, ownWrites: memory.ownWrites, forget };
}
