/** create(): create the deployment (or adopt it, or refuse it: NameConflict), then wait for its state. */
import { messageOf, resolveDeployment, type VvpDeployment } from '../../core/src/index';
import { createOrAdopt, project } from '../../vvp-client/src/index';
import { lastSeenBy, ResourceInitError } from './errors';
import { clean, observed, PROVIDER_KEY } from './inputs';
import { keptOutputs, type Operation } from './operation';
import type { ProviderOutputs } from './types';
import { waitForState } from './wait';

/** How a Pulumi user asks for adoption (ends the NameConflict message). */
const ADOPT_HINT = 'set `adopt: true` on the resource (or `pulumi import` it)';

/** Creates or adopts; a failed wait still returns the id (ResourceInitError), so Pulumi records the resource. */
export async function createResource(
  op: Operation,
  props: Record<string, unknown>,
): Promise<{ id: string; outs: Record<string, unknown> }> {
  const { inputs, ref, subject, ownership } = op;
  const made = await createOrAdopt(op.flow, {
    ref,
    ownership,
    adopt: inputs.adopt === true,
    adoptHint: ADOPT_HINT,
    mode: inputs.syncingMode,
    desired: ref.deployment,
    initFields: resolveDeployment(inputs.initFields),
  });
  let d = made.deployment;
  if (made.how !== 'created') {
    op.deps.log.info(`${subject}: adopting the existing deployment ${d.metadata.id}`);
    d = await project(op.flow, { ref, mode: inputs.syncingMode, desired: ref.deployment, ownership, current: d });
  }
  op.deps.log.info(
    `${subject}: ${made.how === 'created' ? 'created' : 'adopted'} deployment ${d.metadata.id} (${inputs.syncingMode})`,
  );
  const kept = keptOutputs(op, undefined);
  // nonces present at creation do not trigger; they are recorded as processed
  const outputs = (x: VvpDeployment): ProviderOutputs => ({
    ...inputs,
    ...observed(inputs, ref.deployment, x),
    ...kept,
    lastChange: 'none',
    blockedNonces: [],
    ...(inputs.savepointNonce !== undefined ? { lastProcessedSavepointNonce: inputs.savepointNonce } : {}),
    ...(inputs.restartNonce !== undefined ? { lastProcessedRestartNonce: inputs.restartNonce } : {}),
  });
  try {
    if (op.waitsForState)
      d = await waitForState(op.wait, ref, {
        desired: d.spec.state ?? 'CANCELLED',
        deadline: op.deadline,
        initial: d,
        staleState: d.status?.state,
      });
  } catch (err) {
    throw new ResourceInitError(
      messageOf(err),
      d.metadata.id,
      { ...clean(outputs(lastSeenBy(err, d))), [PROVIDER_KEY]: props[PROVIDER_KEY] },
      [messageOf(err)],
      { cause: err },
    );
  }
  return { id: d.metadata.id, outs: clean(outputs(d)) };
}
