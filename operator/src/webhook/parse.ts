/**
 * The bounded parsing layer of the webhook: an AdmissionReview body (already size-limited JSON) becomes a typed,
 * checked request before anything reads it. Every wrong type or unknown value is a problem naming its field;
 * nothing here throws on any JSON value.
 */
import { isPlainObject } from '../../../core/src/json';
import { shapeProblem } from '../../../core/src/validate-input';
import type { VvpDeploymentResource } from '../kube/types';

/** Deepest nesting an AdmissionReview may have (the CR sits 2 levels down; real CRs stay under 15). */
export const MAX_REVIEW_DEPTH = 100;
/** Longest `request.uid` (Kubernetes sends a UUID). */
const MAX_UID = 256;
/** Longest name or namespace (a DNS subdomain). */
const MAX_NAME = 253;
/** The operations this webhook reviews; anything else is denied. */
export const REVIEWED_OPERATIONS = ['CREATE', 'UPDATE', 'DELETE'] as const;
/** An operation the webhook reviews. */
export type ReviewedOperation = (typeof REVIEWED_OPERATIONS)[number];
/** The closed set of operation labels of the admission metric. */
export type OperationLabel = ReviewedOperation | 'CONNECT' | 'other';

/** One problem of a review: the field path and what is wrong with it. */
export interface Problem {
  path: string;
  message: string;
}

/** A checked admission request. */
export interface ParsedRequest {
  uid: string;
  operation: ReviewedOperation;
  namespace?: string;
  name?: string;
  /** The CR; present for CREATE and UPDATE. */
  object?: VvpDeploymentResource;
  /** The stored CR; present for UPDATE and DELETE. */
  oldObject?: VvpDeploymentResource;
  dryRun?: boolean;
}

/** What a body parses into. */
export type ParsedReview =
  /** A request to review. */
  | { kind: 'request'; apiVersion: string; request: ParsedRequest }
  /** A request that can be answered (its uid is known) but is denied as it stands. */
  | { kind: 'deny'; apiVersion: string; uid: string; operation: OperationLabel; problems: Problem[] }
  /** Not an AdmissionReview that can be answered: HTTP 400. */
  | { kind: 'invalid'; problems: Problem[] };

const API_VERSIONS = new Set(['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']);

/** The metric label of any `request.operation` value. */
export function operationLabel(value: unknown): OperationLabel {
  return value === 'CREATE' || value === 'UPDATE' || value === 'DELETE' || value === 'CONNECT' ? value : 'other';
}

const quote = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : String(v);
};

/** Parses an AdmissionReview body (any JSON value). */
export function parseReview(body: unknown): ParsedReview {
  if (!isPlainObject(body)) return invalid('body', `the body must be an AdmissionReview object (got ${quote(body)})`);
  const apiVersion = body.apiVersion ?? 'admission.k8s.io/v1';
  if (typeof apiVersion !== 'string' || !API_VERSIONS.has(apiVersion))
    return invalid('apiVersion', `must be admission.k8s.io/v1 (got ${quote(apiVersion)})`);
  if (body.kind !== undefined && body.kind !== 'AdmissionReview')
    return invalid('kind', `must be AdmissionReview (got ${quote(body.kind)})`);
  const request = body.request;
  if (!isPlainObject(request)) return invalid('request', `must be an object (got ${quote(request)})`);
  const uid = request.uid;
  if (typeof uid !== 'string' || uid === '' || uid.length > MAX_UID)
    return invalid('request.uid', `must be a non-empty string of at most ${MAX_UID} characters (got ${quote(uid)})`);

  const problems: Problem[] = [];
  const deny = (): ParsedReview => ({
    kind: 'deny',
    apiVersion,
    uid,
    operation: operationLabel(request.operation),
    problems,
  });
  const deep = shapeProblem(body, MAX_REVIEW_DEPTH, Number.POSITIVE_INFINITY);
  if (deep) {
    const path = deep.path.slice(0, 12).join('.');
    problems.push({ path, message: `nests deeper than ${MAX_REVIEW_DEPTH} levels` });
    return deny();
  }
  const op = request.operation;
  if (op === 'CONNECT')
    problems.push({
      path: 'request.operation',
      message: 'CONNECT is not reviewed by this webhook; register it for CREATE, UPDATE and DELETE only',
    });
  else if (typeof op !== 'string' || !(REVIEWED_OPERATIONS as readonly string[]).includes(op))
    problems.push({ path: 'request.operation', message: `must be one of CREATE, UPDATE, DELETE (got ${quote(op)})` });
  const namespace = optionalName(request, 'namespace', 'request', problems);
  const name = optionalName(request, 'name', 'request', problems);
  if (request.dryRun !== undefined && typeof request.dryRun !== 'boolean')
    problems.push({ path: 'request.dryRun', message: `must be a boolean (got ${quote(request.dryRun)})` });
  kindProblems(request.kind, problems);
  if (problems.length) return deny();

  const operation = op as ReviewedOperation;
  const object = operation === 'DELETE' ? undefined : crOf(request.object, 'request.object', namespace, problems);
  const oldObject =
    operation === 'CREATE' ? undefined : crOf(request.oldObject, 'request.oldObject', namespace, problems);
  if (problems.length) return deny();
  return {
    kind: 'request',
    apiVersion,
    request: {
      uid,
      operation,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(object ? { object } : {}),
      ...(oldObject ? { oldObject } : {}),
      ...(typeof request.dryRun === 'boolean' ? { dryRun: request.dryRun } : {}),
    },
  };
}

