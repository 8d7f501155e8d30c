/**
 * The platform's validation: the field types of the model table (model.ts), then the rules across fields of a
 * deployment. Each failure is a 400 that names the field path, the value and what to use instead.
 */
import type { VvpDeployment } from '../../core/src/model/deployment';
import { HttpError } from './errors';
import { isObj, key, setOwn, show, type Json } from './json';
import {
  ARTIFACT_KINDS,
  DESIRED_STATES,
  NAME,
  type FieldType,
  type Model,
  type Policy,
  type Shape,
  type UnknownFields,
} from './model';

/** A policy, or an unknown-field policy alone (enums then exact). */
type PolicyArg = Policy | UnknownFields;
const policyOf = (p: PolicyArg): Policy => (typeof p === 'string' ? { unknownFields: p } : p);

const isShape = (t: FieldType): t is Shape => typeof t === 'object' && 'fields' in t;

function expectation(t: FieldType): string {
  if (t === 'integer') return 'must be an integer';
  if (t === 'boolean') return 'must be true or false';
  if (t === 'scalar') return 'must be a string, number or boolean';
  if (typeof t === 'string') return `must be ${t === 'object' ? 'an' : 'a'} ${t}`;
  if ('enum' in t) return `use ${t.enum.slice(0, -1).join(', ')} or ${t.enum[t.enum.length - 1]}`;
  if ('listOf' in t) return `must be an array${typeof t.listOf === 'string' ? ` of ${t.listOf}s` : ''}`;
  if ('mapOf' in t) return `must be an object${typeof t.mapOf === 'string' ? ` of ${t.mapOf}s` : ''}`;
  return 'must be an object';
}

function fits(v: unknown, t: FieldType): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return isObj(v);
    case 'scalar':
      return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    default:
      if ('enum' in t) return typeof v === 'string' && t.enum.includes(v);
      if ('listOf' in t) return Array.isArray(v);
      return isObj(v);
  }
}

/**
 * Checks a value against a field type; `path` names it in messages (e.g. `spec.template`). Unknown fields follow
 * the policy (dropped in place when 'drop'); with `upperCaseEnums`, enum input in another case is upper-cased in
 * place (by checkFields, which owns the key).
 */
export function checkType(v: unknown, t: FieldType, path: string, unknown: PolicyArg = 'keep'): void {
  if (!fits(v, t)) throw new HttpError(400, `Invalid ${path} ${show(v)}: ${expectation(t)}`);
  if (typeof t === 'string' || 'enum' in t) return;
  if ('listOf' in t) {
    (v as unknown[]).forEach((item, i) => checkType(item, t.listOf, `${path}[${i}]`, unknown));
    return;
  }
  const obj = v as Json;
  if ('mapOf' in t) {
    for (const [k, item] of Object.entries(obj)) checkType(item, t.mapOf, `${path}.${key(k)}`, unknown);
    return;
  }
  if (isShape(t)) checkFields(obj, t, path, unknown);
}

/** Checks the known fields of an object (absent fields are fine) and applies the unknown-field policy. */
export function checkFields(obj: Json, shape: Shape, path: string, policy: PolicyArg = 'keep'): void {
  const prefix = path ? `${path}.` : '';
  const { unknownFields, upperCaseEnums, name } = policyOf(policy);
  for (const [k, item] of Object.entries(obj)) {
    const t = Object.hasOwn(shape.fields, k) ? shape.fields[k] : undefined;
    if (t) {
      if (upperCaseEnums && typeof item === 'string' && typeof t === 'object' && 'enum' in t && t.anyCase) {
        const upper = item.toUpperCase();
        if (upper !== item && t.enum.includes(upper)) obj[k] = upper;
      }
      checkType(obj[k], t, `${prefix}${k}`, policy);
    } else if (unknownFields === 'reject') {
      const model = name ? `the ${name} model` : 'the model';
      throw new HttpError(
        400,
        `Unknown field ${prefix}${key(k)}: ${model} has no such field; check its spelling or remove it (unknown fields are rejected)`,
      );
    } else if (unknownFields === 'drop') delete obj[k];
  }
}

