/**
 * The one JSON-tree module: plain values, paths as key segments (Flink configuration keys contain dots, so paths
 * are never split on dots inside), leaves, merge, equality and differences. One leaf rule everywhere: a leaf is any
 * value that is not a plain object (arrays are leaves); `undefined`, `null` and empty objects count as absent.
 */

/** A JSON object. */
export type JsonObject = { [key: string]: unknown };

/** True for a plain object (not an array, not null). */
export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges `overlay` onto `base` without mutating either: objects merge key by key, arrays and scalars
 * from `overlay` replace, and `undefined` in `overlay` keeps the base value.
 */
export function deepMerge<T>(base: T, overlay: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(overlay)) {
    return (overlay === undefined ? clone(base) : clone(overlay)) as T;
  }
  const out: JsonObject = { ...clone(base) };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === undefined) continue;
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : clone(value);
  }
  return out as T;
}

/**
 * A deep copy of a JSON value, exactly as a JSON round trip makes it (`undefined` entries dropped, `-0` as `0`).
 * Plain trees are copied directly; anything a round trip would change otherwise (a Date, a class instance,
 * NaN, a function, an `undefined` array item, a cycle) takes the round trip itself.
 */
export function clone<T>(value: T): T {
  if (value === undefined) return value;
  const copy = copyPlain(value, 0);
  return (copy === NOT_PLAIN ? JSON.parse(JSON.stringify(value)) : copy) as T;
}

const NOT_PLAIN = Symbol('not plain JSON');
/** Deeper than this, clone leaves the value to the round trip (which also reports a cycle as it always did). */
const MAX_COPY_DEPTH = 256;

function copyPlain(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? (value === 0 ? 0 : value) : NOT_PLAIN;
  if (typeof value !== 'object' || depth > MAX_COPY_DEPTH) return NOT_PLAIN;
  // a toJSON method (own or inherited) decides what the round trip writes
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN;
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return NOT_PLAIN;
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = copyPlain(value[i], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[i] = item;
    }
    return out;
  }
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const child = (value as JsonObject)[key];
    if (child === undefined) continue;
    // `out.__proto__ = …` would set the prototype; the round trip makes it an own key
    if (key === '__proto__') return NOT_PLAIN;
    const copy = copyPlain(child, depth + 1);
    if (copy === NOT_PLAIN) return NOT_PLAIN;
    out[key] = copy;
  }
  return out;
}

/** Structural equality of JSON values; key order does not matter, and keys holding `undefined` count as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!deepEqual(a[key], b[key])) return false;
  return true;
}

/** JSON text with object keys sorted at every level, so equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v ?? null)).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Reads a path, dotted (`spec.template.spec.parallelism`) or as segments (for keys that contain dots); undefined when any step is missing. */
export function getPath(value: unknown, path: string | readonly string[]): unknown {
  let cur: unknown = value;
  for (const key of typeof path === 'string' ? path.split('.') : path) {
    // own keys only: `constructor` or `__proto__` in a path never reach Object.prototype
    if (!isPlainObject(cur) || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** A path into a JSON tree, as key segments. */
export type Segments = readonly string[];

/** Paths of every leaf of a JSON tree (the module's leaf rule), depth first in key order of the value. */
export function leafPaths(value: unknown, prefix: Segments = []): string[][] {
  if (!isPlainObject(value)) return prefix.length && value !== undefined && value !== null ? [[...prefix]] : [];
  const out: string[][] = [];
  for (const [key, child] of Object.entries(value)) out.push(...leafPaths(child, [...prefix, key]));
  return out;
}

/** Sets (or, for `undefined`, removes) the value at a path in place, creating objects on the way. */
export function setPath(target: JsonObject, path: Segments, value: unknown): void {
  let cur = target;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(cur[key])) cur[key] = {};
    cur = cur[key] as JsonObject;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = clone(value);
}

/** Removes, in place, the objects left empty (by removals); returns the value. */
export function dropEmpty(value: JsonObject): JsonObject {
  for (const [key, child] of Object.entries(value)) {
    if (isPlainObject(child)) {
      dropEmpty(child);
      if (Object.keys(child).length === 0) delete value[key];
    }
  }
  return value;
}

/** The values of `source` at `paths` (absent where `source` lacks them), as a new tree. */
export function pickPaths(source: unknown, paths: readonly Segments[]): JsonObject {
  const out: JsonObject = {};
  for (const path of paths) {
    const value = getPath(source, path);
    if (value !== undefined && value !== null) setPath(out, path, value);
  }
  return out;
}

/** The leaf paths of either tree whose values differ, each once, in the order first seen. */
export function differingPaths(a: unknown, b: unknown): string[][] {
  const seen = new Map<string, string[]>();
  for (const path of [...leafPaths(a), ...leafPaths(b)]) seen.set(JSON.stringify(path), path);
  return [...seen.values()].filter((p) => !deepEqual(getPath(a, p) ?? undefined, getPath(b, p) ?? undefined));
}

/** Renders path segments for messages: dotted, with keys that contain dots quoted (`flinkConfiguration["a.b"]`). */
export function formatPath(segments: readonly string[]): string {
  return segments.reduce(
    (acc, key) => (/^[^.[\]"]+$/.test(key) ? (acc ? `${acc}.${key}` : key) : `${acc}[${JSON.stringify(key)}]`),
    '',
  );
}

/** Drops keys whose value is `undefined` or `null`, recursively; arrays are kept as they are. */
export function prune<T>(value: T): T {
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined || child === null) continue;
    out[key] = prune(child);
  }
  return out as T;
}
