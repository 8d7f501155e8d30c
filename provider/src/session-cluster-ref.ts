/**
 * A deployment's spec.sessionClusterName checked against VVP at check time: a warning where VVP is reachable and the
 * cluster is missing (preview goes on: the cluster may be created by the same `pulumi up`). At apply VVP refuses the
 * write and the shared workflow explains the refusal (vvp-client/src/workflows/refusal.ts).
 */
import { isPlainObject } from '../../core/src/index';
import { platformApi } from '../../vvp-client/src/index';
import { resolveConnection } from './connection';
import { hasUnknown } from './inputs';
import type { HandlerDeps } from './operation';

/** The namespace and the session cluster a deployment definition names, if any. */
export function sessionClusterRef(deployment: unknown): { namespace: string; name: string } | undefined {
  if (!isPlainObject(deployment) || !isPlainObject(deployment.spec)) return undefined;
  const name = deployment.spec.sessionClusterName;
  const metadata = (deployment.metadata ?? deployment.userMetadata) as { namespace?: unknown } | undefined;
  if (typeof name !== 'string' || name === '' || hasUnknown(name)) return undefined;
  const namespace =
    typeof metadata?.namespace === 'string' && !hasUnknown(metadata.namespace) ? metadata.namespace : 'default';
  return { namespace, name };
}

const missing = (subject: string, ref: { namespace: string; name: string }) =>
  `${subject}: session cluster '${ref.name}' does not exist in namespace '${ref.namespace}'; create it first ` +
  '(declare a vvp:index:SessionCluster and use its `name` output as spec.sessionClusterName, so Pulumi creates it before the deployment)';

/** check(): the warning for a missing session cluster, or undefined (present, not named, or VVP not reachable). */
export async function sessionClusterWarning(
  deps: HandlerDeps,
  props: Record<string, unknown>,
  subject: string,
): Promise<string | undefined> {
  const ref = sessionClusterRef(props.deployment);
  if (!ref) return undefined;
  try {
    const connection = resolveConnection(
      { baseUrl: props.baseUrl as string | undefined, apiToken: props.apiToken as string | undefined },
      { env: deps.env, config: deps.config?.(), subject },
    );
    const found = await platformApi(deps.clientFor(connection)).findSessionCluster(ref.namespace, ref.name);
    return found ? undefined : missing(subject, ref);
  } catch {
    // VVP not reachable or no connection at check time: the create or update decides
    return undefined;
  }
}
