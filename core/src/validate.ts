/**
 * validate(target, old?, options) → Issue[]: every rule of the contract that needs no VVP call, shared by the
 * webhook, the provider's check(), cdk8s synth and the controller. Collects every problem (the first 1,000 are
 * listed, then one summary); accepts any JSON value without throwing, with bounded work (see validate-input.ts).
 */
import { INIT_FIELDS_CREATION_ONLY } from './diff';
import type { Issue } from './errors';
import { deepEqual, isPlainObject } from './json';
import { OWNER_LABEL } from './model/deployment';
import type { CrDeployment } from './model/generated';
import { isInactive } from './state';
import { initFieldsOverlap } from './sync/bodies';
import { resolveDeployment } from './sync/resolve';
import { missingPutFields } from './validate-put';
import { schemaIssues } from './validate-schema';
import { unknownFieldIssues } from './unknown-fields';
import { MAX_ISSUES, metadataIssues, ownerLabelOf, shapeIssue, shapeProblem, show, text } from './validate-input';

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

export { missingPutFields } from './validate-put';

/** Largest magnitude a nonce may have (JSON numbers stay exact up to 2^53). */
export const MAX_NONCE = 2 ** 53;
/** VVP deployment name rule. */
export const DEPLOYMENT_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The object a message names: `vvpdeployment team-a/orders` or `deployment default/orders`. */
export function subjectOf(target: ValidationTarget): string {
  const meta: unknown = isPlainObject(target) ? target.metadata : undefined;
  if (isPlainObject(meta) && meta.name) return `vvpdeployment ${text(meta.namespace ?? 'default')}/${text(meta.name)}`;
  const spec: unknown = isPlainObject(target) ? target.spec : undefined;
  const d = resolveDeployment(isPlainObject(spec) ? (spec.deployment as CrDeployment | undefined) : undefined);
  const dm: unknown = d.metadata;
  const field = (k: string) => (isPlainObject(dm) && dm[k] !== undefined ? text(dm[k]) : '?');
  return `deployment ${field('namespace')}/${field('name')}`;
}

