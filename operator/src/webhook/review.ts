/**
 * AdmissionReview → core.validate (+ the live active-deletion guard) → AdmissionReview response. Every rule of
 * contract §9 comes from core; this file only maps the request and renders the issues.
 */
import { deepEqual } from '../../../core/src/json';
import { messageOf, type Issue } from '../../../core/src/errors';
import { OWNER_LABEL } from '../../../core/src/model/deployment';
import { deletionIssues, errorsOf, validate, warningsOf } from '../../../core/src/validate';
import type { VvpDeploymentResource } from '../kube/types';

/** The admission request fields we read. */
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

/** Kubernetes shows admission warnings of at most this many characters. */
const MAX_WARNING = 256;

/** Reviews one AdmissionReview and returns the AdmissionReview to answer with. */
export async function reviewAdmission(review: AdmissionReview, options: ReviewOptions): Promise<AdmissionReview> {
  const request = review.request;
  if (!request?.uid) throw new Error('AdmissionReview without request.uid');
  const issues = await issuesOf(request, options);
  const errors = errorsOf(issues);
  const warnings = warningsOf(issues).map((w) =>
    w.message.length > MAX_WARNING ? `${w.message.slice(0, MAX_WARNING - 1)}…` : w.message,
  );
  const response: AdmissionResponse = {
    uid: request.uid,
    allowed: errors.length === 0,
    ...(warnings.length ? { warnings } : {}),
  };
  if (errors.length) {
    const lines = errors.map((e, i) => `${errors.length > 1 ? `${i + 1}) ` : ''}${e.path}: ${e.message}`);
    response.status = {
      code: 422,
      reason: 'Invalid',
      message: `${errors.length} problem${errors.length > 1 ? 's' : ''}: ${lines.join('; ')}`,
    };
  }
  return { apiVersion: review.apiVersion || 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

async function issuesOf(request: AdmissionRequest, options: ReviewOptions): Promise<Issue[]> {
  if (request.operation === 'DELETE') return deleteIssues(request, options);
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return [];
  const object = request.object;
  if (!object)
    return [
      { path: 'object', code: 'required', severity: 'error', message: 'the admission request carries no object' },
    ];
  const old = request.operation === 'UPDATE' ? (request.oldObject ?? undefined) : undefined;
  const subject = `vvpdeployment ${request.namespace ?? object.metadata?.namespace}/${object.metadata?.name ?? request.name}`;
  const target = { metadata: object.metadata, spec: object.spec };
  const oldTarget = old ? { metadata: old.metadata, spec: old.spec } : undefined;
  let issues = validate(target, oldTarget, { instanceId: options.instanceId, operation: request.operation, subject });
  // metadata-only updates (finalizers, annotations) of an existing CR are judged on the owner label alone, so
  // that a CR created before the webhook existed can still be finalized and deleted
  if (old && deepEqual(old.spec, object.spec)) issues = issues.filter((i) => i.path.startsWith('metadata.'));
  const ns = request.namespace ?? object.metadata?.namespace;
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

async function deleteIssues(request: AdmissionRequest, options: ReviewOptions): Promise<Issue[]> {
  const cr = request.oldObject;
  if (!cr || cr.metadata?.labels?.[OWNER_LABEL] !== options.instanceId) return [];
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
