/**
 * The PUT-mandatory rule of `validate`: which leaves of PUT_MANDATORY_FIELDS a deployment lacks. The generated
 * table is split into path segments once per process, and each parent object is read once per call.
 */
import { getPath } from './json';
import { PUT_MANDATORY_FIELDS } from './model/generated';

/** One PUT-mandatory field, its paths split once. */
interface PutRule {
  /** The field's path relative to the deployment, as issues name it. */
  path: string;
  /** Index into PUT_PARENTS of the object holding the field. */
  parent: number;
  /** The field's own key, as the one segment read inside the parent. */
  leaf: readonly [string];
  when?: { sibling: readonly string[]; equals: string };
  oneOf?: readonly (readonly string[])[];
  /** The issue path of a missing `oneOf` group: `spec.deploymentTargetName or sessionClusterName`. */
  oneOfPath?: string;
}

/** The distinct parent objects of the fields (`metadata`, `spec.template.spec.artifact`, …) as segments. */
const PUT_PARENTS: (readonly string[])[] = [];
const parentIndex = new Map<string, number>();

const PUT_RULES: readonly PutRule[] = PUT_MANDATORY_FIELDS.map((field) => {
  const segments = field.path.split('.');
  const parentPath = segments.slice(0, -1).join('.');
  let parent = parentIndex.get(parentPath);
  if (parent === undefined) {
    parent = PUT_PARENTS.push(parentPath ? parentPath.split('.') : []) - 1;
    parentIndex.set(parentPath, parent);
  }
  const rule: PutRule = { path: field.path, parent, leaf: [segments[segments.length - 1]!] };
  if (field.when) rule.when = { sibling: field.when.sibling.split('.'), equals: field.when.equals };
  if (field.oneOf) {
    rule.oneOf = field.oneOf.map((k) => k.split('.'));
    rule.oneOfPath = `${parentPath}.${field.oneOf.join(' or ')}`;
  }
  return rule;
});

/** PUT-mandatory leaves missing from a deployment (paths relative to the deployment). */
export function missingPutFields(deployment: unknown): string[] {
  const missing: string[] = [];
  const parents = PUT_PARENTS.map((segments) => (segments.length ? getPath(deployment, segments) : deployment));
  for (const rule of PUT_RULES) {
    const parentValue = parents[rule.parent];
    if (rule.when && getPath(parentValue, rule.when.sibling) !== rule.when.equals) continue;
    if (rule.oneOf) {
      if (!rule.oneOf.some((k) => getPath(parentValue, k) !== undefined)) missing.push(rule.oneOfPath!);
      continue;
    }
    if (getPath(parentValue, rule.leaf) === undefined) missing.push(rule.path);
  }
  return missing;
}
