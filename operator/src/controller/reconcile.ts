/**
 * reconcile(key): load the CR → finalizer → validate → token → observe VVP → create or adopt → project →
 * nonces → deletion → status. Level-based: it reads the current CR and deployment, never an event payload.
 */
import {
  CONSISTENT,
  DELETION_BLOCKED,
  NONCE_ALIGNED,
  Reasons,
  SPEC_ALIGNED,
  findCondition,
  removeCondition,
  setCondition,
  withSummary,
  type Condition,
  type ConditionUpdate,
} from '../../../core/src/conditions';
import { observedDefinition } from '../../../core/src/drift';
import { errorSource, isConflict, isTransient, isUnauthorized, messageOf } from '../../../core/src/errors';
import { createdMessage, projectedMessage, restartMessage, savepointMessage } from '../../../core/src/events';
import { deepEqual, formatPath, getPath } from '../../../core/src/merge';
import {
  FINALIZER,
  OWNER_LABEL,
  deploymentRef,
  type DeploymentRef,
  type VvpDeployment,
} from '../../../core/src/model/deployment';
import type { Deployment, VvpDeploymentSpec, VvpDeploymentStatus } from '../../../core/src/model/generated';
import { decideNonces, type NonceKind } from '../../../core/src/nonce';
import {
  decideExisting,
  describeOwner,
  isOwnedBy,
  operatorOwnership,
  wantsAdoption,
  type Ownership,
} from '../../../core/src/ownership';
import { differingKeys } from '../../../core/src/projection';
import { definitionDigest, projectionNeeded } from '../../../core/src/sync/index';
import { isMoving } from '../../../core/src/state';
import { buildRestartPatch, resolveDeployment, syncModes } from '../../../core/src/sync/index';
import { errorsOf, validate } from '../../../core/src/validate';
import type { VvpClient } from '../../../vvp-client/src/index';
import { keyOf, splitKey, type KubeApi, type VvpDeploymentResource } from '../kube/types';
import type { Logger } from '../runtime/logger';
import { finalizeDeployment } from './finalize';
import { ApiKeySecretError, readApiToken } from './observe';
import type { EventRecorder } from './recorder';
import type { VvpClientFactory } from './vvp-clients';

/** Poll interval while a deployment moves (contract §4), in ms. */
export const POLL_INTERVAL_MS = 2000;
/** Requeue interval while the API token Secret is missing (Secrets are not watched), in ms. */
export const SECRET_RETRY_MS = 15000;
/** How long to keep polling for the new job id after a restart, in ms. */
const RESTART_FOLLOW_MS = 60_000;
/** The actor named in VVP-side events. */
const ACTOR = 'Kubernetes operator';

/** How one reconcile ended. */
export interface ReconcileResult {
  /** success: converged or progressing; failed: permanent problem recorded in a condition; retry: transient, back off. */
  result: 'success' | 'failed' | 'retry' | 'skipped' | 'gone' | 'deleted';
  /** Reconcile again after this long (polling), independent of backoff. */
  requeueAfterMs?: number;
  /** What went wrong, for logs. */
  message?: string;
}

/** Hooks for metrics. */
export interface ReconcileHooks {
  onNonce?(kind: NonceKind, action: 'triggered' | 'blocked'): void;
  onStatusWrite?(): void;
}

/** What a reconcile needs; everything with I/O is injected. */
export interface ReconcilerDeps {
  kube: KubeApi;
  vvp: VvpClientFactory;
  instanceId: string;
  recorder: EventRecorder;
  log: Logger;
  /** Injected clock. @default () => new Date() */
  now?: () => Date;
  /** Post VVP-side events (contract §11). @default true */
  vvpEvents?: boolean;
  hooks?: ReconcileHooks;
}

/** The reconciler: reconcile a key, remember our own writes (to skip their watch events), forget a key. */
export interface Reconciler {
  reconcile(key: string): Promise<ReconcileResult>;
  /** True when `resourceVersion` is the result of one of our own recent writes to the CR. */
  isOwnWrite(key: string, resourceVersion: string | undefined): boolean;
  forget(key: string): void;
}

