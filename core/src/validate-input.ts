/**
 * The input guards of `validate`: bounded previews of values in messages, a nesting-depth scan, and the type
 * checks of the CR's own metadata. Every function here accepts any JSON value and never throws on it.
 */
import type { Issue } from './errors';
import { formatPath, isPlainObject } from './json';
import { OWNER_LABEL } from './model/deployment';

/** Deepest nesting a definition may have (levels below the definition itself); real CRs stay under 12. */
export const MAX_DEPTH = 64;
/** Most issues `validate` lists one by one; the rest are summed up in one last issue. */
export const MAX_ISSUES = 1000;
/** Most values (object entries and array items, all levels together) a definition may hold. */
export const MAX_VALUES = 20_000;
/** Longest preview of a value quoted in a message. */
const MAX_PREVIEW = 120;

/** A short JSON rendering of any value for messages: at most MAX_PREVIEW characters, never throws. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string' && value.length > MAX_PREVIEW)
    return `${JSON.stringify(value.slice(0, MAX_PREVIEW))}… (${value.length} characters)`;
  if (Array.isArray(value) && value.length > MAX_PREVIEW) return `an array of ${value.length} items`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).length;
    if (keys > MAX_PREVIEW) return `an object with ${keys} keys`;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return `a value of type ${typeof value}`;
  return json.length > MAX_PREVIEW ? `${json.slice(0, MAX_PREVIEW)}…` : json;
}

/** A value as message text: strings as they are (shortened), anything else as its preview. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value.length > MAX_PREVIEW ? `${value.slice(0, MAX_PREVIEW)}…` : value;
  return show(value);
}

/** What makes a value too big to validate: nesting too deep, or too many values in all. */
export interface ShapeProblem {
  kind: 'depth' | 'size';
  /** Path segments of the value where the limit was passed. */
  path: string[];
}

/**
 * The first place where `value` nests deeper than MAX_DEPTH levels or passes MAX_VALUES values in all, or
 * undefined. Iterative (no stack growth), linear in the size of the value, stops at the first violation.
 */
export function shapeProblem(value: unknown, maxDepth = MAX_DEPTH, maxValues = MAX_VALUES): ShapeProblem | undefined {
  // The common case passes: scan without recording paths, and only on a violation scan again (same order) for it.
  return shapeFits(value, maxDepth, maxValues) ? undefined : shapeProblemAt(value, maxDepth, maxValues);
}

/** The scan of shapeProblem without paths: true when `value` stays within both limits. */
function shapeFits(value: unknown, maxDepth: number, maxValues: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const values: object[] = [value];
  const depths: number[] = [0];
  let count = 0;
  while (values.length) {
    const v = values.pop() as Record<string, unknown>;
    const depth = depths.pop()!;
    if (depth > maxDepth) return false;
    if (Array.isArray(v)) {
      count += v.length;
      if (count > maxValues) return false;
      for (const child of v as unknown[]) {
        if (typeof child !== 'object' || child === null) continue;
        values.push(child);
        depths.push(depth + 1);
      }
    } else {
      const keys = Object.keys(v);
      count += keys.length;
      if (count > maxValues) return false;
      for (const key of keys) {
        const child = v[key];
        if (typeof child !== 'object' || child === null) continue;
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return true;
}

/** The scan of shapeProblem that records where it is, for the path of the first violation. */
function shapeProblemAt(value: unknown, maxDepth: number, maxValues: number): ShapeProblem | undefined {
  interface Frame {
    value: object;
    depth: number;
    parent: Frame | undefined;
    key: string;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const pathOf = (frame: Frame) => {
    const path: string[] = [];
    for (let f: Frame | undefined = frame; f?.parent; f = f.parent) path.push(f.key);
    return path.reverse();
  };
  const stack: Frame[] = [{ value, depth: 0, parent: undefined, key: '' }];
  let count = 0;
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.depth > maxDepth) return { kind: 'depth', path: pathOf(frame) };
    const v = frame.value as Record<string, unknown>;
    const keys = Array.isArray(v) ? undefined : Object.keys(v);
    const n = keys ? keys.length : (v as unknown as unknown[]).length;
    count += n;
    if (count > maxValues) return { kind: 'size', path: pathOf(frame) };
    for (let i = 0; i < n; i++) {
      const child = keys ? v[keys[i]!] : (v as unknown as unknown[])[i];
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, depth: frame.depth + 1, parent: frame, key: keys ? keys[i]! : String(i) });
    }
  }
  return undefined;
}

/** The issue of a definition too deep or too big to validate (paths shortened to their first levels). */
export function shapeIssue(where: string, problem: ShapeProblem, subject: string): Issue {
  const shown = formatPath(
    problem.path.slice(0, 12).map((k) => (k.length > MAX_PREVIEW ? `${k.slice(0, MAX_PREVIEW)}…` : k)),
  );
  const full = [where, shown].filter(Boolean).join('.') + (problem.path.length > 12 ? '…' : '');
  return {
    path: full || 'spec',
    code: problem.kind === 'depth' ? 'too-deep' : 'too-large',
    severity: 'error',
    message:
      problem.kind === 'depth'
        ? `${subject}: \`${full}\` nests deeper than ${MAX_DEPTH} levels; a VvpDeployment needs far fewer, flatten the value`
        : `${subject}: the definition holds more than ${MAX_VALUES} values (passed at \`${full}\`); a VvpDeployment needs far fewer, remove the bulk`,
  };
}

/** The owner label of a metadata value, only when it is an own string-keyed entry of a labels object. */
export function ownerLabelOf(metadata: unknown): unknown {
  if (!isPlainObject(metadata) || !isPlainObject(metadata.labels)) return undefined;
  return Object.prototype.hasOwnProperty.call(metadata.labels, OWNER_LABEL) ? metadata.labels[OWNER_LABEL] : undefined;
}

type Report = (path: string, code: string, text: string) => void;

/** Type checks of the CR metadata fields validate reads: name, namespace, labels and annotations. */
export function metadataIssues(metadata: unknown, error: Report): void {
  if (metadata === undefined) return;
  if (!isPlainObject(metadata)) {
    error('metadata', 'type', `\`metadata\` must be an object (got ${show(metadata)})`);
    return;
  }
  for (const key of ['name', 'namespace'] as const) {
    const v = metadata[key];
    if (v !== undefined && typeof v !== 'string')
      error(`metadata.${key}`, 'type', `\`metadata.${key}\` must be a string (got ${show(v)})`);
  }
  for (const key of ['labels', 'annotations'] as const) {
    const map = metadata[key];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) {
      error(`metadata.${key}`, 'type', `\`metadata.${key}\` must be an object of strings (got ${show(map)})`);
      continue;
    }
    for (const k of Object.keys(map)) {
      const v = map[k];
      if (typeof v === 'string') continue;
      const path = `metadata.${key}[${JSON.stringify(k.length > MAX_PREVIEW ? `${k.slice(0, MAX_PREVIEW)}…` : k)}]`;
      error(path, 'type', `\`${path}\` must be a string (got ${show(v)})`);
    }
  }
}
