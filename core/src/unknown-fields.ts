/**
 * "Did you mean": fields of the deployment definition that schema.json does not name. They still pass through to
 * VVP unchanged (ADR 0002); this only warns, with the closest known sibling when one is near (ADR 0011). Used by
 * `validate`, so the provider's check(), the webhook (AdmissionReview warnings) and cdk8s synth say it alike.
 */
import type { Issue } from './errors';
import { formatPath, isPlainObject } from './json';
import { vvpDeploymentSpecSchema } from './model/generated-schema';

/** The part of a JSON schema node this walk reads. */
interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
}

/** Objects whose keys are the user's (maps such as labels or flinkConfiguration) or untyped: no key is unknown. */
function closedObject(node: SchemaNode | undefined): node is SchemaNode & { properties: Record<string, SchemaNode> } {
  return node?.properties !== undefined && node.additionalProperties === undefined;
}

/** Largest edit distance at which a known field is suggested: 1 up to 7 characters, 2 up to 11, then 3. */
export function suggestionDistance(name: string): number {
  return name.length <= 7 ? 1 : name.length <= 11 ? 2 : 3;
}

/** Edit distance (optimal string alignment: insert, delete, substitute, swap two neighbours), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => [i, ...Array<number>(y.length).fill(0)]);
  for (let j = 1; j <= y.length; j++) d[0]![j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[x.length]![y.length]!;
}

/** The known name closest to `name` within {@link suggestionDistance}; the first of equals in schema order. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = suggestionDistance(name) + 1;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** One field the schema does not know, its path relative to the definition, and the suggestion if any. */
export interface UnknownField {
  path: string;
  suggestion?: string;
}

/** The fields of `value` that the closed objects of `node` do not name, depth first. */
function walk(value: unknown, node: SchemaNode | undefined, prefix: string[], out: UnknownField[]): void {
  if (!isPlainObject(value) || !closedObject(node)) return;
  const known = Object.keys(node.properties);
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, key];
    if (Object.prototype.hasOwnProperty.call(node.properties, key)) {
      walk(child, node.properties[key], path, out);
      continue;
    }
    const suggestion = closestName(key, known);
    out.push({ path: formatPath(path), ...(suggestion !== undefined ? { suggestion } : {}) });
  }
}

const specProperties = (vvpDeploymentSpecSchema as SchemaNode).properties ?? {};

/** The fields of a deployment definition (`spec.deployment`, or `spec.initFields`) that schema.json does not name. */
export function unknownFields(definition: unknown, at: 'deployment' | 'initFields' = 'deployment'): UnknownField[] {
  const out: UnknownField[] = [];
  walk(definition, specProperties[at], [], out);
  return out;
}

/** The warning text of one unknown field (`spec.template.spec.paralellism is not a known VVP field: …`). */
export function unknownFieldMessage(field: UnknownField): string {
  return field.suggestion !== undefined
    ? `${field.path} is not a known VVP field: did you mean ${field.suggestion}? (it is sent to VVP as written)`
    : `${field.path} is not a known VVP field: it is sent to VVP as written; check its spelling and the VVP version`;
}

/**
 * Warnings for the unknown fields of `spec.deployment` and `spec.initFields` (paths through `at`, e.g.
 * `spec.deployment.spec.template.spec.paralellism`). Warnings only: the fields pass through (ADR 0002).
 */
export function unknownFieldIssues(
  spec: Record<string, unknown>,
  at: (path: string) => string,
  subject: string,
): Issue[] {
  const issues: Issue[] = [];
  for (const key of ['deployment', 'initFields'] as const) {
    for (const field of unknownFields(spec[key], key))
      issues.push({
        path: at(`${key}.${field.path}`),
        code: 'unknown-field',
        severity: 'warning',
        message: `${subject}: ${key === 'initFields' ? 'initFields.' : ''}${unknownFieldMessage(field)}`,
      });
  }
  return issues;
}