/** Validates a definition, optionally against the previous one. Errors and warnings come back together. */
export function validate(target: ValidationTarget, old?: ValidationTarget, options: ValidateOptions = {}): Issue[] {
  const issues: Issue[] = [];
  let omitted = 0;
  const add = (issue: Issue) => {
    if (issues.length < MAX_ISSUES) issues.push(issue);
    else omitted++;
  };
  const subject = options.subject ?? subjectOf(target);
  const result = () => {
    if (omitted)
      issues.push({
        path: issues[issues.length - 1]!.path,
        code: 'too-many-problems',
        severity: 'error',
        message: `${subject}: ${omitted} more problems are not listed; fix the ones above first`,
      });
    return issues;
  };
  if (!isPlainObject(target)) {
    add({ path: 'spec', code: 'required', severity: 'error', message: `${subject}: the definition must be an object` });
    return result();
  }
  const prefix = options.specPath ?? 'spec';
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  const error = (path: string, code: string, msg: string) =>
    add({ path, code, severity: 'error', message: `${subject}: ${msg}` });
  const warn = (path: string, code: string, msg: string) =>
    add({ path, code, severity: 'warning', message: `${subject}: ${msg}` });

  // bounded work: nothing below walks a value nested deeper than MAX_DEPTH or holding more than MAX_VALUES
  const specShape = shapeProblem(target.spec);
  const shape = specShape ?? shapeProblem(target.metadata);
  if (shape) {
    add(shapeIssue(specShape ? prefix : 'metadata', shape, subject));
    return result();
  }
  // an old definition that cannot be read (not an object, too deep or too big) is not compared against
  if (old !== undefined && (!isPlainObject(old) || shapeProblem(old.spec) || shapeProblem(old.metadata)))
    old = undefined;
  const operation = options.operation ?? (old ? 'UPDATE' : 'CREATE');

  metadataIssues(target.metadata, error);
  if (options.instanceId !== undefined && target.metadata !== undefined) {
    const owner = ownerLabelOf(target.metadata);
    const path = `metadata.labels["${OWNER_LABEL}"]`;
    if (owner !== undefined && typeof owner !== 'string') {
      // a type error, reported by metadataIssues
    } else if (owner === undefined)
      error(
        path,
        'owner-missing',
        `label ${OWNER_LABEL} is required; set it to "${options.instanceId}" (the operator's instanceId)`,
      );
    else if (owner !== options.instanceId)
      error(
        path,
        'owner-mismatch',
        `label ${OWNER_LABEL} is "${text(owner)}" but this operator's instanceId is "${options.instanceId}"; set it to "${options.instanceId}"`,
      );
  }

  const spec = target.spec;
  if (!isPlainObject(spec)) {
    error(
      prefix || 'spec',
      'required',
      `${prefix || 'the definition'} must be an object with syncingMode and deployment (got ${show(spec)})`,
    );
    return result();
  }

  omitted += schemaIssues(spec, at, error, () => issues.length >= MAX_ISSUES);
  // fields schema.json does not name pass through (ADR 0002); a warning suggests the known field (ADR 0011)
  for (const issue of unknownFieldIssues(spec, at, subject)) add(issue);

  const mode = spec.syncingMode;
  const deployment = isPlainObject(spec.deployment) ? (spec.deployment as CrDeployment) : undefined;
  const initFields = isPlainObject(spec.initFields) ? (spec.initFields as CrDeployment) : undefined;
  // the definition is normalised once (userMetadata folded into metadata); every rule below reads `resolved`
  const resolved = resolveDeployment(deployment);

  if (deployment) {
    if (deployment.metadata !== undefined && deployment.userMetadata !== undefined) {
      error(
        at('deployment.userMetadata'),
        'metadata-alias',
        '`deployment.metadata` and its older spelling `deployment.userMetadata` are both set; keep only `deployment.metadata`',
      );
    }
    const meta: Record<string, unknown> = isPlainObject(resolved.metadata) ? resolved.metadata : {};
    const name = meta.name;
    if (name === undefined)
      error(
        at('deployment.metadata.name'),
        'required',
        '`deployment.metadata.name` is required (the VVP deployment name)',
      );
    else if (typeof name === 'string' && (name.length > 63 || !DEPLOYMENT_NAME_PATTERN.test(name))) {
      error(
        at('deployment.metadata.name'),
        'name-invalid',
        `\`deployment.metadata.name\` ${show(name)} is not a valid VVP name; use at most 63 characters of a-z, 0-9 and '-', not starting or ending with '-'`,
      );
    }
    const namespace = meta.namespace;
    if (namespace === undefined)
      error(
        at('deployment.metadata.namespace'),
        'required',
        '`deployment.metadata.namespace` is required (the VVP namespace, e.g. "default")',
      );
    else if (typeof namespace === 'string' && (namespace.length > 63 || !DEPLOYMENT_NAME_PATTERN.test(namespace)))
      error(
        at('deployment.metadata.namespace'),
        'namespace-invalid',
        `\`deployment.metadata.namespace\` ${show(namespace)} is not a valid VVP namespace name; use at most 63 characters of a-z, 0-9 and '-', not starting or ending with '-', e.g. "default"`,
      );

    if (mode === 'PUT') {
      for (const missing of missingPutFields(resolved)) {
        error(
          at(`deployment.${missing}`),
          'put-mandatory',
          `PUT mode requires \`deployment.${missing}\`; add the field or switch syncingMode to PATCH`,
        );
      }
      if (typeof meta.description === 'string') {
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
    } else if (operation === 'CREATE' && deployment) {
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

  if (operation === 'UPDATE' && old) immutables(target, old, resolved, at, error);
  return result();
}

function immutables(
  target: ValidationTarget,
  old: ValidationTarget,
  after: { metadata?: unknown },
  at: (p: string) => string,
  error: (path: string, code: string, text: string) => void,
): void {
  const before = resolveDeployment(isPlainObject(old.spec) ? (old.spec.deployment as CrDeployment) : undefined);
  const field = (d: { metadata?: unknown }, k: string) => (isPlainObject(d.metadata) ? d.metadata[k] : undefined);
  for (const key of ['name', 'namespace'] as const) {
    const was = field(before, key);
    const now = field(after, key);
    if (was !== undefined && !deepEqual(now, was)) {
      error(
        at(`deployment.metadata.${key}`),
        'immutable',
        `\`deployment.metadata.${key}\` is immutable (was ${show(was)}, got ${show(now)}); create a new resource for a new deployment`,
      );
    }
  }
  const wasOwner = ownerLabelOf(old.metadata);
  const nowOwner = ownerLabelOf(target.metadata);
  if (wasOwner !== undefined && !deepEqual(wasOwner, nowOwner)) {
    error(
      `metadata.labels["${OWNER_LABEL}"]`,
      'immutable',
      `label ${OWNER_LABEL} is immutable (was ${show(wasOwner)}, got ${show(nowOwner)}); restore it`,
    );
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
