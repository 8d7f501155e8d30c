/**
 * Fields VVP did not keep (ADR 0011): after a write of the definition (create, PATCH, PUT), each leaf the body sent
 * that VVP's answer lacks, or holds with another value, is reported once and left out of drift detection, so a VVP
 * that drops fields it does not know (VVP 2.x) causes no perpetual diff and no re-projection. Pure.
 */
import { clone, dropEmpty, formatPath, getPath, isPlainObject, leafPaths, setPath, type JsonObject } from './json';
import { OWNER_LABEL, isSystemAnnotation } from './model/deployment';
import type { Deployment } from './model/generated';

/** The stamp and the system annotations (VVP itself writes some, e.g. the spec version): never user fields. */
function stampPath(path: readonly string[]): boolean {
  const [a, b, c, d, e] = path;
  if (a === 'metadata' && b === 'labels') return c === OWNER_LABEL;
  if (a === 'metadata' && b === 'annotations') return isSystemAnnotation(c ?? '');
  return a === 'spec' && b === 'template' && c === 'metadata' && d === 'annotations' && isSystemAnnotation(e ?? '');
}

/**
 * Equality of a value sent and the value VVP answers with, allowing VVP's normalisation: text sent in lower case
 * may come back upper-cased (VVP answers `kind: jar` with `JAR`), arrays compare item by item, objects key by key.
 */
export function keptAs(sent: unknown, answer: unknown): boolean {
  if (typeof sent === 'string' && typeof answer === 'string') return answer === sent || answer === sent.toUpperCase();
  if (Array.isArray(sent))
    return Array.isArray(answer) && sent.length === answer.length && sent.every((v, i) => keptAs(v, answer[i]));
  if (isPlainObject(sent))
    return isPlainObject(answer) && Object.entries(sent).every(([k, v]) => v === undefined || keptAs(v, answer[k]));
  return sent === answer;
}

/**
 * The leaf paths of `sent` that `answer` does not hold (absent, or another value beyond normalisation), sorted;
 * the ownership stamp and system annotations are not compared.
 */
export function fieldsNotKept(sent: Deployment, answer: unknown): string[] {
  return leafPaths(sent)
    .filter((path) => !stampPath(path) && !keptAs(getPath(sent, path), getPath(answer, path)))
    .map(formatPath)
    .sort();
}

/** Reads a path as `formatPath` writes it (`a.b["x.y"].c`) back into key segments. */
export function parsePath(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/([^.[\]"]+)|\[("(?:[^"\\]|\\.)*")\]/g))
    out.push(m[1] ?? (JSON.parse(m[2]!) as string));
  return out;
}

/** The definition without the leaves at `paths` (text paths, as recorded): what drift detection compares. */
export function withoutPaths<T extends Deployment>(definition: T, paths: readonly string[] | undefined): T {
  if (!paths || paths.length === 0) return definition;
  const out = clone(definition ?? {}) as unknown as JsonObject;
  for (const path of paths) setPath(out, parsePath(path), undefined);
  return dropEmpty(out) as unknown as T;
}

/** True when `path` (text) is one of `paths` or lies under one of them. */
export function isUnder(path: string, paths: readonly string[] | undefined): boolean {
  return (paths ?? []).some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

/** True when two recorded sets name the same paths (order does not matter; absent = empty). */
export function sameFieldSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = [...(a ?? [])].sort();
  const y = [...(b ?? [])].sort();
  return x.length === y.length && x.every((p, i) => p === y[i]);
}

/** The one wording of the report (Pulumi warning, operator event and condition message). */
export function notKeptMessage(paths: readonly string[]): string {
  return `VVP did not keep field${paths.length > 1 ? 's' : ''} ${paths.join(', ')}: check its spelling and the VVP version`;
}

/**
 * What an entry point does with the set a write produced, given the set recorded before: `report` is the message
 * to say (once, when the set appears or changes; never when it is unchanged or became empty), `record` the set to
 * persist (undefined: nothing to record).
 */
export function notKeptReport(
  recorded: readonly string[] | undefined,
  now: readonly string[] | undefined,
): { report?: string; record: string[] | undefined } {
  if (now === undefined) return { record: recorded && recorded.length ? [...recorded] : undefined };
  const record = now.length ? [...now] : undefined;
  if (now.length === 0 || sameFieldSet(recorded, now)) return { record };
  return { report: notKeptMessage(now), record };
}
