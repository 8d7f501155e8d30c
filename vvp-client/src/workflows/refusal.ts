/**
 * A create or an update that VVP refused with a 4xx, explained when the definition names a deployment target or a
 * session cluster VVP does not have (ADR 0008, ADR 0011): one look-up, only after a refusal, so a working write costs
 * no extra request whatever wording VVP uses.
 */
import { errorFacts, VvpError } from '../../../core/src/errors';
import type { Deployment } from '../../../core/src/model/generated';
import { isNotFound } from '../errors';
import type { WorkflowContext } from './context';

/** What a deployment runs on, and how to create one. */
const PLACEMENTS = {
  target: {
    field: 'spec.deploymentTargetName',
    what: 'deployment target',
    create: (ns: string) =>
      `VVP UI → Deployment Targets, or the REST API POST /api/v1/namespaces/${ns}/deployment-targets`,
  },
  sessionCluster: {
    field: 'spec.sessionClusterName',
    what: 'session cluster',
    create: (ns: string) =>
      `VVP UI → Session Clusters, or the REST API POST /api/v1/namespaces/${ns}/sessionclusters, and start it`,
  },
} as const;

type Placement = keyof typeof PLACEMENTS;

/** The deployment names a deployment target or a session cluster the VVP namespace does not have. */
export class PlacementMissingError extends VvpError {
  override name = 'PlacementMissingError';
  constructor(
    readonly placement: Placement,
    name: string,
    namespace: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    const p = PLACEMENTS[placement];
    super(
      `${p.what} ${name} does not exist in VVP namespace ${namespace}: create it (${p.create(namespace)}) or fix ${p.field}`,
      { source: 'vvp', ...(options.status !== undefined ? { status: options.status } : {}), cause: options.cause },
    );
  }
}

/** A missing deployment target (the name ADR 0008 gave it). */
export class DeploymentTargetMissingError extends PlacementMissingError {
  override name = 'DeploymentTargetMissingError';
  constructor(target: string, namespace: string, options: { status?: number; cause?: unknown } = {}) {
    super('target', target, namespace, options);
  }
}

/**
 * After VVP refused a write of `desired` with a 4xx: when the definition names a session cluster or a deployment
 * target VVP does not have (one GET), the refusal becomes a PlacementMissingError; otherwise the original error.
 */
export async function explainRefusal(
  ctx: WorkflowContext,
  namespace: string,
  desired: Deployment,
  err: unknown,
): Promise<unknown> {
  const status = errorFacts(err)?.status;
  if (status === undefined || status < 400 || status >= 500) return err;
  const session = desired.spec?.sessionClusterName;
  const target = desired.spec?.deploymentTargetName;
  const [placement, name, lookup] =
    typeof session === 'string'
      ? (['sessionCluster', session, () => ctx.client.getSessionCluster(namespace, session)] as const)
      : typeof target === 'string'
        ? (['target', target, () => ctx.client.getDeploymentTarget(namespace, target)] as const)
        : [undefined, undefined, undefined];
  if (!placement) return err;
  try {
    await lookup();
    return err;
  } catch (found) {
    if (!isNotFound(found, 'vvp')) return err;
    return placement === 'target'
      ? new DeploymentTargetMissingError(name, namespace, { status, cause: err })
      : new PlacementMissingError(placement, name, namespace, { status, cause: err });
  }
}
