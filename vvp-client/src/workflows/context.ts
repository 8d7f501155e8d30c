/** What every VVP workflow runs with: the client, who acts, how the deployment is named, where best-effort failures go. */
import { messageOf } from '../../../core/src/errors';
import type { Actor } from '../../../core/src/events';
import type { VvpClient } from '../client';

/** The context of one workflow call; the entry point (operator, provider) builds it once per operation. */
export interface WorkflowContext {
  client: VvpClient;
  /** Named in VVP-side events: `Kubernetes operator` or `Pulumi`. */
  actor: Actor;
  /** Names the deployment in messages, e.g. `deployment default/orders`. */
  subject: string;
  /** Where best-effort failures are reported (a VVP event that could not be posted). */
  warn(message: string): void;
  /** Post VVP-side events (contract section 11). @default true */
  vvpEvents?: boolean;
}

/** Posts a VVP event for a deployment, best effort: a failure is reported through `warn` and never thrown. */
export async function recordEvent(
  ctx: WorkflowContext,
  deployment: { namespace: string; id: string },
  message: string,
): Promise<void> {
  if (ctx.vvpEvents === false) return;
  try {
    await ctx.client.createEvent(deployment.namespace, { deploymentId: deployment.id, message });
  } catch (err) {
    ctx.warn(`${ctx.subject}: could not record the VVP event "${message}" (best effort): ${messageOf(err)}`);
  }
}

/** The namespace and id of a deployment VVP returned, for `recordEvent`. */
export const eventTarget = (d: { metadata: { namespace: string; id: string } }) => ({
  namespace: d.metadata.namespace,
  id: d.metadata.id,
});
