/**
 * The rules every platform resource (DeploymentTarget, SessionCluster, SecretValue, DeploymentDefaults, Savepoint)
 * shares, pure: a table of its inputs (type, required, default, immutable → replace, setting) checked and diffed
 * the same way. Each resource module holds only its table and its own extra rules (docs/adr/0104).
 */
import type { Issue } from '../errors';
import { deepEqual, isPlainObject } from '../json';
import { settingsIssues } from '../resource-settings';

/** How one input is typed. */
export type FieldKind =
  'name' | 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'stringMap' | readonly string[];

/** One input of a platform resource. */
export interface FieldRule {
  kind: FieldKind;
  required?: boolean;
  /** Value when absent (a missing value and the default are no change). */
  default?: unknown;
  /** A change replaces the resource (VVP cannot change it in place). */
  replaces?: boolean;
  /** A setting of the Pulumi resource: a change updates the state only, VVP sees no write. */
  setting?: boolean;
  /** Never shown (secret value). */
  secret?: boolean;
}

/** A platform resource's rules. */
export interface PlatformRules {
  /** The Pulumi type token, e.g. `vvp:index:DeploymentTarget`. */
  type: string;
  /** Names the object in messages: `deployment target`. */
  noun: string;
  fields: Readonly<Record<string, FieldRule>>;
  /** Names the object when it has no `name` input. */
  subject?: (props: Record<string, unknown>) => string;
  /** Extra rules of the resource over the resolved inputs. */
  extra?: (inputs: Record<string, unknown>, subject: string) => Issue[];
}

/** The connection settings every resource takes. */
export const CONNECTION_FIELDS: Readonly<Record<string, FieldRule>> = {
  baseUrl: { kind: 'string', setting: true },
  apiToken: { kind: 'string', setting: true, secret: true },
};

/** Waits of a resource that waits (session cluster, savepoint). */
export const WAIT_FIELD: FieldRule = { kind: 'object', setting: true };

/** VVP object names: lowercase DNS-1123 labels (VVP's rule for metadata.name). */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_MAX = 63;

const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/** The inputs with the table's defaults filled in (only the table's keys). */
export function resolveInputs(rules: PlatformRules, props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(rules.fields)) {
    const v = props[key] ?? rule.default;
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** `deployment target default/vvp-jobs`. */
export function platformSubject(rules: PlatformRules, props: Record<string, unknown>): string {
  if (rules.subject) return rules.subject(props);
  const ns = typeof props.namespace === 'string' ? props.namespace : 'default';
  return `${rules.noun} ${ns}/${typeof props.name === 'string' ? props.name : '?'}`;
}

function typeProblem(kind: FieldKind, v: unknown): string | undefined {
  if (Array.isArray(kind)) return kind.includes(v as string) ? undefined : `must be one of ${kind.join(', ')}`;
  switch (kind) {
    case 'name':
      if (typeof v !== 'string') return 'must be a string';
      return NAME.test(v) && v.length <= NAME_MAX
        ? undefined
        : `must be a lowercase DNS label (a-z, 0-9 and "-", at most ${NAME_MAX} characters, starting and ending alphanumeric)`;
    case 'string':
      return typeof v === 'string' ? undefined : 'must be a string';
    case 'integer':
      return Number.isInteger(v) ? undefined : 'must be an integer';
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'object':
      return isPlainObject(v) ? undefined : 'must be an object';
    case 'array':
      return Array.isArray(v) ? undefined : 'must be an array';
    case 'stringMap':
      return isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string')
        ? undefined
        : 'must be an object of string values';
  }
  return undefined;
}

/** Every problem of the inputs: unknown keys, types, required values, the connection, the resource's own rules. */
export function checkPlatform(
  rules: PlatformRules,
  props: Record<string, unknown>,
  known: readonly string[] = [],
): Issue[] {
  const subject = platformSubject(rules, props);
  const issues: Issue[] = [];
  const error = (path: string, code: string, text: string) =>
    issues.push({ path, code, severity: 'error', message: `${subject}: ${text}` });
  for (const key of Object.keys(props)) {
    // `__`-keys are the engine's and the SDKs' own (e.g. `__defaults`), never an input
    if (!(key in rules.fields) && !known.includes(key) && !key.startsWith('__'))
      error(key, 'unknown', `unknown input \`${key}\`; the inputs are ${Object.keys(rules.fields).join(', ')}`);
  }
  for (const [key, rule] of Object.entries(rules.fields)) {
    const v = props[key];
    if (v === undefined || v === null) {
      if (rule.required) error(key, 'required', `\`${key}\` is required`);
      continue;
    }
    const problem = typeProblem(rule.kind, v);
    if (problem) error(key, 'type', `\`${key}\` ${problem} (got ${rule.secret ? 'a value not shown' : show(v)})`);
  }
  issues.push(...settingsIssues({ baseUrl: props.baseUrl, apiToken: props.apiToken }, { subject }));
  if (issues.length === 0 && rules.extra) issues.push(...rules.extra(resolveInputs(rules, props), subject));
  return issues;
}

/** What an update changes. */
export interface PlatformDiff {
  /** Inputs whose value changes (defaults applied). */
  changed: string[];
  /** The changed inputs that replace the resource. */
  replaces: string[];
  /** Only settings change: the update writes nothing to VVP. */
  settingsOnly: boolean;
  /** The replacement keeps the name, so VVP needs the old object gone first. */
  deleteBeforeReplace: boolean;
}

/** Compares old and new inputs by the table. */
export function diffPlatform(
  rules: PlatformRules,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): PlatformDiff {
  const a = resolveInputs(rules, olds);
  const b = resolveInputs(rules, news);
  const changed = Object.keys(rules.fields).filter((k) => !deepEqual(a[k], b[k]));
  const replaces = changed.filter((k) => rules.fields[k]!.replaces);
  const sameIdentity = !changed.includes('name') && !changed.includes('namespace');
  return {
    changed,
    replaces,
    settingsOnly: changed.length > 0 && changed.every((k) => rules.fields[k]!.setting),
    deleteBeforeReplace: replaces.length > 0 && sameIdentity,
  };
}
