/** read() (refresh): report the deployment as VVP holds it; out-of-band changes become the inputs' values. */
import { driftPaths, needsJobRecovery, overlayDrift, type CrDeployment, type Deployment } from '../../core/src/index';
import { clean, observed, PROVIDER_KEY } from './inputs';
import type { Operation } from './operation';
import { jobEndedMessage } from './recover';

/** Reads; a deployment deleted out of band (or replaced under the name) is reported gone (empty id). */
export async function readResource(
  op: Operation,
  id: string,
  props: Record<string, unknown>,
): Promise<{ id: string; props?: Record<string, unknown>; inputs?: Record<string, unknown> }> {
  const { inputs, ref, subject } = op;
  const d = await op.client.findDeployment(ref.namespace, ref.name);
  if (!d || d.metadata.id !== id) {
    op.deps.log.warn(
      `${subject}: the deployment ${id} no longer exists in VVP; it is removed from the stack and the next \`pulumi up\` creates it again`,
    );
    return { id: '' };
  }
  const obs = observed(inputs, ref.deployment, d);
  const before = props.lastObserved as Deployment | undefined;
  let deployment: CrDeployment = inputs.deployment;
  const paths = before ? driftPaths(before, obs.lastObserved!) : [];
  if (before && paths.length > 0) {
    op.deps.log.warn(
      `${subject}: changed outside Pulumi at ${paths.join(', ')}; \`pulumi up\` projects the program's values again`,
    );
    deployment = overlayDrift(ref.deployment, before, obs.lastObserved!);
  }
  const actual = d.status?.state;
  if (needsJobRecovery(ref.deployment.spec?.state, actual)) op.deps.log.warn(jobEndedMessage(subject, actual!));
  const outputs: Record<string, unknown> = { ...props, ...obs, deployment };
  delete outputs[PROVIDER_KEY];
  return { id, props: clean(outputs), inputs: clean({ ...inputs, deployment }) };
}