/** Checks that a body part is an object when present (`{"spec": 5}` and `{"spec": null}` name the field). */
export function objectOrAbsent(body: Json, field: string, nullMeans = 'is not allowed'): Json | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (v === null) throw new HttpError(400, `Invalid ${field} null: ${field} must be an object (null ${nullMeans})`);
  if (!isObj(v)) throw new HttpError(400, `Invalid ${field} ${show(v)}: must be an object`);
  return v;
}

/** The rules of a deployment beyond field types; `hasTarget` tells whether a named target exists. */
export function validateDeployment(model: Model, d: VvpDeployment, hasTarget: (name: string) => boolean): void {
  if (!isObj(d.metadata)) throw new HttpError(400, 'Invalid metadata: the deployment needs metadata with a name');
  if (!isObj(d.spec))
    throw new HttpError(400, 'Invalid spec: it is required (a PATCH with "spec": null would remove it)');
  checkFields(d.metadata as Json, model.deploymentMetadata, 'metadata', model);
  checkFields(d.spec as Json, model.deploymentSpec, 'spec', model);
  const name = d.metadata.name;
  if (typeof name !== 'string' || name === '') throw new HttpError(400, 'metadata.name is required');
  if (!NAME.test(name) || name.length > 63) {
    throw new HttpError(
      400,
      `Invalid deployment name ${show(name)}: use at most 63 characters of [-0-9a-z], not starting or ending with '-'`,
    );
  }
  const spec = d.spec as Json;
  if (!DESIRED_STATES.includes(spec.state as 'RUNNING'))
    throw new HttpError(400, `Invalid spec.state ${show(spec.state)}: use RUNNING, CANCELLED or SUSPENDED`);
  for (const k of ['maxSavepointCreationAttempts', 'maxJobCreationAttempts']) {
    const v = spec[k];
    if (v !== undefined && (v as number) < 1)
      throw new HttpError(400, `Invalid spec.${k} ${show(v)}: must be an integer of at least 1`);
  }
  if (spec.deploymentTargetName === undefined && spec.deploymentTargetId === undefined) {
    if (spec.sessionClusterName === undefined)
      throw new HttpError(
        400,
        'Deployment needs a deployment mode: set spec.deploymentTargetName (or deploymentTargetId) or spec.sessionClusterName',
      );
  }
  if (typeof spec.deploymentTargetName === 'string' && !hasTarget(spec.deploymentTargetName)) {
    throw new HttpError(
      400,
      `Deployment target ${show(spec.deploymentTargetName)} does not exist in namespace '${d.metadata.namespace}' (spec.deploymentTargetName)`,
    );
  }
  checkTemplate(d);
}

function checkTemplate(d: VvpDeployment): void {
  const tspec = (d.spec.template?.spec ?? {}) as Json;
  const artifact = tspec.artifact as Json | undefined;
  if (!isObj(artifact) || artifact.kind === undefined)
    throw new HttpError(400, 'spec.template.spec.artifact.kind is required (JAR, SQLSCRIPT or PYTHON)');
  const locator = Object.hasOwn(ARTIFACT_KINDS, String(artifact.kind)) ? ARTIFACT_KINDS[String(artifact.kind)] : '';
  if (!locator)
    throw new HttpError(
      400,
      `Invalid spec.template.spec.artifact.kind ${show(artifact.kind)}: use JAR, SQLSCRIPT or PYTHON`,
    );
  if (typeof artifact[locator] !== 'string' || artifact[locator] === '')
    throw new HttpError(
      400,
      `spec.template.spec.artifact.${locator} is required for artifact kind ${String(artifact.kind)}`,
    );
  if (tspec.parallelism !== undefined && (tspec.parallelism as number) < 1) {
    throw new HttpError(
      400,
      `Invalid spec.template.spec.parallelism ${show(tspec.parallelism)}: must be a positive integer`,
    );
  }
  const resources = (tspec.resources ?? {}) as Json;
  for (const role of ['jobmanager', 'taskmanager']) {
    const cpu = (resources[role] as Json | undefined)?.cpu;
    if (cpu !== undefined && (cpu as number) < 0.1)
      throw new HttpError(
        400,
        `Invalid spec.template.spec.resources.${role}.cpu ${show(cpu)}: must be a number of at least 0.1`,
      );
  }
  // VVP reads flinkConfiguration as a map of strings
  const conf = tspec.flinkConfiguration;
  if (isObj(conf)) for (const [k, v] of Object.entries(conf)) if (typeof v !== 'string') setOwn(conf, k, String(v));
}