function invalid(path: string, message: string): ParsedReview {
  return { kind: 'invalid', problems: [{ path, message }] };
}

function optionalName(
  parent: Record<string, unknown>,
  key: string,
  at: string,
  problems: Problem[],
): string | undefined {
  const v = parent[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.length <= MAX_NAME) return v;
  problems.push({
    path: `${at}.${key}`,
    message: `must be a string of at most ${MAX_NAME} characters (got ${quote(v)})`,
  });
  return undefined;
}

function kindProblems(kind: unknown, problems: Problem[]): void {
  if (kind === undefined) return;
  if (!isPlainObject(kind)) {
    problems.push({ path: 'request.kind', message: `must be an object {group, version, kind} (got ${quote(kind)})` });
    return;
  }
  if (kind.group !== 'ververica.platform' || kind.kind !== 'VvpDeployment')
    problems.push({
      path: 'request.kind',
      message: `this webhook reviews only ververica.platform VvpDeployment (got ${quote(kind.group)} ${quote(kind.kind)}); fix the rules of the webhook configuration`,
    });
}

const STRING_MAPS = ['labels', 'annotations'] as const;

/** A CR of the request, type-checked in the fields the review reads; undefined (with problems) when unusable. */
function crOf(
  value: unknown,
  at: string,
  namespace: string | undefined,
  problems: Problem[],
): VvpDeploymentResource | undefined {
  const before = problems.length;
  if (!isPlainObject(value)) {
    problems.push({ path: at, message: `must be the VvpDeployment object (got ${quote(value)})` });
    return undefined;
  }
  const metadata = value.metadata;
  if (!isPlainObject(metadata)) {
    problems.push({ path: `${at}.metadata`, message: `must be an object (got ${quote(metadata)})` });
    return undefined;
  }
  optionalName(metadata, 'name', `${at}.metadata`, problems);
  const ns = optionalName(metadata, 'namespace', `${at}.metadata`, problems);
  if (ns !== undefined && namespace !== undefined && ns !== namespace)
    problems.push({
      path: `${at}.metadata.namespace`,
      message: `${quote(ns)} differs from request.namespace ${quote(namespace)}`,
    });
  for (const key of STRING_MAPS) {
    const map = metadata[key];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map) || Object.values(map).some((v) => typeof v !== 'string'))
      problems.push({ path: `${at}.metadata.${key}`, message: `must be an object of strings (got ${quote(map)})` });
  }
  if (
    metadata.deletionTimestamp !== undefined &&
    metadata.deletionTimestamp !== null &&
    typeof metadata.deletionTimestamp !== 'string'
  )
    problems.push({
      path: `${at}.metadata.deletionTimestamp`,
      message: `must be a string (got ${quote(metadata.deletionTimestamp)})`,
    });
  const status = value.status;
  if (status !== undefined && status !== null) {
    if (!isPlainObject(status))
      problems.push({ path: `${at}.status`, message: `must be an object (got ${quote(status)})` });
    else
      for (const key of ['deploymentId', 'actualState'])
        if (status[key] !== undefined && status[key] !== null && typeof status[key] !== 'string')
          problems.push({ path: `${at}.status.${key}`, message: `must be a string (got ${quote(status[key])})` });
  }
  return problems.length === before ? (value as unknown as VvpDeploymentResource) : undefined;
}
