/**
 * Progress of long operations: while a Create, Update or Delete runs (the handlers wait for VVP), a line every
 * `intervalMs` (10 s) under the resource with VVP's actual state, the time elapsed and the time left before the
 * wait's deadline (`waitFor.timeoutSeconds`), so a slow transition is never silent.
 */
import { DEFAULT_WAIT_TIMEOUT_SECONDS } from '../../../core/src/index';
import type { ProviderLog } from '../wait';

/** How often a progress line is logged. */
export const PROGRESS_INTERVAL_MS = 10_000;

/** What a progress line needs. */
export interface ProgressOptions {
  log: ProviderLog;
  /** e.g. `deployment default/orders` */
  subject: string;
  /** What is being done, e.g. `creating`. */
  action: string;
  /** `waitFor.timeoutSeconds` of the resource, if set. */
  timeoutSeconds?: number | undefined;
  /** Reads VVP's actual state (undefined when unknown). */
  probe: () => Promise<string | undefined>;
  intervalMs?: number;
  now?: () => number;
}

/** Runs `fn`, logging a progress line every interval until it settles. */
export async function withProgress<T>(options: ProgressOptions, fn: () => Promise<T>): Promise<T> {
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + (options.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS) * 1000;
  let done = false;
  const tick = async () => {
    const state = await options.probe().catch(() => undefined);
    if (done) return;
    const elapsed = Math.round((now() - started) / 1000);
    const left = Math.max(0, Math.round((deadline - now()) / 1000));
    options.log.info(
      `${options.subject}: still ${options.action}: actual state ${state ?? 'unknown'}, ${elapsed} s elapsed, deadline in ${left} s`,
    );
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? PROGRESS_INTERVAL_MS);
  try {
    return await fn();
  } finally {
    done = true;
    clearInterval(timer);
  }
}
