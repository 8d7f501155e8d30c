/** Bounded waits: actual state reaching the spec state, a savepoint completing. Progress goes to the log. */
import {
  isMoving,
  isTerminalMismatch,
  messageOf,
  type DeploymentRef,
  type VvpDeployment,
  type VvpSavepoint,
} from '../../core/src/index';
import type { VvpClient } from '../../vvp-client/src/index';
import { WaitError } from './errors';

/** Where progress goes (pulumi.log in the provider, a recorder in tests). */
export interface ProviderLog {
  info(message: string): void;
  warn(message: string): void;
}

/** What a wait needs: the client, the log, a clock and a sleep. */
export interface WaitContext {
  client: VvpClient;
  log: ProviderLog;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Names the deployment in messages, e.g. `deployment default/orders`. */
  subject: string;
  /** First poll interval and its cap (the interval grows by half each poll). */
  pollMs: { initial: number; max: number };
  /** A progress line (state, elapsed, deadline) at least this often while waiting, in ms. @default 10000 */
  progressMs?: number;
}

/** Default interval of progress lines during a wait, in ms. */
export const PROGRESS_INTERVAL_MS = 10_000;

/** Logs a line at least every `progressMs` while a wait goes on: what it waits for, the state, elapsed, time left. */
function progressReporter(
  ctx: WaitContext,
  goal: string,
  deadline: number,
): (state: string | undefined, upcomingSleepMs: number) => void {
  const started = ctx.now();
  const every = ctx.progressMs ?? PROGRESS_INTERVAL_MS;
  let last = started;
  return (state, upcomingSleepMs) => {
    const now = ctx.now();
    // report now when the coming sleep would leave more than `every` without a line
    if (now + upcomingSleepMs - last <= every) return;
    last = now;
    const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;
    ctx.log.info(
      `${ctx.subject}: still waiting for ${goal}: ${state ?? 'unknown'} after ${seconds(now - started)}, deadline in ${seconds(deadline - now)}`,
    );
  };
}

/** The next sleep: the poll interval, shortened so that a progress line and the deadline are never missed. */
function nextSleep(ctx: WaitContext, interval: number, deadline: number): number {
  return Math.max(0, Math.min(interval, ctx.progressMs ?? PROGRESS_INTERVAL_MS, deadline - ctx.now()));
}

/** How many VVP events an error quotes. */
const EVENTS_IN_ERROR = 5;

async function recentEvents(ctx: WaitContext, namespace: string, deploymentId: string): Promise<string> {
  try {
    const events = await ctx.client.listEvents(namespace, { deploymentId });
    const lines = events
      .slice(-EVENTS_IN_ERROR)
      .map((e) => `  - ${e.metadata.createdAt ?? ''} ${e.spec.message ?? ''}`.trimEnd());
    return lines.length > 0 ? `\nVVP events:\n${lines.join('\n')}` : '';
  } catch (err) {
    return `\n(VVP events could not be read: ${messageOf(err)})`;
  }
}

/**
 * Polls the deployment until its actual state equals `desired` (and `until` holds), logging each transition.
 * FAILED (or FINISHED for RUNNING) ends the wait with VVP's events, unless it is the `staleState` VVP showed
 * before our write and has not left yet. `initial` is a deployment just returned by VVP (saves a poll).
 */
export async function waitForState(
  ctx: WaitContext,
  ref: DeploymentRef,
  options: {
    desired: string;
    deadline: number;
    initial?: VvpDeployment;
    staleState?: string | undefined;
    until?: (d: VvpDeployment) => boolean;
    goal?: string;
  },
): Promise<VvpDeployment> {
  const goal = options.goal ?? `actual state ${options.desired}`;
  let d = options.initial;
  let last = d?.status?.state;
  let stale = options.staleState;
  let interval = ctx.pollMs.initial;
  const progress = progressReporter(ctx, goal, options.deadline);
  for (let first = true; ; first = false) {
    if (!first || !d) {
      d = await ctx.client.getDeployment(ref.namespace, ref.name);
      const actual = d.status?.state;
      if (actual !== last) ctx.log.info(`${ctx.subject}: actual state ${last ?? 'unknown'} → ${actual ?? 'unknown'}`);
      last = actual;
    }
    const actual = d.status?.state;
    if (actual !== stale) stale = undefined;
    if (isTerminalMismatch(options.desired, actual) && stale === undefined) {
      const events = await recentEvents(ctx, ref.namespace, d.metadata.id);
      throw new WaitError(`${ctx.subject}: waiting for ${goal}, the deployment became ${actual}${events}`, d);
    }
    if (!isMoving(options.desired, actual) && (options.until?.(d) ?? true)) return d;
    if (ctx.now() >= options.deadline) {
      throw new WaitError(
        `${ctx.subject}: timed out waiting for ${goal} (last seen ${actual ?? 'unknown'}); raise waitFor.timeoutSeconds, or set waitFor.state to false to return without waiting`,
        d,
      );
    }
    const pause = nextSleep(ctx, interval, options.deadline);
    progress(actual, pause);
    await ctx.sleep(pause);
    interval = Math.min(ctx.pollMs.max, Math.ceil(interval * 1.5));
  }
}

/** Polls a savepoint until it is COMPLETED; FAILED ends the wait with VVP's failure message and events. */
export async function waitForSavepoint(
  ctx: WaitContext,
  namespace: string,
  savepoint: VvpSavepoint,
  options: { deadline: number },
): Promise<VvpSavepoint> {
  let sp = savepoint;
  let last = sp.status?.state;
  let interval = ctx.pollMs.initial;
  const progress = progressReporter(ctx, `savepoint ${sp.metadata.id} to complete`, options.deadline);
  ctx.log.info(`${ctx.subject}: savepoint ${sp.metadata.id} is ${last ?? 'unknown'}`);
  for (;;) {
    const state = sp.status?.state;
    if (state === 'COMPLETED') return sp;
    if (state === 'FAILED') {
      const events = await recentEvents(ctx, namespace, sp.metadata.deploymentId ?? '');
      const why = sp.status?.failure?.message ? `: ${sp.status.failure.message}` : '';
      throw new WaitError(`${ctx.subject}: savepoint ${sp.metadata.id} FAILED${why}${events}`);
    }
    if (ctx.now() >= options.deadline) {
      throw new WaitError(
        `${ctx.subject}: timed out waiting for savepoint ${sp.metadata.id} to complete (last seen ${state ?? 'unknown'}); raise waitFor.timeoutSeconds`,
      );
    }
    const pause = nextSleep(ctx, interval, options.deadline);
    progress(state, pause);
    await ctx.sleep(pause);
    interval = Math.min(ctx.pollMs.max, Math.ceil(interval * 1.5));
    sp = await ctx.client.getSavepoint(namespace, sp.metadata.id);
    if (sp.status?.state !== last) {
      last = sp.status?.state;
      ctx.log.info(`${ctx.subject}: savepoint ${sp.metadata.id} is ${last ?? 'unknown'}`);
    }
  }
}
