/**
 * JSON trees as the emulator keeps them: keys are always own properties, so a `__proto__` or `constructor` key
 * from a request is a plain key and never reaches a prototype.
 */

/** A JSON object. */
export type Json = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A deep copy through JSON (own keys only; `__proto__` stays an own key). */
export const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** Sets an own enumerable property, also for keys such as `__proto__`. */
export function setOwn(o: Json, key: string, value: unknown): void {
  // only `__proto__` has a setter on Object.prototype; every other key is a plain own assignment
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

/** The value of an own property (never an inherited one). */
export function getOwn(o: unknown, key: string): unknown {
  return isObj(o) && Object.hasOwn(o, key) ? o[key] : undefined;
}

/** PATCH semantics of the platform: objects merge key by key, arrays and scalars replace, null removes. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return copy(patch);
  const out: Json = {};
  if (isObj(target)) for (const [k, v] of Object.entries(target)) setOwn(out, k, v);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, isObj(v) ? mergePatch(getOwn(out, k), v) : copy(v));
  }
  return out;
}

/** A short rendering of a value for an error message (strings quoted and cut at 60 characters). */
export function show(v: unknown): string {
  if (typeof v === 'string') return `'${v.length > 60 ? `${v.slice(0, 60)}…` : v}'`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** A key rendered for a field path: cut at 60 characters. */
export const key = (k: string): string => (k.length > 60 ? `${k.slice(0, 60)}…` : k);
