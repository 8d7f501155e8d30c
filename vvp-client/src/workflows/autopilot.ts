/** Reading the Autopilot policy status (ADR 0011): a VVP without Autopilot is noted once per URL, then not asked. */
import type { AutopilotStatus } from '../../../core/src/autopilot';
import { errorFacts } from '../../../core/src/errors';
import type { WorkflowContext } from './context';

/** VVP URLs whose Autopilot endpoint answered 404 or 405, for the life of the process (like the events endpoint). */
const withoutAutopilot = new Set<string>();

/** Statuses by which a VVP says it has no Autopilot. */
const NO_AUTOPILOT = [404, 405];

/**
 * The Autopilot status of a deployment, or undefined on a VVP without Autopilot (the first 404 or 405 is said once
 * through `info` and remembered per VVP URL; later calls make no request). Other failures are thrown.
 */
export async function readAutopilot(
  ctx: WorkflowContext,
  deployment: { namespace: string; id: string },
): Promise<AutopilotStatus | undefined> {
  if (withoutAutopilot.has(ctx.client.baseUrl)) return undefined;
  try {
    return await ctx.client.getAutopilotStatus(deployment.namespace, deployment.id);
  } catch (err) {
    const facts = errorFacts(err);
    const status = facts?.source === 'vvp' ? facts.status : undefined;
    if (status === undefined || !NO_AUTOPILOT.includes(status)) throw err;
    withoutAutopilot.add(ctx.client.baseUrl);
    (ctx.info ?? ctx.warn)(
      `VVP at ${ctx.client.baseUrl} has no Autopilot (GET /autopilot/v1alpha1/namespaces/${deployment.namespace}/deployments/…/autopilotpolicy:status answered ${status}): Autopilot is not consulted for this VVP from now on`,
    );
    return undefined;
  }
}
