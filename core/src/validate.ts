/**
 * validate(target, old?, options) → Issue[]: every rule of the contract that needs no VVP call, shared by the
 * webhook, the provider's check(), cdk8s synth and the controller. Collects every problem; never stops early.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { INIT_FIELDS_CREATION_ONLY } from './diff';
import type { Issue } from './errors';
import { deepEqual, formatPath, getPath, isPlainObject } from './json';
import { OWNER_LABEL } from './model/deployment';
import { PUT_MANDATORY_FIELDS, type CrDeployment, type Deployment } from './model/generated';
import { vvpDeploymentSpecSchema } from './model/generated-schema';
import { isInactive } from './state';
import { initFieldsOverlap } from './sync/bodies';
import { resolveDeployment } from './sync/resolve';

/** What is validated: a CR (metadata + spec), or Pulumi inputs as `spec` without metadata. */
export interface ValidationTarget {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: unknown;
}

/** How to validate. */
export interface ValidateOptions {
  /** Admission operation; CREATE when there is no old object. @default CREATE, or UPDATE when `old` is given */
  operation?: 'CREATE' | 'UPDATE';
  /** When set, the owner label must equal it. */
  instanceId?: string;
  /** Path prefix of spec fields in issues: `spec` for CRs, `` for Pulumi inputs. @default spec */
  specPath?: string;
  /** Object named in messages. @default derived from the target */
  subject?: string;
}

/** Largest magnitude a nonce may have (JSON numbers stay exact up to 2^53). */
export const MAX_NONCE = 2 ** 53;
/** VVP deployment name rule. */
export const DEPLOYMENT_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

let compiled: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(vvpDeploymentSpecSchema as object);
  return compiled;
}

