/**
 * The detailed diff of a native Diff: which input paths change, in Pulumi's property-path syntax
 * (`deployment.spec.template.spec.parallelism`, `flinkConfiguration["a.b"]`, `items[0]`), and how
 * (add, delete, update; `*_REPLACE` for the paths that force a replacement: the deployment's name and namespace).
 * Whether anything changes at all is decided by the handlers (core's classifyChange); this module only names the
 * paths, so the CLI shows exactly the edited fields in `pulumi preview` without `--diff`.
 */
import { deepEqual, isPlainObject } from '../../../core/src/index';
import type { Props } from './props';

/** How one path changes (the values of pulumirpc.PropertyDiff.Kind). */
export const DiffKind = { ADD: 0, ADD_REPLACE: 1, DELETE: 2, DELETE_REPLACE: 3, UPDATE: 4, UPDATE_REPLACE: 5 } as const;
/** One of {@link DiffKind}. */
export type DiffKind = (typeof DiffKind)[keyof typeof DiffKind];

/** Inputs that are never shown as changes: creation-only fields (ignored after create) and injected values. */
const HIDDEN_KEYS = new Set(['initFields', 'resourceUrn']);

/** Paths whose change replaces the deployment (VVP cannot rename or move one). */
const REPLACING = /^deployment\.(metadata|userMetadata)\.(name|namespace)$/;

/** One path segment in Pulumi's property-path syntax. */
function segment(key: string | number, first: boolean): string {
  if (typeof key === 'number') return `[${key}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return first ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

function walk(a: unknown, b: unknown, path: string, out: Map<string, DiffKind>): void {
  if (deepEqual(a, b)) return;
  if (a === undefined || a === null) {
    out.set(path, DiffKind.ADD);
    return;
  }
  if (b === undefined || b === null) {
    out.set(path, DiffKind.DELETE);
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      walk(a[key], b[key], path + segment(key, path === ''), out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], path + segment(i, false), out);
    return;
  }
  out.set(path, DiffKind.UPDATE);
}

const toReplace = (kind: DiffKind): DiffKind =>
  kind === DiffKind.ADD
    ? DiffKind.ADD_REPLACE
    : kind === DiffKind.DELETE
      ? DiffKind.DELETE_REPLACE
      : DiffKind.UPDATE_REPLACE;

/** The top-level property of a path (`deployment` of `deployment.spec.state`, `a.b` of `["a.b"].c`). */
export function topLevelKey(path: string): string {
  const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(path);
  if (quoted) return JSON.parse(`"${quoted[1]}"`) as string;
  return /^[^.[]+/.exec(path)![0];
}

/** A detailed diff: paths with their kind, and the top-level keys they belong to (both without duplicates). */
export interface DetailedDiff {
  detailed: Map<string, DiffKind>;
  diffs: string[];
}

/**
 * The changed paths between the old and new inputs. `replace` marks the name/namespace paths as replacing (and, if
 * the handlers replace for a reason no path shows, the whole `deployment`); `fallbackKeys` are top-level keys the
 * handlers saw change although the inputs look equal (a nonce that differs from its processed value).
 */
export function detailedDiff(
  oldInputs: Props,
  newInputs: Props,
  options: { replace: boolean; fallbackKeys?: readonly string[] },
): DetailedDiff {
  const detailed = new Map<string, DiffKind>();
  for (const key of new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])) {
    if (HIDDEN_KEYS.has(key)) continue;
    walk(oldInputs[key], newInputs[key], segment(key, true), detailed);
  }
  let replaced = false;
  if (options.replace) {
    for (const [path, kind] of detailed) {
      if (REPLACING.test(path)) {
        detailed.set(path, toReplace(kind));
        replaced = true;
      }
    }
    if (!replaced) detailed.set('deployment', DiffKind.UPDATE_REPLACE);
  }
  if (detailed.size === 0)
    for (const key of options.fallbackKeys ?? []) detailed.set(segment(key, true), DiffKind.UPDATE);
  // a replacing 'deployment' entry covers its sub-paths: drop them so the invariants hold without overlap
  if (detailed.get('deployment') === DiffKind.UPDATE_REPLACE) {
    for (const path of [...detailed.keys()])
      if (path.startsWith('deployment.') || path.startsWith('deployment[')) detailed.delete(path);
  }
  const diffs = [...new Set([...detailed.keys()].map(topLevelKey))];
  return { detailed, diffs };
}

const SECRET_KEYS = new Set(['apiToken']);
const MAX_SHOWN_PATHS = 20;
const MAX_VALUE_LENGTH = 60;

function getAt(value: unknown, path: string): unknown {
  const parts = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map((m) =>
    m[1] !== undefined ? m[1] : m[2] !== undefined ? Number(m[2]) : (JSON.parse(`"${m[3]}"`) as string),
  );
  let cur: unknown = value;
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[part];
  }
  return cur;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text;
}

/**
 * The changed paths as lines for the log (`~ deployment.spec.template.spec.parallelism: 1 => 3`), so a plain
 * `pulumi preview` names each edited field (its own summary shows only top-level keys). Secrets show no value.
 */
export function describeDiff(
  dd: DetailedDiff,
  oldInputs: Props,
  newInputs: Props,
  secretKeys: ReadonlySet<string> = SECRET_KEYS,
): string[] {
  const lines: string[] = [];
  for (const [path, kind] of dd.detailed) {
    if (lines.length === MAX_SHOWN_PATHS) {
      lines.push(`… and ${dd.detailed.size - MAX_SHOWN_PATHS} more`);
      break;
    }
    const secret = SECRET_KEYS.has(topLevelKey(path)) || secretKeys.has(topLevelKey(path));
    const replace =
      kind === DiffKind.ADD_REPLACE || kind === DiffKind.DELETE_REPLACE || kind === DiffKind.UPDATE_REPLACE;
    const sign = replace ? '+-' : kind === DiffKind.ADD ? '+' : kind === DiffKind.DELETE ? '-' : '~';
    const before = secret ? '[secret]' : shown(getAt(oldInputs, path));
    const after = secret ? '[secret]' : shown(getAt(newInputs, path));
    const values = kind === DiffKind.ADD ? after : kind === DiffKind.DELETE ? before : `${before} => ${after}`;
    lines.push(`${sign} ${path}: ${values}`);
  }
  return lines;
}
