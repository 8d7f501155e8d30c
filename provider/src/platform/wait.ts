/** The bounded wait of a session cluster for its spec state; FAILED ends it with VVP's failure message. */
import type { VvpSessionCluster } from '../../../core/src/index';
import { WaitError } from '../errors';
import { PROGRESS_INTERVAL_MS } from '../wait';
import type { PlatformOp } from './operation';

/** Polls the cluster until its status.state is `desired`; returns the cluster as last read. */
export async function waitForCluster(
  op: PlatformOp,
  name: string,
  desired: 'RUNNING' | 'STOPPED',
  initial?: VvpSessionCluster,
): Promise<VvpSessionCluster> {
  const { wait } = op;
  const started = wait.now();
  let lastLine = started;
  let c = initial ?? (await op.api.getSessionCluster(op.namespace, name));
  let last = c.status?.state;
  let interval = wait.pollMs.initial;
  for (;;) {
    const state = c.status?.state;
    if (state === desired) return c;
    // FAILED while moving away from it is fine only when STOPPED is the goal (a stop of a failed cluster)
    if (state === 'FAILED' && desired === 'RUNNING') {
      const why = c.status?.failure?.message ? `: ${c.status.failure.message}` : '';
      throw new WaitError(
        `${op.subject}: waiting for state RUNNING, the session cluster became FAILED${why}; fix its settings (or the deployment target) and run \`pulumi up\` again`,
      );
    }
    if (wait.now() >= op.deadline) {
      throw new WaitError(
        `${op.subject}: timed out waiting for state ${desired} (last seen ${state ?? 'unknown'}); raise waitFor.timeoutSeconds, or set waitFor.state to false to return without waiting`,
      );
    }
    const every = wait.progressMs ?? PROGRESS_INTERVAL_MS;
    if (wait.now() - lastLine >= every) {
      lastLine = wait.now();
      wait.log.info(
        `${op.subject}: still waiting for state ${desired}: ${state ?? 'unknown'} after ${Math.round((lastLine - started) / 1000)} s, deadline in ${Math.max(0, Math.round((op.deadline - lastLine) / 1000))} s`,
      );
    }
    await wait.sleep(Math.max(0, Math.min(interval, every, op.deadline - wait.now())));
    interval = Math.min(wait.pollMs.max, Math.ceil(interval * 1.5));
    c = await op.api.getSessionCluster(op.namespace, name);
    if (c.status?.state !== last) {
      wait.log.info(`${op.subject}: state ${last ?? 'unknown'} → ${c.status?.state ?? 'unknown'}`);
      last = c.status?.state;
    }
  }
}