/** The object a message names: `vvpdeployment team-a/orders` or `deployment default/orders`. */
export function subjectOf(target: ValidationTarget): string {
  if (target.metadata?.name) return `vvpdeployment ${target.metadata.namespace ?? 'default'}/${target.metadata.name}`;
  const d = resolveDeployment((target.spec as { deployment?: CrDeployment } | undefined)?.deployment);
  return `deployment ${d.metadata?.namespace ?? '?'}/${d.metadata?.name ?? '?'}`;
}

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Validates a definition, optionally against the previous one. Errors and warnings come back together. */
export function validate(target: ValidationTarget, old?: ValidationTarget, options: ValidateOptions = {}): Issue[] {
  const operation = options.operation ?? (old ? 'UPDATE' : 'CREATE');
  const prefix = options.specPath ?? 'spec';
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  const subject = options.subject ?? subjectOf(target);
  const issues: Issue[] = [];
  const error = (path: string, code: string, text: string) =>
    issues.push({ path, code, severity: 'error', message: `${subject}: ${text}` });
  const warn = (path: string, code: string, text: string) =>
    issues.push({ path, code, severity: 'warning', message: `${subject}: ${text}` });

  if (options.instanceId !== undefined && target.metadata) {
    const owner = target.metadata.labels?.[OWNER_LABEL];
    const path = `metadata.labels["${OWNER_LABEL}"]`;
    if (owner === undefined)
      error(
        path,
        'owner-missing',
        `label ${OWNER_LABEL} is required; set it to "${options.instanceId}" (the operator's instanceId)`,
      );
    else if (owner !== options.instanceId)
      error(
        path,
        'owner-mismatch',
        `label ${OWNER_LABEL} is "${owner}" but this operator's instanceId is "${options.instanceId}"; set it to "${options.instanceId}"`,
      );
  }

  const spec = target.spec;
  if (!isPlainObject(spec)) {
    error(
      prefix || 'spec',
      'required',
      `${prefix || 'the definition'} must be an object with syncingMode and deployment (got ${show(spec)})`,
    );
    return issues;
  }

  const validateSchema = schemaValidator();
  if (!validateSchema(spec)) for (const e of validateSchema.errors ?? []) schemaIssue(e, spec, at, error);

  const mode = spec.syncingMode;
  const deployment = isPlainObject(spec.deployment) ? (spec.deployment as CrDeployment) : undefined;
  const initFields = isPlainObject(spec.initFields) ? (spec.initFields as CrDeployment) : undefined;

  // the definition is normalised once (userMetadata folded into metadata); every rule below reads `resolved`
  const resolved = deployment ? resolveDeployment(deployment) : undefined;
  if (deployment && resolved) {
    if (deployment.metadata !== undefined && deployment.userMetadata !== undefined) {
      error(
        at('deployment.userMetadata'),
        'metadata-alias',
        '`deployment.metadata` and its older spelling `deployment.userMetadata` are both set; keep only `deployment.metadata`',
      );
    }
    const name = resolved.metadata?.name;
    if (name === undefined)
      error(
        at('deployment.metadata.name'),
        'required',
        '`deployment.metadata.name` is required (the VVP deployment name)',
      );
    else if (typeof name === 'string' && (!DEPLOYMENT_NAME_PATTERN.test(name) || name.length > 63)) {
      error(
        at('deployment.metadata.name'),
        'name-invalid',
        `\`deployment.metadata.name\` ${show(name)} is not a valid VVP name; use at most 63 characters of a-z, 0-9 and '-', not starting or ending with '-'`,
      );
    }
    if (resolved.metadata?.namespace === undefined)
      error(
        at('deployment.metadata.namespace'),
        'required',
        '`deployment.metadata.namespace` is required (the VVP namespace, e.g. "default")',
      );

    if (mode === 'PUT') {
      for (const missing of missingPutFields(resolved)) {
        error(
          at(`deployment.${missing}`),
          'put-mandatory',
          `PUT mode requires \`deployment.${missing}\`; add the field or switch syncingMode to PATCH`,
        );
      }
      if (typeof resolved.metadata?.description === 'string') {
        warn(
          at('deployment.metadata.description'),
          'put-description',
          'PUT mode never changes `deployment.metadata.description`; switch to PATCH to change it',
        );
      }
    }
  }

  for (const key of ['savepointNonce', 'restartNonce'] as const) {
    const v = spec[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > MAX_NONCE) {
      error(
        at(key),
        'nonce-invalid',
        `\`${key}\` must be an integer within ±2^53 (got ${show(v)}); use a whole number such as 1`,
      );
    }
  }

  const oldSpec = old && isPlainObject(old.spec) ? old.spec : undefined;
  if (initFields !== undefined) {
    if (mode === 'PUT' && operation === 'CREATE') {
      error(
        at('initFields'),
        'put-init-fields',
        '`initFields` are not supported in PUT mode (PUT sends the full definition); move the fields into `deployment` or use syncingMode PATCH',
      );
    } else if (mode === 'PUT') {
      warn(
        at('initFields'),
        'put-init-fields',
        '`initFields` are ignored in PUT mode; they applied only when the deployment was created',
      );
    } else if (operation === 'CREATE' && resolved) {
      for (const path of initFieldsOverlap(resolved, resolveDeployment(initFields))) {
        warn(
          at(`initFields.${path}`),
          'init-fields-overlap',
          `\`initFields.${path}\` is also set in \`deployment.${path}\`; the value from \`deployment\` wins`,
        );
      }
    }
  }
  if (operation === 'UPDATE' && oldSpec && mode !== 'PUT' && !deepEqual(oldSpec.initFields, spec.initFields)) {
    warn(at('initFields'), 'init-fields-changed', INIT_FIELDS_CREATION_ONLY);
  }

  if (operation === 'UPDATE' && old) immutables(target, old, resolved ?? {}, at, error);
  return issues;
}

