/** Messages of the events we record on the VVP side (docs/contract.md §11). */

/** Who acted: the operator or the Pulumi provider. */
export type Actor = 'Kubernetes operator' | 'Pulumi';

/** VVP event name used for events we post. */
export const EXTERNAL_EVENT_NAME = 'EXTERNAL';

/** "<actor> created deployment". */
export function createdMessage(actor: Actor): string {
  return `${actor} created deployment`;
}

/** "<actor> projected deployment config (mode=PATCH)" plus the state change when there is one. */
export function projectedMessage(
  actor: Actor,
  mode: string,
  stateChange?: { from: string | undefined; to: string | undefined },
): string {
  const base = `${actor} projected deployment config (mode=${mode})`;
  return stateChange && stateChange.from !== stateChange.to
    ? `${base} including state change: ${stateChange.from ?? 'unset'} → ${stateChange.to ?? 'unset'}`
    : base;
}

/** "<actor> triggered savepoint". */
export function savepointMessage(actor: Actor): string {
  return `${actor} triggered savepoint`;
}

/** "<actor> triggered job restart". */
export function restartMessage(actor: Actor): string {
  return `${actor} triggered job restart`;
}
