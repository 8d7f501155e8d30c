/**
 * Process-level last resort: an exception or rejection nothing handled is logged and the operator keeps serving
 * (every request and reconcile also has its own handler; this only catches what slipped through them).
 */
import { messageOf } from '../../../core/src/errors';
import type { Logger } from './logger';

/** The part of `process` the guards use (an EventEmitter in tests). */
export interface GuardedProcess {
  on(event: 'uncaughtException', listener: (err: unknown) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/** Installs the handlers; returns how many failures they caught so far. */
export function installCrashGuards(log: Logger, proc: GuardedProcess = process): () => number {
  let caught = 0;
  const report = (kind: string) => (err: unknown) => {
    caught++;
    const stack = err instanceof Error && err.stack ? err.stack.split('\n').slice(0, 6).join('\n') : undefined;
    log.error({ kind, err: messageOf(err).slice(0, 1000), ...(stack ? { stack } : {}) }, `${kind}; still serving`);
  };
  proc.on('uncaughtException', report('uncaught exception'));
  proc.on('unhandledRejection', report('unhandled rejection'));
  return () => caught;
}