/** A reconcile step failed in a way that is already recorded in the status draft. */
class StepFailure extends Error {
  constructor(
    message: string,
    readonly result: ReconcileResult,
  ) {
    super(message);
  }
}

/** The status being built during one reconcile. */
class StatusDraft {
  status: VvpDeploymentStatus;
  conditions: Condition[];
  /** Condition types that transitioned in this reconcile (for once-per-transition warnings). */
  readonly transitioned = new Set<string>();
  constructor(
    readonly cr: VvpDeploymentResource,
    readonly now: string,
  ) {
    this.status = structuredClone(cr.status ?? {});
    this.conditions = (structuredClone(cr.status?.conditions ?? []) as Condition[]).filter(
      (c) => typeof c?.type === 'string',
    );
  }
  set(update: ConditionUpdate): boolean {
    const r = setCondition(this.conditions, update, { now: this.now, generation: this.cr.metadata.generation });
    this.conditions = r.conditions;
    if (r.transitioned) this.transitioned.add(update.type);
    return r.transitioned;
  }
  remove(type: typeof DELETION_BLOCKED): void {
    this.conditions = removeCondition(this.conditions, type);
  }
  get(type: Parameters<typeof findCondition>[1]): Condition | undefined {
    return findCondition(this.conditions, type);
  }
}

