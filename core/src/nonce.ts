/** Nonce rules: equality not order, processed only while RUNNING, blocked values are consumed. */
import type { ActualState, DesiredState } from './model/generated';

/** The two nonces. */
export type NonceKind = 'savepoint' | 'restart';
/** Order in which nonces run within one reconcile or update: savepoint before restart. */
export const NONCE_ORDER: readonly NonceKind[] = ['savepoint', 'restart'];

/** What to do with one nonce. */
export type NonceAction = 'none' | 'trigger' | 'blocked';

/** The decision for one nonce; `record` is the value to store as processed afterwards. */
export interface NonceDecision {
  kind: NonceKind;
  action: NonceAction;
  value: number | undefined;
  record: number | undefined;
  /** Why a change was blocked, naming the states, when action is `blocked`. */
  reason?: string;
}

/** Desired and last processed values of one nonce. */
export interface NonceValues {
  desired: number | undefined | null;
  processed: number | undefined | null;
}

const norm = (v: number | undefined | null): number | undefined => (v === null ? undefined : v);

/** True when the desired value differs from the processed one and names a value to act on (removal is no trigger). */
export function nonceChanged(values: NonceValues): boolean {
  const desired = norm(values.desired);
  return desired !== undefined && desired !== norm(values.processed);
}

/**
 * Decides one nonce: unchanged or removed → none; changed while spec and actual state are both RUNNING →
 * trigger; otherwise → blocked, and the value is consumed (recorded as processed, never retried).
 */
export function decideNonce(
  kind: NonceKind,
  values: NonceValues,
  states: { spec: DesiredState | string | undefined; actual: ActualState | string | undefined },
): NonceDecision {
  const desired = norm(values.desired);
  if (!nonceChanged(values)) return { kind, action: 'none', value: desired, record: desired };
  if (states.spec === 'RUNNING' && states.actual === 'RUNNING')
    return { kind, action: 'trigger', value: desired, record: desired };
  const reason = `${kind} nonce ${desired} needs spec and actual state RUNNING (spec ${states.spec ?? 'unset'}, actual ${states.actual ?? 'unknown'}); the value is consumed, set a new value once the job is RUNNING`;
  return { kind, action: 'blocked', value: desired, record: desired, reason };
}

/** Decides both nonces in their order (savepoint, then restart). */
export function decideNonces(
  values: Record<NonceKind, NonceValues>,
  states: { spec: string | undefined; actual: string | undefined },
): NonceDecision[] {
  return NONCE_ORDER.map((kind) => decideNonce(kind, values[kind], states));
}
