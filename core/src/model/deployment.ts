/** The VVP deployment as VVP returns it, identity rules, and the labels and annotations we stamp. */
import type { ActualState, Deployment, DeploymentMetadata, DeploymentSpec } from './generated';

/** Label holding the owner of a deployment: the operator instanceId, or `pulumi`. */
export const OWNER_LABEL = 'ververica.platform/owner';
/** Annotation linking a deployment to the CR that manages it. */
export const CR_UID_ANNOTATION = 'ververica.platform/cr-uid';
/** Annotation linking a deployment to the Pulumi resource that manages it. */
export const URN_ANNOTATION = 'ververica.platform/urn';
/** CR annotation that allows taking over an existing deployment that carries no stamp of ours. */
export const ADOPT_ANNOTATION = 'ververica.platform/adopt';
/** Template annotation whose change makes VVP start a new job (the restart nonce). */
export const RESTART_NONCE_ANNOTATION = 'ververica.platform/restart-nonce';
/** CR annotation naming the Secret (same namespace) that holds the VVP API token. */
export const APIKEY_SECRET_ANNOTATION = 'apikeySecretName';
/** Finalizer the operator keeps on every CR it manages. */
export const FINALIZER = 'ververica.platform/finalizer';
/** Path of the operator's validating admission webhook (the chart registers it; the operator serves it). */
export const WEBHOOK_PATH = '/validate-vvpdeployment';
/**
 * `matchConditions` of the full-validation webhook entry (Kubernetes 1.28+, GA in 1.30; docs/contract.md §9): an UPDATE that
 * leaves `spec`, labels and annotations as they were (the operator's own finalizer writes, `ownerReferences`,
 * managed fields) is not sent to the webhook. The webhook judges such an update on the owner label alone and
 * allows it (operator/src/webhook/review.ts), and with the labels unchanged that verdict is known: the call would
 * only cost the apiserver a round trip per CR. Every absent field is compared as empty, so no evaluation errors
 * (an error under `failurePolicy: Fail` would reject the request).
 */
export const WEBHOOK_MATCH_CONDITIONS: ReadonlyArray<{ readonly name: string; readonly expression: string }> = [
  {
    name: 'not-a-metadata-only-update',
    expression: [
      "request.operation != 'UPDATE'",
      '(has(object.spec) ? object.spec : {}) != (has(oldObject.spec) ? oldObject.spec : {})',
      '(has(object.metadata.labels) ? object.metadata.labels : {}) != (has(oldObject.metadata.labels) ? oldObject.metadata.labels : {})',
      '(has(object.metadata.annotations) ? object.metadata.annotations : {}) != (has(oldObject.metadata.annotations) ? oldObject.metadata.annotations : {})',
    ].join(' || '),
  },
];
/** Owner label value of deployments managed through Pulumi. */
export const PULUMI_OWNER = 'pulumi';
/** Annotation prefixes of system annotations, carried through PUT. */
export const SYSTEM_ANNOTATION_PREFIXES = ['com.dataartisans.appmanager.controller.', 'ververica.platform/'] as const;

/** Server-filled metadata of a VVP object. */
export interface ServerMetadata {
  id: string;
  createdAt?: string;
  modifiedAt?: string;
  resourceVersion?: number;
}

/** A VVP deployment as returned by the REST API. */
export interface VvpDeployment {
  apiVersion?: string;
  kind?: string;
  metadata: DeploymentMetadata & ServerMetadata & { name: string; namespace: string };
  spec: DeploymentSpec;
  status?: {
    state?: ActualState;
    running?: { jobId?: string; transitionTime?: string; conditions?: unknown[] };
    [key: string]: unknown;
  };
}

/** A savepoint as returned by the REST API. */
export interface VvpSavepoint {
  apiVersion?: string;
  kind?: string;
  metadata: ServerMetadata & {
    namespace?: string;
    deploymentId?: string;
    jobId?: string;
    origin?: string;
    annotations?: Record<string, string>;
  };
  spec: { savepointLocation?: string; flinkSavepointId?: string };
  status?: {
    state?: 'STARTED' | 'COMPLETED' | 'FAILED' | string;
    failure?: { message?: string; reason?: string; failedAt?: string };
  };
}

/** A job as returned by the REST API. */
export interface VvpJob {
  metadata: ServerMetadata & {
    namespace?: string;
    deploymentId?: string;
    deploymentName?: string;
    terminatedAt?: string;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
  status?: {
    state?: string;
    started?: { flinkJobId?: string; startedAt?: string };
    failure?: { message?: string; reason?: string };
  };
}

/** An event as returned by the REST API. */
export interface VvpEvent {
  metadata: ServerMetadata & { namespace?: string; deploymentId?: string; jobId?: string; name?: string };
  spec: { message?: string };
}

/** The identity of a deployment: VVP namespace and name. */
export interface DeploymentRef {
  namespace: string;
  name: string;
}

/** The identity of a deployment definition, or undefined when it names no namespace or name. */
export function deploymentRef(deployment: Deployment | undefined): DeploymentRef | undefined {
  const name: unknown = deployment?.metadata?.name;
  const namespace: unknown = deployment?.metadata?.namespace;
  // any JSON may arrive here (a CR, an admission review): only non-empty strings make a reference
  return typeof name === 'string' && typeof namespace === 'string' && name && namespace
    ? { namespace, name }
    : undefined;
}

/** True for annotation keys VVP or this project own (carried through PUT). */
export function isSystemAnnotation(key: string): boolean {
  return SYSTEM_ANNOTATION_PREFIXES.some((prefix) => key.startsWith(prefix));
}