function immutables(
  target: ValidationTarget,
  old: ValidationTarget,
  after: Deployment,
  at: (p: string) => string,
  error: (path: string, code: string, text: string) => void,
): void {
  const before = resolveDeployment((old.spec as { deployment?: CrDeployment } | undefined)?.deployment);
  for (const field of ['name', 'namespace'] as const) {
    const was = before.metadata?.[field];
    const now = after.metadata?.[field];
    if (was !== undefined && now !== was) {
      error(
        at(`deployment.metadata.${field}`),
        'immutable',
        `\`deployment.metadata.${field}\` is immutable (was ${show(was)}, got ${show(now)}); create a new resource for a new deployment`,
      );
    }
  }
  const wasOwner = old.metadata?.labels?.[OWNER_LABEL];
  const nowOwner = target.metadata?.labels?.[OWNER_LABEL];
  if (old.metadata && wasOwner !== undefined && wasOwner !== nowOwner) {
    error(
      `metadata.labels["${OWNER_LABEL}"]`,
      'immutable',
      `label ${OWNER_LABEL} is immutable (was ${show(wasOwner)}, got ${show(nowOwner)}); restore it`,
    );
  }
}

/** PUT-mandatory leaves missing from a deployment (paths relative to the deployment). */
export function missingPutFields(deployment: unknown): string[] {
  const missing: string[] = [];
  for (const field of PUT_MANDATORY_FIELDS) {
    const parent = field.path.split('.').slice(0, -1).join('.');
    const parentValue = parent ? getPath(deployment, parent) : deployment;
    if (field.when && getPath(parentValue, field.when.sibling) !== field.when.equals) continue;
    if (field.oneOf) {
      if (!field.oneOf.some((k) => getPath(parentValue, k) !== undefined))
        missing.push(`${parent}.${field.oneOf.join(' or ')}`);
      continue;
    }
    if (getPath(deployment, field.path) === undefined) missing.push(field.path);
  }
  return missing;
}

function schemaIssue(
  e: ErrorObject,
  spec: unknown,
  at: (p: string) => string,
  error: (path: string, code: string, text: string) => void,
): void {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  const rel = formatPath(parts);
  const path = at(rel);
  const value = e.keyword === 'required' ? undefined : getPath(spec, parts);
  switch (e.keyword) {
    case 'required':
      error(path, 'required', `\`${rel}\` is required`);
      return;
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.join(', ');
      error(path, 'enum', `\`${rel}\` must be one of ${allowed} (got ${show(value)})`);
      return;
    }
    case 'type':
      error(path, 'type', `\`${rel}\` must be of type ${(e.params as { type: string }).type} (got ${show(value)})`);
      return;
    default:
      error(path, e.keyword, `\`${rel}\` ${e.message ?? 'is invalid'} (got ${show(value)})`);
  }
}

/** The rejection of deleting an active deployment, with how to proceed; none when the actual state is inactive. */
export function deletionIssues(subject: string, actualState: string | undefined, resourceName?: string): Issue[] {
  if (isInactive(actualState) || actualState === undefined) return [];
  const name = resourceName ?? 'NAME';
  return [
    {
      path: 'spec.deployment.spec.state',
      code: 'deletion-active',
      severity: 'error',
      message:
        `${subject}: the deployment is ${actualState}; only inactive deployments (CANCELLED, SUSPENDED, FAILED, FINISHED) can be deleted. ` +
        `Set the state to CANCELLED (kubectl patch vvpdeployment ${name} --type=merge -p '{"spec":{"deployment":{"spec":{"state":"CANCELLED"}}}}'), ` +
        `wait for it (kubectl wait vvpdeployment ${name} --for=jsonpath='{.status.actualState}'=CANCELLED --timeout=120s), then delete again`,
    },
  ];
}

/** Errors only. */
export function errorsOf(issues: readonly Issue[]): Issue[] {
  return issues.filter((i) => i.severity === 'error');
}

/** Warnings only. */
export function warningsOf(issues: readonly Issue[]): Issue[] {
  return issues.filter((i) => i.severity === 'warning');
}
