/** What every VVP workflow runs with: the client, who acts, how the deployment is named, where best-effort failures go. */
import { errorFacts, messageOf } from '../../../core/src/errors';
import type { Actor } from '../../../core/src/events';
import { fieldsNotKept } from '../../../core/src/kept-fields';
import type { Deployment } from '../../../core/src/model/generated';
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
  /** Where notes go (a VVP without an events endpoint, said once per VVP URL). @default warn */
  info?(message: string): void;
  /** Post VVP-side events (contract section 11). @default true */
  vvpEvents?: boolean;
  /**
   * After each write of the definition (create, projection): the paths it sent that VVP's answer does not hold
   * (empty when VVP kept everything). The entry point reports a new set once and persists it (ADR 0011).
   */
  fieldsNotKept?(paths: string[]): void;
}

/** Compares a write's body with VVP's answer and hands the fields VVP did not keep to the entry point. */
export function reportKept(ctx: WorkflowContext, sent: Deployment, answer: unknown): void {
  ctx.fieldsNotKept?.(fieldsNotKept(sent, answer));
}

/**
 * VVP URLs whose events endpoint answered 404 or 405 (VVP 2.x has no `POST /events`), remembered for the life of
 * the process so both entry points say it once and post no more events there.
 */
const withoutEvents = new Set<string>();

/** Statuses by which a VVP says it has no events endpoint. */
const NO_ENDPOINT = [404, 405];

/**
 * Posts a VVP event for a deployment, best effort: a failure is reported through `warn` and never thrown. A VVP
 * without an events endpoint is noted once per URL through `info` and skipped afterwards.
 */
export async function recordEvent(
  ctx: WorkflowContext,
  deployment: { namespace: string; id: string },
  message: string,
): Promise<void> {
  if (ctx.vvpEvents === false || withoutEvents.has(ctx.client.baseUrl)) return;
  try {
    await ctx.client.createEvent(deployment.namespace, { deploymentId: deployment.id, message });
  } catch (err) {
    const facts = errorFacts(err);
    const status = facts?.source === 'vvp' ? facts.status : undefined;
    if (status !== undefined && NO_ENDPOINT.includes(status)) {
      withoutEvents.add(ctx.client.baseUrl);
      (ctx.info ?? ctx.warn)(
        `VVP at ${ctx.client.baseUrl} has no events endpoint (POST /api/v1/namespaces/${deployment.namespace}/events answered ${status}): VVP-side events are skipped for this VVP from now on`,
      );
      return;
    }
    ctx.warn(`${ctx.subject}: could not record the VVP event "${message}" (best effort): ${messageOf(err)}`);
  }
}

/** The namespace and id of a deployment VVP returned, for `recordEvent`. */
export const eventTarget = (d: { metadata: { namespace: string; id: string } }) => ({
  namespace: d.metadata.namespace,
  id: d.metadata.id,
});
