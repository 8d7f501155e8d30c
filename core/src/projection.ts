/**
 * Whether a projection would change the deployment VVP holds, per sync mode. Compares object trees key by key
 * (never through dotted paths: Flink configuration keys such as `execution.checkpointing.interval` contain dots).
 */
import { observedDefinition } from './drift';
import { deepEqual, isPlainObject } from './merge';
import type { VvpDeployment } from './model/deployment';
import type { Deployment, SyncingMode } from './model/generated';

/** True when every leaf `desired` names holds the same value in `observed` (objects key by key, arrays whole). */
export function coversDefinition(observed: unknown, desired: unknown): boolean {
  if (desired === undefined || desired === null) return true;
  if (isPlainObject(desired)) {
    const from = isPlainObject(observed) ? observed : {};
    return Object.entries(desired).every(([k, v]) => coversDefinition(from[k], v));
  }
  return deepEqual(observed, desired);
}

/** Key paths (segments) where `desired` and `observed` differ, leaves of either side; for messages. */
export function differingKeys(desired: unknown, observed: unknown, prefix: readonly string[] = []): string[][] {
  if (isPlainObject(desired) && isPlainObject(observed)) {
    const keys = [...new Set([...Object.keys(desired), ...Object.keys(observed)])].sort();
    return keys.flatMap((k) => differingKeys(desired[k], observed[k], [...prefix, k]));
  }
  if (desired === undefined && observed === undefined) return [];
  return deepEqual(desired, observed) ? [] : [[...prefix]];
}

/** How each mode judges a definition against VVP: PATCH manages the fields the CR names, PUT all fields. */
const modes: Record<SyncingMode, (desired: Deployment, actual: VvpDeployment) => boolean> = {
  PATCH: (desired, actual) => !coversDefinition(observedDefinition(actual, { withDescription: true }), desired),
  PUT: (desired, actual) =>
    !deepEqual(observedDefinition(actual, { withDescription: false }), {
      ...desired,
      metadata: { ...desired.metadata, description: undefined },
    }),
};

/**
 * True when projecting `desired` in `mode` would change the deployment: in PATCH mode when a field the CR names
 * differs; in PUT mode when the whole definition differs (fields VVP filled in count as a difference, so PUT
 * projects on every spec change, as a PUT resets them).
 */
export function projectionNeeded(mode: SyncingMode, desired: Deployment, actual: VvpDeployment): boolean {
  return modes[mode](desired, actual);
}
