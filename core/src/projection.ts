/**
 * Tree comparisons behind "would a projection change the deployment?" (see `syncModes`). Compares key by key, never
 * through dotted paths: Flink configuration keys such as `execution.checkpointing.interval` contain dots.
 */
import { deepEqual, isPlainObject } from './json';

/** True when every leaf `desired` names holds the same value in `observed` (objects key by key, arrays whole). */
export function coversDefinition(observed: unknown, desired: unknown): boolean {
  if (desired === undefined || desired === null) return true;
  if (isPlainObject(desired)) {
    const from = isPlainObject(observed) ? observed : {};
    return Object.entries(desired).every(([k, v]) => coversDefinition(from[k], v));
  }
  return deepEqual(observed, desired);
}
