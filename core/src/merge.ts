/** Plain JSON value helpers: the one deep merge of the project (objects merge key by key, arrays replace). */

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

/** A deep copy of a JSON value. */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
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

/** Paths (as segments) of every leaf (non-object value) in a JSON object; arrays and empty objects are leaves. */
export function leafPaths(value: unknown, prefix: readonly string[] = []): string[][] {
  if (!isPlainObject(value)) return prefix.length ? [[...prefix]] : [];
  const out: string[][] = [];
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const path = [...prefix, key];
    if (isPlainObject(child) && Object.keys(child).length > 0) out.push(...leafPaths(child, path));
    else out.push(path);
  }
  return out;
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
