/**
 * vvp:index:DeploymentDefaults: the namespace's deployment defaults, of which the resource manages the leaves it
 * names in `spec` (PATCH of those only; other writers' fields are never touched; destroy releases them).
 */
import { isPlainObject } from '../json';
import { CONNECTION_FIELDS, type PlatformRules } from './rules';

export const DEPLOYMENT_DEFAULTS_RULES: PlatformRules = {
  type: 'vvp:index:DeploymentDefaults',
  noun: 'deployment defaults of namespace',
  subject: (props) =>
    `deployment defaults of namespace ${typeof props.namespace === 'string' ? props.namespace : 'default'}`,
  fields: {
    namespace: { kind: 'name', default: 'default', replaces: true },
    spec: { kind: 'object', required: true },
    ...CONNECTION_FIELDS,
  },
  extra: (inputs, subject) =>
    isPlainObject(inputs.spec) && Object.keys(inputs.spec).length === 0
      ? [
          {
            path: 'spec',
            code: 'required',
            severity: 'error',
            message: `${subject}: \`spec\` names no field; give the defaults to manage, e.g. { restoreStrategy: { kind: "LATEST_STATE" } }`,
          },
        ]
      : [],
};

/** Leaf paths of a managed spec (`restoreStrategy.kind`); objects are walked, arrays and scalars are leaves. */
export function managedLeaves(spec: unknown, prefix = ''): string[] {
  if (!isPlainObject(spec)) return prefix ? [prefix] : [];
  return Object.entries(spec).flatMap(([k, v]) => managedLeaves(v, prefix ? `${prefix}.${k}` : k));
}

/** The part of `spec` at the managed leaves of `managed` (what the resource reports and compares). */
export function pickManaged(spec: unknown, managed: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isPlainObject(managed) || !isPlainObject(spec)) return out;
  for (const [k, m] of Object.entries(managed)) {
    const v = spec[k];
    if (v === undefined) continue;
    out[k] = isPlainObject(m) && isPlainObject(v) ? pickManaged(v, m) : v;
  }
  return out;
}
