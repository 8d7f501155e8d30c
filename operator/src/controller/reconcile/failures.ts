/**
 * How a reconcile that threw ends, by the error taxonomy: a Kubernetes conflict or failure is retried; VVP
 * unreachable is VvpUnreachable and retried; VVP refusing the token is Unauthorized; the API-token Secret missing
 * or unreadable is ApiKeySecretMissing (retried when Kubernetes failed the read, e.g. RBAC).
 */
import { CONSISTENT, Reasons } from '../../../../core/src/conditions';
import { errorSource, isConflict, isTransient, isUnauthorized, messageOf } from '../../../../core/src/errors';
import { ApiKeySecretError } from '../api-token';
import { warnOnTransition, type ReconcileContext, type ReconcileResult } from './context';
import { writeStatus } from './status';

/** Requeue interval while the API token Secret is missing or VVP refuses its token (Secrets are not watched), in ms. */
export const SECRET_RETRY_MS = 15000;

/** Maps a thrown error to a condition (where one applies) and a result. */
export async function handleFailure(ctx: ReconcileContext, err: unknown): Promise<ReconcileResult> {
  const { draft, deps } = ctx;
  const message = messageOf(err);
  const bestEffortWrite = () =>
    writeStatus(ctx).catch((e: unknown) => deps.log.warn({ key: ctx.key, err: messageOf(e) }, 'status write failed'));
  if (isConflict(err, 'kubernetes')) {
    // the watch cache may lag behind the write that won: the retry reads the CR fresh
    ctx.memory.stale.add(ctx.key);
    return { result: 'retry', message };
  }
  if (isTransient(err, 'vvp')) {
    draft.set({ type: CONSISTENT, status: 'False', reason: Reasons.VvpUnreachable, message });
    await warnOnTransition(ctx, CONSISTENT, Reasons.VvpUnreachable, message);
    await bestEffortWrite();
    return { result: 'retry', message };
  }
  if (isUnauthorized(err, 'vvp')) {
    // the token may have been rotated in the Secret: the retry reads the Secret again
    ctx.memory.tokens.invalidate(ctx.cr);
    draft.set({
      type: CONSISTENT,
      status: 'False',
      reason: Reasons.Unauthorized,
      message: `${message}; check the API token in the Secret named by annotation apikeySecretName`,
    });
    await warnOnTransition(ctx, CONSISTENT, Reasons.Unauthorized, message);
    await writeStatus(ctx);
    // Secrets are not watched: retry soon, so that a rotated token is picked up without waiting for the resync
    return { result: 'failed', message, requeueAfterMs: SECRET_RETRY_MS };
  }
  if (err instanceof ApiKeySecretError) {
    draft.set({ type: CONSISTENT, status: 'False', reason: Reasons.ApiKeySecretMissing, message });
    await warnOnTransition(ctx, CONSISTENT, Reasons.ApiKeySecretMissing, message);
    await bestEffortWrite();
    if (isTransient(err)) return { result: 'retry', message };
    return { result: 'failed', message, requeueAfterMs: SECRET_RETRY_MS };
  }
  if (errorSource(err) === 'kubernetes') return { result: 'retry', message };
  // an unexpected error: keep the operator alive, back off and try again
  deps.log.error({ key: ctx.key, err: message, stack: (err as Error)?.stack }, 'reconcile failed unexpectedly');
  return { result: 'retry', message };
}
