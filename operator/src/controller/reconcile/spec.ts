/** Step: read and validate the CR's spec (the same core.validate as the webhook) and resolve its deployment. */
import { CONSISTENT, Reasons, SPEC_ALIGNED } from '../../../../core/src/conditions';
import { deploymentRef, type DeploymentRef } from '../../../../core/src/model/deployment';
import type { Deployment, VvpDeploymentSpec } from '../../../../core/src/model/generated';
import { resolveDeployment } from '../../../../core/src/sync/index';
import { errorsOf, validate } from '../../../../core/src/validate';
import { fail, type ReconcileContext } from './context';
import { removeFinalizer } from './finalizer';

/** The spec as the next steps use it. */
export interface ReadSpec {
  spec: VvpDeploymentSpec;
  desired: Deployment;
  target: DeploymentRef;
  invalid: boolean;
}

/**
 * Validates the spec. An invalid spec fails the reconcile with InvalidSpec (the last projected definition stays in
 * force), except while deleting: an invalid CR can still be deleted, acting only on a deployment we created.
 */
export async function readSpec(ctx: ReconcileContext): Promise<ReadSpec> {
  const { cr } = ctx;
  const issues = validate({ metadata: cr.metadata, spec: cr.spec }, undefined, {
    instanceId: ctx.deps.instanceId,
    operation: ctx.hadDeployment ? 'UPDATE' : 'CREATE',
    subject: `vvpdeployment ${ctx.key}`,
  });
  const errors = errorsOf(issues);
  const spec = cr.spec as VvpDeploymentSpec;
  const desired: Deployment = errors.length && !spec?.deployment ? {} : resolveDeployment(spec?.deployment);
  const target = deploymentRef(desired);
  if (errors.length) {
    const message = errors.map((e) => e.message).join('; ');
    if (!ctx.deleting)
      await fail(
        ctx,
        { type: SPEC_ALIGNED, status: 'False', reason: Reasons.InvalidSpec, message },
        ctx.hadDeployment ? [] : [{ type: CONSISTENT, status: 'False', reason: Reasons.CreateFailed, message }],
      );
    if (!target || !ctx.hadDeployment) return removeFinalizer(ctx, 'the CR is invalid and has no deployment in VVP');
  }
  return { spec, desired, target: target as DeploymentRef, invalid: errors.length > 0 };
}
