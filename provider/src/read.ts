/** read() (refresh): report the deployment as VVP holds it; out-of-band changes become the inputs' values. */
import {
  autopilotActive,
  autopilotOwnedPaths,
  driftPaths,
  needsJobRecovery,
  overlayDrift,
  withoutPaths,
  type CrDeployment,
  type Deployment,
} from '../../core/src/index';
import { readAutopilot } from '../../vvp-client/src/index';
import { clean, observed, PROVIDER_KEY } from './inputs';
import type { Operation } from './operation';
import { jobEndedMessage } from './recover';

/**
 * Reads; a deployment deleted out of band (or replaced under the name) is reported gone (empty id). Fields VVP did
 * not keep are no drift; Autopilot-owned fields that Autopilot (mode ACTIVE) changed are a warning, not a change for
 * `pulumi up` to undo. The Autopilot status is read only when such a field drifted (ADR 0011).
 */
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
  let excluded = Array.isArray(props.fieldsNotKept) ? (props.fieldsNotKept as string[]) : [];
  const seen = props.lastObserved as Deployment | undefined;
  const before = seen && withoutPaths(seen, excluded);
  let now = withoutPaths(obs.lastObserved!, excluded);
  let paths = before ? driftPaths(before, now) : [];
  const owned = autopilotOwnedPaths(paths);
  if (owned.length > 0 && autopilotActive(await readAutopilot(op.flow, { namespace: ref.namespace, id }))) {
    op.deps.log.warn(
      `${subject}: Autopilot (mode ACTIVE) changed ${owned.join(', ')}; \`pulumi up\` leaves Autopilot's values alone`,
    );
    excluded = [...excluded, ...owned];
    now = withoutPaths(now, owned);
    paths = paths.filter((p) => !owned.includes(p));
  }
  let deployment: CrDeployment = inputs.deployment;
  if (before && paths.length > 0) {
    op.deps.log.warn(
      `${subject}: changed outside Pulumi at ${paths.join(', ')}; \`pulumi up\` projects the program's values again`,
    );
    deployment = overlayDrift(ref.deployment, withoutPaths(before, excluded), now);
  }
  const actual = d.status?.state;
  if (needsJobRecovery(ref.deployment.spec?.state, actual)) op.deps.log.warn(jobEndedMessage(subject, actual!));
  const outputs: Record<string, unknown> = { ...props, ...obs, deployment };
  delete outputs[PROVIDER_KEY];
  return { id, props: clean(outputs), inputs: clean({ ...inputs, deployment }) };
}