/** Creates a reconciler. */
export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const now = deps.now ?? (() => new Date());
  // the resourceVersions of our last few writes per CR (finalizer, status): their watch echoes carry nothing new
  const ownWrites = new Map<string, string[]>();
  const restartFollow = new Map<string, { jobId: string | undefined; until: number }>();
  const own = (cr: VvpDeploymentResource | undefined) => {
    if (!cr?.metadata.resourceVersion) return;
    const list = ownWrites.get(keyOf(cr)) ?? [];
    list.push(cr.metadata.resourceVersion);
    ownWrites.set(keyOf(cr), list.slice(-4));
  };

  async function reconcile(key: string): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    let cr = await deps.kube.getResource(namespace, name);
    if (!cr) {
      forget(key);
      return { result: 'gone' };
    }
    if (cr.metadata.labels?.[OWNER_LABEL] !== deps.instanceId) return { result: 'skipped' };
    const deleting = Boolean(cr.metadata.deletionTimestamp);
    const finalizers = cr.metadata.finalizers ?? [];
    if (deleting && !finalizers.includes(FINALIZER)) return { result: 'skipped' };
    if (!deleting && !finalizers.includes(FINALIZER)) {
      try {
        cr = await deps.kube.setFinalizers(cr, [...finalizers, FINALIZER]);
      } catch (err) {
        if (isConflict(err, 'kubernetes')) return { result: 'retry', message: 'CR changed while adding the finalizer' };
        throw err;
      }
      if (!cr) return { result: 'gone' };
      own(cr);
    }
    const draft = new StatusDraft(cr, now().toISOString());
    try {
      return await reconcileResource(cr, draft, deleting);
    } catch (err) {
      if (err instanceof StepFailure) {
        await writeStatus(draft, {});
        return err.result;
      }
      return handleError(draft, err);
    }
  }

  async function handleError(draft: StatusDraft, err: unknown): Promise<ReconcileResult> {
    const msg = messageOf(err);
    if (isConflict(err, 'kubernetes')) return { result: 'retry', message: msg };
    if (isTransient(err, 'vvp')) {
      draft.set({ type: CONSISTENT, status: 'False', reason: Reasons.VvpUnreachable, message: msg });
      await warnOnTransition(draft, CONSISTENT, 'VvpUnreachable', msg);
      await writeStatus(draft, {}).catch((e: unknown) => deps.log.warn({ err: messageOf(e) }, 'status write failed'));
      return { result: 'retry', message: msg };
    }
    if (isUnauthorized(err, 'vvp')) {
      draft.set({
        type: CONSISTENT,
        status: 'False',
        reason: Reasons.Unauthorized,
        message: `${msg}; check the API token in the Secret named by annotation apikeySecretName`,
      });
      await warnOnTransition(draft, CONSISTENT, 'Unauthorized', msg);
      await writeStatus(draft, {});
      return { result: 'failed', message: msg };
    }
    if (err instanceof ApiKeySecretError) {
      draft.set({ type: CONSISTENT, status: 'False', reason: Reasons.ApiKeySecretMissing, message: msg });
      await warnOnTransition(draft, CONSISTENT, 'ApiKeySecretMissing', msg);
      await writeStatus(draft, {}).catch((e: unknown) => deps.log.warn({ err: messageOf(e) }, 'status write failed'));
      if (isTransient(err)) return { result: 'retry', message: msg };
      return { result: 'failed', message: msg, requeueAfterMs: SECRET_RETRY_MS };
    }
    if (errorSource(err) === 'kubernetes') return { result: 'retry', message: msg };
    // an unexpected error: keep the operator alive, back off and try again
    deps.log.error({ key: keyOf(draft.cr), err: msg, stack: (err as Error)?.stack }, 'reconcile failed unexpectedly');
    return { result: 'retry', message: msg };
  }

  async function reconcileResource(
    cr: VvpDeploymentResource,
    draft: StatusDraft,
    deleting: boolean,
  ): Promise<ReconcileResult> {
    const key = keyOf(cr);
    const subject = `vvpdeployment ${key}`;
    const generation = cr.metadata.generation;
    const hadDeployment = Boolean(cr.status?.deploymentId);
    const issues = validate({ metadata: cr.metadata, spec: cr.spec }, undefined, {
      instanceId: deps.instanceId,
      operation: hadDeployment ? 'UPDATE' : 'CREATE',
      subject,
    });
    const errors = errorsOf(issues);
    const spec = cr.spec as VvpDeploymentSpec;
    const desired: Deployment = errors.length && !spec?.deployment ? {} : resolveDeployment(spec?.deployment);
    const ref = deploymentRef(desired);
    if (errors.length) {
      const message = errors.map((e) => e.message).join('; ');
      if (deleting) {
        // an invalid CR can still be deleted: only act on a deployment we know we created
        if (!ref || !hadDeployment) return removeFinalizer(cr, 'the CR is invalid and has no deployment in VVP');
      } else {
        draft.set({ type: SPEC_ALIGNED, status: 'False', reason: Reasons.InvalidSpec, message });
        if (!hadDeployment) draft.set({ type: CONSISTENT, status: 'False', reason: Reasons.CreateFailed, message });
        await warnOnTransition(draft, SPEC_ALIGNED, 'InvalidSpec', message);
        throw new StepFailure(message, { result: 'failed', message });
      }
    }
    const invalid = errors.length > 0;
    const target = ref as DeploymentRef;
    const token = await readApiToken(deps.kube, cr);
    const vvp = deps.vvp(token);
    const ownership = operatorOwnership(deps.instanceId, cr.metadata.uid);

    // observe
    let current = await vvp.findDeployment(target.namespace, target.name);
    let created = false;
    let adopted = false;
    if (current && cr.status?.deploymentId !== current.metadata.id) {
      if (decideExisting(current, ownership, { adopt: wantsAdoption(cr.metadata.annotations) }) === 'conflict') {
        if (deleting)
          return removeFinalizer(
            cr,
            `deployment ${target.namespace}/${target.name} in VVP is not ours and is left alone`,
          );
        const message = `deployment ${target.namespace}/${target.name} already exists in VVP and is ${describeOwner(current)}; it was not touched. Choose another spec.deployment.metadata.name, or set annotation ververica.platform/adopt: "true" to take it over`;
        draft.set({ type: CONSISTENT, status: 'False', reason: Reasons.NameConflict, message });
        await warnOnTransition(draft, CONSISTENT, 'NameConflict', message);
        throw new StepFailure(message, { result: 'failed', message });
      }
      adopted = true;
      const how = isOwnedBy(current, ownership)
        ? 'found the deployment this CR created earlier'
        : 'adopted the existing deployment (annotation ververica.platform/adopt)';
      await deps.recorder.emit(
        cr,
        'Normal',
        'Adopted',
        `${how}: ${target.namespace}/${target.name} (id ${current.metadata.id})`,
      );
    }
    if (!current) {
      if (deleting) return removeFinalizer(cr, `deployment ${target.namespace}/${target.name} no longer exists in VVP`);
      if (hadDeployment && generation === cr.status?.observedGeneration) {
        const message = `deployment ${target.namespace}/${target.name} (id ${cr.status?.deploymentId}) was deleted in VVP outside Kubernetes; it is recreated on the next spec change`;
        draft.set({ type: CONSISTENT, status: 'False', reason: Reasons.DeploymentMissing, message });
        await warnOnTransition(draft, CONSISTENT, 'DeploymentMissing', message);
        delete draft.status.actualState;
        throw new StepFailure(message, { result: 'failed', message });
      }
      current = await createDeployment(cr, draft, vvp, spec, desired, target, ownership);
      created = true;
    }
    draft.status.deploymentId = current.metadata.id;
    draft.set({
      type: CONSISTENT,
      status: 'True',
      reason: Reasons.DeploymentExists,
      message: `deployment ${target.namespace}/${target.name} (id ${current.metadata.id})`,
    });
    const firstSight = created || (adopted && !hadDeployment);

    // project
    if (!invalid && !created)
      current = await project(cr, draft, vvp, spec, desired, current, ownership, { firstSight, adopted });
    else if (created) {
      draft.status.observedGeneration = generation;
      draft.status.projectedDigest = definitionDigest(spec.syncingMode, desired);
      draft.set({
        type: SPEC_ALIGNED,
        status: 'True',
        reason: Reasons.ConfigUpdated,
        message: `created deployment (mode=${spec.syncingMode})`,
      });
    }

    // nonces
    let nonceFailure: unknown;
    if (firstSight) {
      recordNonce(draft, 'savepoint', spec.savepointNonce);
      recordNonce(draft, 'restart', spec.restartNonce);
      draft.set({
        type: NONCE_ALIGNED,
        status: 'True',
        reason: Reasons.NoncesProcessed,
        message: 'nonces present at creation are recorded as processed',
      });
      if (spec.initialSavepointSpec?.savepointLocation)
        await registerInitialSavepoint(cr, vvp, current, spec.initialSavepointSpec.savepointLocation);
    } else if (!invalid) {
      const r = await processNonces(cr, draft, vvp, spec, desired, current);
      current = r.current;
      nonceFailure = r.failure;
    }
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

    // deletion
    if (deleting) {
      const done = await finalizeDeployment({
        vvp,
        current,
        target,
        draftBlocked: (message) =>
          draft.set({ type: DELETION_BLOCKED, status: 'True', reason: Reasons.DeploymentActive, message }),
      });
      if (done.deleted) {
        await deps.recorder.emit(
          cr,
          'Normal',
          'Deleted',
          `deleted deployment ${target.namespace}/${target.name} (id ${current.metadata.id}) from VVP`,
        );
        return removeFinalizer(cr, 'deployment deleted');
      }
      await warnOnTransition(draft, DELETION_BLOCKED, 'DeletionBlocked', draft.get(DELETION_BLOCKED)?.message ?? '');
    } else {
      draft.remove(DELETION_BLOCKED);
    }

    // follow-ups visible in status
    await followSavepoint(draft, vvp, target);
    const actual = current.status?.state;
    const desiredState = desired.spec?.state;
    if (desiredState !== undefined) draft.status.observedSpecState = desiredState;
    if (actual !== undefined) draft.status.actualState = actual;
    const jobId = current.status?.running?.jobId;
    if (jobId) draft.status.jobId = jobId;
    const follow = restartFollow.get(key);
    if (follow && (jobId !== follow.jobId || now().getTime() > follow.until)) restartFollow.delete(key);

    const pollingNeeded =
      isMoving(desiredState, actual) ||
      draft.status.lastSavepoint?.state === 'STARTED' ||
      restartFollow.has(key) ||
      (deleting && actual === 'TRANSITIONING');
    await writeStatus(draft, { desiredState, actual });
    if (nonceFailure !== undefined) return { result: 'retry', message: messageOf(nonceFailure) };
    return { result: 'success', ...(pollingNeeded ? { requeueAfterMs: POLL_INTERVAL_MS } : {}) };
  }

  async function createDeployment(
    cr: VvpDeploymentResource,
    draft: StatusDraft,
    vvp: VvpClient,
    spec: VvpDeploymentSpec,
    desired: Deployment,
    target: DeploymentRef,
    ownership: Ownership,
  ): Promise<VvpDeployment> {
    const strategy = syncModes[spec.syncingMode];
    const body = strategy.createBody(
      desired,
      strategy.usesInitFields ? resolveDeployment(spec.initFields) : undefined,
      ownership,
    );
    let created: VvpDeployment;
    try {
      created =
        strategy.createMethod === 'POST'
          ? await vvp.createDeployment(target.namespace, body)
          : await vvp.putDeployment(target.namespace, target.name, body);
    } catch (err) {
      if (isConflict(err, 'vvp')) {
        // someone created it between our look-up and our create: decide as for any existing deployment
        const existing = await vvp.findDeployment(target.namespace, target.name);
        if (
          existing &&
          decideExisting(existing, ownership, { adopt: wantsAdoption(cr.metadata.annotations) }) === 'adopt'
        )
          return existing;
        const message = `deployment ${target.namespace}/${target.name} already exists in VVP${existing ? ` and is ${describeOwner(existing)}` : ''}; it was not touched`;
        draft.set({ type: CONSISTENT, status: 'False', reason: Reasons.NameConflict, message });
        await warnOnTransition(draft, CONSISTENT, 'NameConflict', message);
        throw new StepFailure(message, { result: 'failed', message });
      }
      if (isTransient(err) || isUnauthorized(err, 'vvp')) throw err;
      const message = `creating deployment ${target.namespace}/${target.name} failed: ${messageOf(err)}`;
      draft.set({ type: CONSISTENT, status: 'False', reason: Reasons.CreateFailed, message });
      await warnOnTransition(draft, CONSISTENT, 'CreateFailed', message);
      throw new StepFailure(message, { result: 'failed', message });
    }
    await deps.recorder.emit(
      cr,
      'Normal',
      'Created',
      `created deployment ${target.namespace}/${target.name} (id ${created.metadata.id}) in VVP (mode=${spec.syncingMode}, state ${desired.spec?.state ?? 'unset'})`,
    );
    await vvpEvent(vvp, target.namespace, created.metadata.id, createdMessage(ACTOR));
    return created;
  }

  async function project(
    cr: VvpDeploymentResource,
    draft: StatusDraft,
    vvp: VvpClient,
    spec: VvpDeploymentSpec,
    desired: Deployment,
    current: VvpDeployment,
    ownership: Ownership,
    how: { firstSight: boolean; adopted: boolean },
  ): Promise<VvpDeployment> {
    const generation = cr.metadata.generation;
    const generationChanged = generation !== cr.status?.observedGeneration;
    const specAligned = draft.get(SPEC_ALIGNED);
    // a VVP 4xx is not retried: the same generation is projected again only after a spec change
    const failedThisGeneration =
      specAligned?.reason === Reasons.ProjectionFailed && specAligned.observedGeneration === generation;
    const stateDrift = desired.spec?.state !== undefined && current.spec.state !== desired.spec.state;
    const unstamped = !isOwnedBy(current, ownership);
    if (!((generationChanged || stateDrift) && !failedThisGeneration) && !unstamped) {
      const lastOwn = ownWrites.get(keyOf(cr))?.at(-1);
      if (lastOwn !== undefined && lastOwn !== cr.metadata.resourceVersion) {
        draft.set({
          type: SPEC_ALIGNED,
          status: 'True',
          reason: Reasons.SpecUnchanged,
          message: `metadata.generation ${generation} was already projected; only metadata or status changed`,
        });
      }
      return current;
    }
    const mode = spec.syncingMode;
    const digest = definitionDigest(mode, desired);
    if (generationChanged && !stateDrift && !unstamped && cr.status?.projectedDigest === digest) {
      // the spec changed, but not the definition: nonces and settings run on their own path (contract §5)
      draft.status.observedGeneration = generation;
      draft.set({
        type: SPEC_ALIGNED,
        status: 'True',
        reason: Reasons.SpecUnchanged,
        message: `metadata.generation ${generation} changed no projected field (mode=${mode})`,
      });
      return current;
    }
    const needed = projectionNeeded(mode, desired, current);
    if (!needed && !unstamped) {
      draft.status.projectedDigest = digest;
      draft.status.observedGeneration = generation;
      if (how.firstSight)
        draft.set({
          type: SPEC_ALIGNED,
          status: 'True',
          reason: Reasons.ConfigUpdated,
          message: 'deployment adopted; VVP already holds the CR definition',
        });
      else
        draft.set({
          type: SPEC_ALIGNED,
          status: 'True',
          reason: Reasons.SpecUnchanged,
          message: 'VVP already holds the CR definition; nothing to project',
        });
      return current;
    }
    const strategy = syncModes[mode];
    const body = strategy.projectBody(desired, current, ownership);
    const before = current.spec.state;
    let next: VvpDeployment;
    try {
      next =
        strategy.projectMethod === 'PATCH'
          ? await vvp.patchDeployment(current.metadata.namespace, current.metadata.name, body)
          : await vvp.putDeployment(current.metadata.namespace, current.metadata.name, body);
    } catch (err) {
      if (isTransient(err) || isUnauthorized(err, 'vvp')) throw err;
      const message = `projecting to deployment ${current.metadata.namespace}/${current.metadata.name} (mode=${mode}) failed: ${messageOf(err)}`;
      draft.set({ type: SPEC_ALIGNED, status: 'False', reason: Reasons.ProjectionFailed, message });
      await deps.recorder.emit(cr, 'Warning', 'ProjectionFailed', message);
      return current;
    }
    draft.status.observedGeneration = generation;
    draft.status.projectedDigest = digest;
    const paths = differingKeys(desired, observedDefinition(current, { withDescription: true }))
      .filter((p) => getPath(desired, p) !== undefined)
      .map(formatPath);
    const changed = paths.length
      ? paths.slice(0, 8).join(', ') + (paths.length > 8 ? `, … (${paths.length} fields)` : '')
      : unstamped
        ? 'ownership stamp'
        : 'full definition';
    const driftOnly = !generationChanged && stateDrift;
    const message = driftOnly
      ? `re-projected desired state ${desired.spec?.state} (VVP had ${before ?? 'unset'}) (mode=${mode})`
      : `projected generation ${generation} (mode=${mode}): ${changed}`;
    draft.set({ type: SPEC_ALIGNED, status: 'True', reason: Reasons.ConfigUpdated, message });
    await deps.recorder.emit(cr, 'Normal', driftOnly ? 'StateReprojected' : 'ConfigUpdated', message);
    await vvpEvent(
      vvp,
      next.metadata.namespace,
      next.metadata.id,
      projectedMessage(ACTOR, mode, { from: before, to: desired.spec?.state ?? before }),
    );
    return next;
  }

  async function processNonces(
    cr: VvpDeploymentResource,
    draft: StatusDraft,
    vvp: VvpClient,
    spec: VvpDeploymentSpec,
    desired: Deployment,
    current: VvpDeployment,
  ): Promise<{ current: VvpDeployment; failure?: unknown }> {
    const decisions = decideNonces(
      {
        savepoint: { desired: spec.savepointNonce, processed: draft.status.lastProcessedSavepointNonce },
        restart: { desired: spec.restartNonce, processed: draft.status.lastProcessedRestartNonce },
      },
      { spec: desired.spec?.state, actual: current.status?.state },
    );
    let changed = false;
    let blocked: ConditionUpdate | undefined;
    let failedUpdate: ConditionUpdate | undefined;
    let failure: unknown;
    const ns = current.metadata.namespace;
    for (const d of decisions) {
      if (d.action === 'none') continue;
      changed = true;
      if (d.action === 'blocked') {
        recordNonce(draft, d.kind, d.record);
        const reason = d.kind === 'savepoint' ? Reasons.SavepointBlocked : Reasons.RestartBlocked;
        blocked ??= { type: NONCE_ALIGNED, status: 'False', reason, message: d.reason ?? `${d.kind} nonce blocked` };
        await deps.recorder.emit(cr, 'Warning', reason, d.reason ?? `${d.kind} nonce ${d.value} blocked`);
        deps.hooks?.onNonce?.(d.kind, 'blocked');
        continue;
      }
      try {
        if (d.kind === 'savepoint') {
          const sp = await vvp.triggerSavepoint(ns, current.metadata.id);
          draft.status.lastSavepoint = {
            nonce: d.value,
            savepointId: sp.metadata.id,
            state: sp.status?.state ?? 'STARTED',
            ...(sp.spec.savepointLocation ? { location: sp.spec.savepointLocation } : {}),
            triggeredAt: now().toISOString(),
          };
          await deps.recorder.emit(
            cr,
            'Normal',
            'SavepointTriggered',
            `savepoint nonce ${d.value}: triggered savepoint ${sp.metadata.id}`,
          );
          await vvpEvent(vvp, ns, current.metadata.id, savepointMessage(ACTOR));
        } else {
          const before = current.status?.running?.jobId;
          current = await vvp.patchDeployment(ns, current.metadata.name, buildRestartPatch(d.value as number));
          restartFollow.set(keyOf(cr), { jobId: before, until: now().getTime() + RESTART_FOLLOW_MS });
          await deps.recorder.emit(
            cr,
            'Normal',
            'RestartTriggered',
            `restart nonce ${d.value}: triggered a job restart${before ? ` (job ${before})` : ''}`,
          );
          await vvpEvent(vvp, ns, current.metadata.id, restartMessage(ACTOR));
        }
        recordNonce(draft, d.kind, d.record);
        deps.hooks?.onNonce?.(d.kind, 'triggered');
      } catch (err) {
        const message = `${d.kind} nonce ${d.value}: submitting to VVP failed: ${messageOf(err)}`;
        failedUpdate = { type: NONCE_ALIGNED, status: 'False', reason: Reasons.NonceSubmissionFailed, message };
        await deps.recorder.emit(cr, 'Warning', Reasons.NonceSubmissionFailed, message);
        if (isTransient(err)) {
          // not consumed: retried with backoff; later nonces wait (savepoint before restart)
          failure = err;
          break;
        }
        // VVP refused it (4xx): like a blocked change, the value is consumed
        recordNonce(draft, d.kind, d.record);
      }
    }
    if (changed)
      draft.set(
        failedUpdate ??
          blocked ?? {
            type: NONCE_ALIGNED,
            status: 'True',
            reason: Reasons.NoncesProcessed,
            message: 'nonce changes submitted to VVP',
          },
      );
    return { current, ...(failure !== undefined ? { failure } : {}) };
  }

  function recordNonce(draft: StatusDraft, kind: NonceKind, value: number | undefined): void {
    const field = kind === 'savepoint' ? 'lastProcessedSavepointNonce' : 'lastProcessedRestartNonce';
    if (value === undefined || value === null) delete draft.status[field];
    else draft.status[field] = value;
  }

  async function registerInitialSavepoint(
    cr: VvpDeploymentResource,
    vvp: VvpClient,
    current: VvpDeployment,
    location: string,
  ): Promise<void> {
    const ns = current.metadata.namespace;
    // after a crash between create and status write the savepoint may be registered already
    const existing = await vvp.listSavepoints(ns, { deploymentId: current.metadata.id });
    if (existing.some((s) => s.spec.savepointLocation === location)) return;
    const sp = await vvp.registerSavepoint(ns, current.metadata.id, location);
    await deps.recorder.emit(
      cr,
      'Normal',
      'SavepointRegistered',
      `registered initial savepoint ${location} (id ${sp.metadata.id})`,
    );
  }

  async function followSavepoint(draft: StatusDraft, vvp: VvpClient, target: DeploymentRef): Promise<void> {
    const last = draft.status.lastSavepoint;
    if (!last?.savepointId || last.state !== 'STARTED' || deepEqual(last, draft.cr.status?.lastSavepoint) === false)
      return;
    try {
      const sp = await vvp.getSavepoint(target.namespace, last.savepointId);
      draft.status.lastSavepoint = {
        ...last,
        state: sp.status?.state ?? last.state,
        ...(sp.spec.savepointLocation ? { location: sp.spec.savepointLocation } : {}),
      };
    } catch (err) {
      deps.log.debug({ savepointId: last.savepointId, err: messageOf(err) }, 'savepoint state not available');
    }
  }

  async function removeFinalizer(cr: VvpDeploymentResource, why: string): Promise<ReconcileResult> {
    const rest = (cr.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    try {
      await deps.kube.setFinalizers(cr, rest);
    } catch (err) {
      if (isConflict(err, 'kubernetes')) return { result: 'retry', message: 'CR changed while removing the finalizer' };
      throw err;
    }
    deps.log.info({ key: keyOf(cr), why }, 'finalizer removed');
    forget(keyOf(cr));
    return { result: 'deleted', message: why };
  }

  async function writeStatus(
    draft: StatusDraft,
    facts: { desiredState?: string | undefined; actual?: string | undefined },
  ): Promise<void> {
    const generation = draft.cr.metadata.generation;
    const conditions = withSummary(
      draft.conditions,
      {
        desiredState: facts.desiredState ?? draft.status.observedSpecState,
        actualState: facts.actual ?? draft.status.actualState,
        generation,
        observedGeneration: draft.status.observedGeneration,
      },
      { now: draft.now, generation },
    );
    const next: VvpDeploymentStatus = { ...draft.status, conditions };
    const before = draft.cr.status ?? {};
    if (deepEqual(before, next)) return;
    const patch: Record<string, unknown> = { ...next };
    for (const k of Object.keys(before)) if (!(k in next)) patch[k] = null;
    const written = await deps.kube.patchStatus(draft.cr.metadata.namespace, draft.cr.metadata.name, patch);
    deps.hooks?.onStatusWrite?.();
    own(written);
    const ready = findCondition(conditions, 'Ready');
    const healthy = findCondition(conditions, 'Healthy');
    const before2 = findCondition((before.conditions ?? []) as Condition[], 'Healthy');
    if (healthy && before2 && healthy.status !== before2.status && healthy.status === 'False') {
      deps.log.info({ key: keyOf(draft.cr), reason: healthy.reason }, 'CR became unhealthy');
    }
    deps.log.debug({ key: keyOf(draft.cr), ready: ready?.status, reason: ready?.reason }, 'status written');
  }

  async function warnOnTransition(draft: StatusDraft, type: string, reason: string, message: string): Promise<void> {
    if (draft.transitioned.has(type)) await deps.recorder.emit(draft.cr, 'Warning', reason, message);
  }

  async function vvpEvent(vvp: VvpClient, namespace: string, deploymentId: string, message: string): Promise<void> {
    if (deps.vvpEvents === false) return;
    try {
      await vvp.createEvent(namespace, { deploymentId, message });
    } catch (err) {
      deps.log.warn({ deploymentId, err: messageOf(err) }, 'recording the VVP event failed (best effort)');
    }
  }

  function forget(key: string): void {
    ownWrites.delete(key);
    restartFollow.delete(key);
  }

  return {
    reconcile,
    isOwnWrite: (key, rv) => rv !== undefined && (ownWrites.get(key)?.includes(rv) ?? false),
    forget,
  };
}
