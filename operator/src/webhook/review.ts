/**
 * AdmissionReview → core.validate (+ the live active-deletion guard) → AdmissionReview response. Every rule of
 * docs/contract.md §9 comes from core; this file only maps the request and renders the issues.
 */
import { deepEqual } from '../../../core/src/json';
import { messageOf, type Issue } from '../../../core/src/errors';
import { OWNER_LABEL } from '../../../core/src/model/deployment';
import { deletionIssues, errorsOf, validate, warningsOf } from '../../../core/src/validate';
import type { VvpDeploymentResource } from '../kube/types';
import { boundWarnings, renderProblems } from './messages';
import { parseReview, type OperationLabel, type ParsedRequest } from './parse';

/** The admission request fields we read (as sent: parseReview checks every one before use). */
export interface AdmissionRequest {
  uid: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  namespace?: string;
  name?: string;
  object?: VvpDeploymentResource | null;
  oldObject?: VvpDeploymentResource | null;
  dryRun?: boolean;
}

/** An admission.k8s.io/v1 AdmissionReview. */
export interface AdmissionReview {
  apiVersion: string;
  kind: string;
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

/** The response part of an AdmissionReview. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason: string; message: string };
  warnings?: string[];
}

/** What the live deletion check found: the deployment's actual state, or that it does not exist (or is not ours). */
export type LiveState = { found: true; actualState: string | undefined } | { found: false };

/** What a review needs. */
export interface ReviewOptions {
  instanceId: string;
  /** Namespaces the operator watches; CRs elsewhere would never be reconciled. */
  namespaces: readonly string[];
  /** Asks VVP for the deployment's actual state (bounded by a timeout); throws when VVP cannot be reached. */
  liveState?(cr: VvpDeploymentResource): Promise<LiveState>;
}

/** What the server sends back for one body: the HTTP status, the JSON body and what to log and count. */
export interface ReviewAnswer {
  /** 200 with an AdmissionReview, or 400 when the body is no AdmissionReview that can be answered. */
  status: 200 | 400;
  body: AdmissionReview | { message: string };
  /** Metric label (closed set). */
  operation: OperationLabel;
  allowed: boolean;
  /** `namespace/name` of the request when known (bounded strings). */
  key: string;
  /** The denial message (bounded), when denied. */
  message?: string;
  warnings: number;
}

/** Answers any parsed JSON body: parses it into a checked request, reviews it, renders a bounded answer. */
export async function answerReview(body: unknown, options: ReviewOptions): Promise<ReviewAnswer> {
  const parsed = parseReview(body);
  if (parsed.kind === 'invalid') {
    const message = `malformed AdmissionReview: ${renderProblems(parsed.problems)}`;
    return { status: 400, body: { message }, operation: 'other', allowed: false, key: '?', message, warnings: 0 };
  }
  const deny = (uid: string, problems: readonly { path: string; message: string }[]): AdmissionResponse => ({
    uid,
    allowed: false,
    status: { code: 400, reason: 'BadRequest', message: renderProblems(problems) },
  });
  let response: AdmissionResponse;
  let operation: OperationLabel;
  let key = '?';
  if (parsed.kind === 'deny') {
    response = deny(parsed.uid, parsed.problems);
    operation = parsed.operation;
  } else {
    const request = parsed.request;
    operation = request.operation;
    key = `${request.namespace ?? '?'}/${request.name ?? '?'}`;
    const issues = await issuesOf(request, options);
    const errors = errorsOf(issues);
    const warnings = boundWarnings(warningsOf(issues).map((w) => w.message));
    response = { uid: request.uid, allowed: errors.length === 0, ...(warnings.length ? { warnings } : {}) };
    if (errors.length) response.status = { code: 422, reason: 'Invalid', message: renderProblems(errors) };
  }
  const review: AdmissionReview = { apiVersion: parsed.apiVersion, kind: 'AdmissionReview', response };
  return {
    status: 200,
    body: review,
    operation,
    allowed: response.allowed,
    key,
    ...(response.status ? { message: response.status.message } : {}),
    warnings: response.warnings?.length ?? 0,
  };
}

/**
 * Reviews one AdmissionReview and returns the AdmissionReview to answer with; throws when the body is no
 * AdmissionReview that can be answered (no usable `request.uid`).
 */
export async function reviewAdmission(review: AdmissionReview, options: ReviewOptions): Promise<AdmissionReview> {
  const answer = await answerReview(review, options);
  if (answer.status !== 200) throw new Error(answer.message);
  return answer.body as AdmissionReview;
}

async function issuesOf(request: ParsedRequest, options: ReviewOptions): Promise<Issue[]> {
  if (request.operation === 'DELETE') return deleteIssues(request, options);
  // parseReview guarantees an object (and an oldObject on UPDATE) whose metadata is an object
  const object = request.object!;
  const old = request.operation === 'UPDATE' ? request.oldObject : undefined;
  const subject = `vvpdeployment ${request.namespace ?? object.metadata.namespace ?? '?'}/${object.metadata.name ?? request.name ?? '?'}`;
  const target = { metadata: object.metadata, spec: object.spec };
  const oldTarget = old ? { metadata: old.metadata, spec: old.spec } : undefined;
  let issues = validate(target, oldTarget, { instanceId: options.instanceId, operation: request.operation, subject });
  // metadata-only updates (finalizers, annotations) of an existing CR are judged on the owner label alone, so
  // that a CR created before the webhook existed can still be finalized and deleted
  if (old && deepEqual(old.spec, object.spec)) issues = issues.filter((i) => i.path.startsWith('metadata.'));
  const ns = request.namespace ?? object.metadata.namespace;
  if (request.operation === 'CREATE' && ns !== undefined && !options.namespaces.includes(ns)) {
    issues.push({
      path: 'metadata.namespace',
      code: 'namespace-not-watched',
      severity: 'error',
      message: `${subject}: namespace "${ns}" is not watched by operator "${options.instanceId}" (watched: ${options.namespaces.join(', ')}); create the CR in a watched namespace`,
    });
  }
  return issues;
}

async function deleteIssues(request: ParsedRequest, options: ReviewOptions): Promise<Issue[]> {
  const cr = request.oldObject;
  if (!cr || cr.metadata.labels?.[OWNER_LABEL] !== options.instanceId) return [];
  // a CR outside the watched namespaces is never ours to guard (and its Secret is not read)
  const ns = request.namespace ?? cr.metadata.namespace;
  if (ns === undefined || !options.namespaces.includes(ns)) return [];
  if (cr.metadata.deletionTimestamp || !cr.status?.deploymentId) return [];
  const subject = `vvpdeployment ${cr.metadata.namespace}/${cr.metadata.name}`;
  let actual = cr.status.actualState;
  let fallback: string | undefined;
  if (options.liveState) {
    try {
      const live = await options.liveState(cr);
      if (!live.found) return [];
      actual = live.actualState;
    } catch (err) {
      fallback = messageOf(err);
    }
  }
  const issues = deletionIssues(subject, actual, cr.metadata.name);
  if (fallback !== undefined) {
    issues.push({
      path: 'status.actualState',
      code: 'vvp-unreachable',
      severity: 'warning',
      message: `${subject}: VVP could not be asked (${fallback}); judged by status.actualState ${actual ?? 'unset'}`,
    });
  }
  return issues;
}
