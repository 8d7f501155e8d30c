/** What the reconcile steps share: the dependencies, the status being built, and how a step ends a reconcile. */
import {
  DELETION_BLOCKED,
  PARALLELISM_ALIGNED,
  findCondition,
  removeCondition,
  setCondition,
  type Condition,
  type ConditionType,
  type ConditionUpdate,
  type Reason,
} from '../../../../core/src/conditions';
import type { AutopilotStatus } from '../../../../core/src/autopilot';
import type { DeploymentRef } from '../../../../core/src/model/deployment';
import type { Deployment, VvpDeploymentSpec, VvpDeploymentStatus } from '../../../../core/src/model/generated';
import type { NonceKind } from '../../../../core/src/nonce';
import type { Ownership } from '../../../../core/src/ownership';
import type { VvpClient, WorkflowContext } from '../../../../vvp-client/src/index';
import type { KubeApi, VvpDeploymentResource } from '../../kube/types';
import type { ApiTokenCache } from '../api-token';
import type { Logger } from '../../runtime/logger';
import type { EventReason } from '../events';
import type { OwnWrites } from '../own-writes';
import type { EventRecorder } from '../recorder';
import type { VvpClientFactory } from '../vvp-clients';

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

/** What the reconciler keeps between reconciles of a key. */
export interface ReconcileMemory {
  ownWrites: OwnWrites;
  /** After a restart: the job id before it, and until when to keep polling for the new one. */
  restartFollow: Map<string, { jobId: string | undefined; until: number }>;
  /** The API tokens read recently, per Secret. */
  tokens: ApiTokenCache;
  /** Keys whose last reconcile hit a Kubernetes conflict: the next one reads the CR fresh, not from the cache. */
  stale: Set<string>;
}

/** The status being built during one reconcile. */
export class StatusDraft {
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
  remove(type: typeof DELETION_BLOCKED | typeof PARALLELISM_ALIGNED): void {
    this.conditions = removeCondition(this.conditions, type);
  }
  get(type: ConditionType): Condition | undefined {
    return findCondition(this.conditions, type);
  }
}

/**
 * A step ended the reconcile; `writeStatus` says whether the draft is written first. A control-flow signal caught by
 * the reconciler itself, never an error that leaves it (so it is no part of the error taxonomy).
 */
export class StepEnd extends Error {
  constructor(
    readonly result: ReconcileResult,
    readonly writeStatus: boolean,
  ) {
    super(result.message ?? result.result);
  }
}

/** The context of one reconcile of one CR, built once and handed to every step. */
export interface ReconcileContext {
  deps: ReconcilerDeps & { now: () => Date };
  memory: ReconcileMemory;
  key: string;
  cr: VvpDeploymentResource;
  draft: StatusDraft;
  deleting: boolean;
  /** status.deploymentId was set before this reconcile. */
  hadDeployment: boolean;
}

/** The context once the spec is read and VVP is reachable. */
export interface DeploymentContext extends ReconcileContext {
  spec: VvpDeploymentSpec;
  desired: Deployment;
  target: DeploymentRef;
  /** The spec has validation errors (only reached while deleting). */
  invalid: boolean;
  ownership: Ownership;
  vvp: VvpClient;
  flow: WorkflowContext;
  /** This reconcile is the periodic resync of the CR (not a watch event). */
  resync: boolean;
  /** What this reconcile learnt (reconcile/autopilot.ts): the Autopilot status once read, the fields not kept. */
  learnt: { autopilot?: { status: AutopilotStatus | undefined }; notKept?: string[] };
}

/** Sends a Warning event when the condition transitioned in this reconcile (once per transition). */
export async function warnOnTransition(
  ctx: ReconcileContext,
  type: ConditionType,
  reason: Reason | EventReason,
  message: string,
): Promise<void> {
  if (ctx.draft.transitioned.has(type)) await ctx.deps.recorder.emit(ctx.cr, 'Warning', reason, message);
}

/** Records a False condition, warns once per transition, and ends the reconcile as `failed` (status written). */
export async function fail(
  ctx: ReconcileContext,
  update: ConditionUpdate & { message: string },
  also: ConditionUpdate[] = [],
): Promise<never> {
  ctx.draft.set(update);
  for (const u of also) ctx.draft.set(u);
  await warnOnTransition(ctx, update.type, update.reason, update.message);
  throw new StepEnd({ result: 'failed', message: update.message }, true);
}
