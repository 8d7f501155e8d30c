/** Step: find the deployment in VVP, then adopt it, refuse it (NameConflict), report it missing, or create it. */
import { CONSISTENT, Reasons, SPEC_ALIGNED } from '../../../../core/src/conditions';
import { isTransient, isUnauthorized, messageOf } from '../../../../core/src/errors';
import { ADOPT_ANNOTATION } from '../../../../core/src/model/deployment';
import type { VvpDeployment } from '../../../../core/src/model/deployment';
import { wantsAdoption } from '../../../../core/src/ownership';
import { definitionDigest, resolveDeployment } from '../../../../core/src/sync/index';
import {
  adoptOrConflict,
  createOrAdopt,
  NameConflictError,
  type AdoptionRequest,
  type CreateHow,
} from '../../../../vvp-client/src/index';
import { EventReasons } from '../events';
import { fail, type DeploymentContext } from './context';
import { removeFinalizer } from './finalizer';

/** The deployment this reconcile works on, and how it came to be ours in this reconcile (if it did). */
export interface Found {
  current: VvpDeployment;
  /** Created or adopted in this reconcile: nonces present now are recorded as processed. */
  firstSight: boolean;
  created: boolean;
  adopted: boolean;
}

/** How an operator user asks for adoption (ends the NameConflict message). */
const ADOPT_HINT = `set annotation ${ADOPT_ANNOTATION}: "true" on the CR`;

const adoption = (ctx: DeploymentContext): AdoptionRequest => ({
  ref: ctx.target,
  ownership: ctx.ownership,
  adopt: wantsAdoption(ctx.cr.metadata.annotations),
  adoptHint: ADOPT_HINT,
});

/** NameConflict: the deployment was not touched; the condition says how to proceed. */
const conflict = (ctx: DeploymentContext, err: NameConflictError): Promise<never> =>
  fail(ctx, { type: CONSISTENT, status: 'False', reason: Reasons.NameConflict, message: err.message });

/** Finds, adopts or creates the deployment; ends the reconcile where the contract says so. */
export async function ensureDeployment(ctx: DeploymentContext): Promise<Found> {
  const { cr, target, deleting } = ctx;
  const where = `${target.namespace}/${target.name}`;
  const current = await ctx.vvp.findDeployment(target.namespace, target.name);
  if (current && cr.status?.deploymentId !== current.metadata.id) {
    let how: CreateHow;
    try {
      how = adoptOrConflict(adoption(ctx), current);
    } catch (err) {
      if (!(err instanceof NameConflictError)) throw err;
      if (deleting) return removeFinalizer(ctx, `deployment ${where} in VVP is not ours and is left alone`);
      return conflict(ctx, err);
    }
    await announce(ctx, current, how);
    return { current, firstSight: !ctx.hadDeployment, created: false, adopted: true };
  }
  if (current) return { current, firstSight: false, created: false, adopted: false };
  if (deleting) return removeFinalizer(ctx, `deployment ${where} no longer exists in VVP`);
  if (ctx.hadDeployment && cr.metadata.generation === cr.status?.observedGeneration) {
    delete ctx.draft.status.actualState;
    return fail(ctx, {
      type: CONSISTENT,
      status: 'False',
      reason: Reasons.DeploymentMissing,
      message: `deployment ${where} (id ${cr.status?.deploymentId}) was deleted in VVP outside Kubernetes; it is recreated on the next spec change`,
    });
  }
  return create(ctx);
}

async function create(ctx: DeploymentContext): Promise<Found> {
  const { cr, spec, desired, target } = ctx;
  let made: { deployment: VvpDeployment; how: CreateHow };
  try {
    made = await createOrAdopt(ctx.flow, {
      ...adoption(ctx),
      mode: spec.syncingMode,
      desired,
      initFields: resolveDeployment(spec.initFields),
      knownAbsent: true,
    });
  } catch (err) {
    if (err instanceof NameConflictError) return conflict(ctx, err);
    if (isTransient(err) || isUnauthorized(err, 'vvp')) throw err;
    return fail(ctx, {
      type: CONSISTENT,
      status: 'False',
      reason: Reasons.CreateFailed,
      message: `creating deployment ${target.namespace}/${target.name} failed: ${messageOf(err)}`,
    });
  }
  if (made.how !== 'created') {
    await announce(ctx, made.deployment, made.how);
    return { current: made.deployment, firstSight: true, created: false, adopted: true };
  }
  const d = made.deployment;
  await ctx.deps.recorder.emit(
    cr,
    'Normal',
    EventReasons.Created,
    `created deployment ${target.namespace}/${target.name} (id ${d.metadata.id}) in VVP (mode=${spec.syncingMode}, state ${desired.spec?.state ?? 'unset'})`,
  );
  ctx.draft.status.observedGeneration = cr.metadata.generation;
  ctx.draft.status.projectedDigest = definitionDigest(spec.syncingMode, desired);
  ctx.draft.set({
    type: SPEC_ALIGNED,
    status: 'True',
    reason: Reasons.ConfigUpdated,
    message: `created deployment (mode=${spec.syncingMode})`,
  });
  return { current: d, firstSight: true, created: true, adopted: false };
}

async function announce(ctx: DeploymentContext, d: VvpDeployment, how: CreateHow): Promise<void> {
  const what =
    how === 'own'
      ? 'found the deployment this CR created earlier'
      : `adopted the existing deployment (annotation ${ADOPT_ANNOTATION})`;
  await ctx.deps.recorder.emit(
    ctx.cr,
    'Normal',
    EventReasons.Adopted,
    `${what}: ${ctx.target.namespace}/${ctx.target.name} (id ${d.metadata.id})`,
  );
}
